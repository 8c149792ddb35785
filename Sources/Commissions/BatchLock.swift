#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A lock for work done a batch at a time by threads that would rather go on than wait: trying it
/// while another thread holds it costs one atomic compare-and-swap (`pthread_mutex_trylock`).
///
/// Synchronization's `Mutex` on Linux is a priority-inheritance futex: its try, finding the lock
/// held, asks the kernel (`FUTEX_TRYLOCK_PI`), and its unlock does when a try has flagged it. The
/// two settlement threads try the totals' lock every 32 orders; at 10 M orders that was some
/// 14,000 system calls a thread (under strace, 34,000 futex calls in all; 1,100 with this lock).
///
/// Unchecked: the mutex is only touched through the pthread functions, which synchronise.
final class BatchLock: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>

  init() {
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    let status = pthread_mutex_init(mutex, nil)
    precondition(status == 0, "pthread_mutex_init failed: \(status)")
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deinitialize(count: 1)
    mutex.deallocate()
  }

  /// Runs `body` holding the lock, waiting for it if another thread holds it.
  func withLock<Result>(_ body: () -> Result) -> Result {
    let status = pthread_mutex_lock(mutex)
    precondition(status == 0, "pthread_mutex_lock failed: \(status)")
    defer { pthread_mutex_unlock(mutex) }
    return body()
  }

  /// Runs `body` holding the lock if no other thread holds it; else nil, at once.
  func withLockIfAvailable<Result>(_ body: () -> Result) -> Result? {
    guard pthread_mutex_trylock(mutex) == 0 else { return nil }
    defer { pthread_mutex_unlock(mutex) }
    return body()
  }
}

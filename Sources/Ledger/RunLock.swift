#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive advisory lock (`flock`) on a file next to the ledger, held while a run settles a
/// period, so two runs for the same ledger never interleave. The kernel releases it when the
/// process ends, however it ends: a crash never leaves a stale lock.
public final class RunLock {
  let path: String
  private let descriptor: Int32

  /// Takes the lock without waiting.
  /// - Throws: `LedgerError` saying another run holds it, or why the lock file cannot be opened.
  init(path: String, holder: String) throws(LedgerError) {
    self.path = path
    let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw LedgerError(path: path, "cannot open the run lock: \(String(cString: strerror(errno)))")
    }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      let busy = errno == EWOULDBLOCK
      let reason = String(cString: strerror(errno))
      close(descriptor)
      throw LedgerError(
        path: path, busy ? "\(holder) is being settled by another run; nothing was changed" : "cannot lock: \(reason)")
    }
    self.descriptor = descriptor
  }

  deinit {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}

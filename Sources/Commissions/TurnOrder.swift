import Dispatch
import Synchronization

/// The turn to write, passed from block to block in block order, between threads that each hold
/// one block at a time (a block of `commissions.csv`).
///
/// Blocks must be handed out in order as threads ask for them (not dealt out in advance): then a
/// thread waits only for a block another thread holds, and a thread that runs alone (libdispatch
/// may run every iteration of a `concurrentPerform` on one thread) never waits.
///
/// Unchecked: the state is behind a lock, and a waiting thread is woken through its own semaphore.
final class TurnOrder: @unchecked Sendable {
  private struct State {
    /// Blocks done so far.
    var done = 0
    /// Per thread, the block it waits to write, if it waits.
    var waiting: [Int?]
    var stopped = false
  }

  private let state: Mutex<State>
  /// One per thread: signalled when the block it waits for is next, or the order stops.
  private let turns: [DispatchSemaphore]

  init(threads: Int) {
    state = Mutex(State(waiting: Array(repeating: nil, count: threads)))
    // Made at 0: libdispatch refuses to free a semaphore whose count is below the one it was made with.
    turns = (0..<threads).map { _ in DispatchSemaphore(value: 0) }
  }

  var isStopped: Bool { state.withLock { $0.stopped } }

  /// Waits until every block before `block` is done. False when the order has stopped.
  func waitForTurn(_ block: Int, thread: Int) -> Bool {
    let waits = state.withLock { state in
      guard !state.stopped, state.done != block else { return false }
      state.waiting[thread] = block
      return true
    }
    if waits { turns[thread].wait() }
    return !isStopped
  }

  /// Block `block`, whose turn it was, is done: the turn passes to the next.
  func done(_ block: Int) {
    state.withLock { state in
      precondition(state.done == block, "block \(block) is done in its turn, not before block \(state.done)")
      state.done = block + 1
      if let thread = state.waiting.firstIndex(of: block + 1) {
        state.waiting[thread] = nil
        turns[thread].signal()
      }
    }
  }

  /// No block is handed out any more, and no thread waits for its turn.
  func stop() {
    state.withLock { $0.stopped = true }
    for turn in turns { turn.signal() }
  }
}

import Dispatch
import Glibc
import Synchronization
import Testing

@testable import Commissions

/// Chunks of the audit and blocks of `commissions.csv` are written in block order by threads
/// that take blocks as they ask: whatever the interleaving, the writes come in order, a thread
/// left alone never waits, and stopping wakes every waiting thread.
struct TurnOrderTests {
  /// What the threads wrote, in order. Unchecked: appended to only by the thread whose turn it is.
  final class Log: @unchecked Sendable {
    var blocks: [Int] = []
    var woke = false
  }

  @Test func aThreadAloneTakesEveryTurnWithoutWaiting() {
    let turns = TurnOrder(threads: 2)
    var written: [Int] = []
    for block in 0..<1_000 {
      #expect(turns.waitForTurn(block, thread: 1))
      written.append(block)
      turns.done(block)
    }
    #expect(written == Array(0..<1_000))
  }

  @Test(arguments: [2, 3, 8]) func threadsWriteInBlockOrder(threads: Int) {
    let turns = TurnOrder(threads: threads)
    let next = Atomic<Int>(0)
    let log = Log()
    let blocks = 3_000
    DispatchQueue.concurrentPerform(iterations: threads) { thread in
      while true {
        let block = next.add(1, ordering: .relaxed).oldValue
        guard block < blocks else { return }
        // Uneven work, so that threads overtake one another.
        if (block * 7919 + thread) % 11 == 0 { usleep(100) }
        guard turns.waitForTurn(block, thread: thread) else { return }
        log.blocks.append(block)
        turns.done(block)
      }
    }
    #expect(log.blocks == Array(0..<blocks))
  }

  @Test func stoppingWakesAWaitingThread() {
    let turns = TurnOrder(threads: 2)
    let log = Log()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) {
      // Block 1 waits for block 0, which nobody writes.
      log.woke = !turns.waitForTurn(1, thread: 1)
    }
    usleep(20_000)
    turns.stop()
    #expect(group.wait(timeout: .now() + 10) == .success)
    #expect(log.woke)
    #expect(!turns.waitForTurn(0, thread: 0))
  }
}

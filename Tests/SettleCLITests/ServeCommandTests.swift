import Foundation
import Testing

/// `settle serve`'s hidden `--answer-cache` switch, which the load benchmark turns off.
@Suite struct ServeCommandTests {
  @Test func anAnswerCacheOtherThanOnOrOffIsRefused() throws {
    let result = try SettleProcess.run(["serve", "--answer-cache", "maybe", "--ledger", "/nonexistent/settle.db"])
    #expect(result.status == 64)
    #expect(result.standardError.hasPrefix("Error: --answer-cache must be on or off, not \"maybe\"\n"))
  }

  /// The twin: `off` is accepted, and the command goes on to open the ledger (missing here).
  @Test func answerCacheOffIsAccepted() throws {
    let result = try SettleProcess.run(["serve", "--answer-cache", "off", "--ledger", "/nonexistent/settle.db"])
    #expect(result.status != 0)
    #expect(!result.standardError.contains("--answer-cache"))
    #expect(result.standardError.contains("/nonexistent/settle.db: no ledger here"))
  }
}

import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Preview
import PreviewServer
import Testing

/// Answers reflect the ledger as it is: with the answer cache (dropped when the ledger file
/// changes) and without it (each answer computed when asked for).
@Suite struct AnswerCacheTests {
  static let uri = "/v1/affiliates/A1/earnings?currency=USD"

  @Test(arguments: [true, false]) func aNewCloseIsSeenWithoutARestart(cachesAnswers: Bool) async throws {
    let harness = try ServerHarness()
    var configuration = ServerHarness.testConfiguration
    configuration.cachesAnswers = cachesAnswers
    try await harness.application(configuration).test(.router) { client in
      let before = try await client.execute(uri: Self.uri, method: .get, headers: bearer(harness.treasuryToken))
      #expect(before.status == .ok)
      #expect(before.text.contains(#"{"period": "2026-10", "status": "open""#))
      try harness.closeOctober()
      let expected = EarningsReport.json(try harness.earnings("A1", "USD"))
      #expect(expected.contains(#"{"period": "2026-10", "status": "closed""#))
      let after = try await client.execute(uri: Self.uri, method: .get, headers: bearer(harness.treasuryToken))
      #expect(after.status == .ok)
      #expect(after.text == expected)
    }
  }

  /// With the cache, an answer is kept until the ledger file is checked again (here: not within
  /// the test), so the close is not seen yet.
  @Test func aCachedAnswerIsKeptUntilTheLedgerIsCheckedAgain() async throws {
    let harness = try ServerHarness()
    var configuration = ServerHarness.testConfiguration
    configuration.ledgerCheckInterval = .seconds(3600)
    try await harness.application(configuration).test(.router) { client in
      let before = try await client.execute(uri: Self.uri, method: .get, headers: bearer(harness.treasuryToken))
      try harness.closeOctober()
      let after = try await client.execute(uri: Self.uri, method: .get, headers: bearer(harness.treasuryToken))
      #expect(after.text == before.text)
      #expect(after.text.contains(#"{"period": "2026-10", "status": "open""#))
    }
  }

  /// The twin: without the cache the same server computes the answer again, and sees the close.
  @Test func withoutTheCacheEveryAnswerIsComputed() async throws {
    let harness = try ServerHarness()
    var configuration = ServerHarness.testConfiguration
    configuration.ledgerCheckInterval = .seconds(3600)
    configuration.cachesAnswers = false
    try await harness.application(configuration).test(.router) { client in
      let before = try await client.execute(uri: Self.uri, method: .get, headers: bearer(harness.treasuryToken))
      #expect(before.text.contains(#"{"period": "2026-10", "status": "open""#))
      try harness.closeOctober()
      let after = try await client.execute(uri: Self.uri, method: .get, headers: bearer(harness.treasuryToken))
      #expect(after.text == EarningsReport.json(try harness.earnings("A1", "USD")))
      #expect(after.text.contains(#"{"period": "2026-10", "status": "closed""#))
    }
  }
}

import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PreviewServer
import Testing

@Suite struct LiveServerTests {
  /// A real socket on 127.0.0.1, an ephemeral port.
  @Test func servesOverARealSocket() async throws {
    let harness = try ServerHarness()
    let expected = try harness.earnings("A1", "USD")
    try await harness.application().test(.live) { client in
      #expect(client.port != nil && client.port != 0)
      let health = try await client.execute(uri: "/healthz", method: .get)
      #expect(health.status == .ok)
      let api = try await client.execute(
        uri: "/v1/affiliates/A1/earnings?currency=USD", method: .get, headers: bearer(harness.tokenA))
      #expect(api.status == .ok)
      #expect(api.text.contains("\"affiliate_id\""))
      #expect(expected.affiliateID == "A1")
      let forbidden = try await client.execute(
        uri: "/v1/affiliates/B2/earnings?currency=USD", method: .get, headers: bearer(harness.tokenA))
      #expect(forbidden.status == .forbidden)
    }
    #expect(harness.logs.lines.contains { $0.contains("client=127.0.0.1") })
  }

  /// Headers past 16 KiB in all are refused by NIO's decoder before any route runs: 400 and the
  /// connection closed.
  @Test func oversizedHeadersAreRefused() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.live) { client in
      let small: HTTPFields = [HTTPField.Name("X-Padding")!: String(repeating: "a", count: 4 << 10)]
      let accepted = try await client.execute(uri: "/healthz", method: .get, headers: small)
      #expect(accepted.status == .ok)
      let large: HTTPFields = [HTTPField.Name("X-Padding")!: String(repeating: "a", count: 20 << 10)]
      var outcome = "connection closed"
      do {
        outcome = "status \(try await client.execute(uri: "/healthz", method: .get, headers: large).status.code)"
      } catch {}
      #expect(outcome == "status 400" || outcome == "status 431" || outcome == "connection closed", "\(outcome)")
    }
  }
}

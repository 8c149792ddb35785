import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PreviewServer
import Testing

@Suite struct AccessTests {
  /// Affiliate A's token (and A's session) on affiliate B's id: 403 on every route that names one.
  @Test func anAffiliatesTokenOnAnotherAffiliateIs403Everywhere() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let (_, cookie) = try await client.signIn(harness.tokenA)
      let session: HTTPFields = [.cookie: try #require(cookie)]
      let routes: [(String, HTTPFields, String)] = [
        (
          "/v1/affiliates/B2/earnings?currency=USD", bearer(harness.tokenA),
          "{\"error\": \"this token does not give access to affiliate B2\"}\n"
        ),
        (
          "/v1/affiliates/B2/earnings?currency=XYZ", bearer(harness.tokenA),
          "{\"error\": \"this token does not give access to affiliate B2\"}\n"
        ),
        (
          "/v1/affiliates/ZZ9/earnings?currency=USD", bearer(harness.tokenA),
          "{\"error\": \"this token does not give access to affiliate ZZ9\"}\n"
        ),
        ("/affiliates/B2", session, "this token does not give access to affiliate B2"),
        ("/affiliates/B2?currency=JPY", session, "this token does not give access to affiliate B2"),
        ("/affiliates/ZZ9", session, "this token does not give access to affiliate ZZ9"),
      ]
      for (uri, headers, message) in routes {
        let response = try await client.execute(uri: uri, method: .get, headers: headers)
        #expect(response.status == .forbidden, "\(uri)")
        #expect(response.text.contains(message), "\(uri)")
      }
      // The same token on its own id passes on both routes.
      let own = try await client.execute(
        uri: "/v1/affiliates/A1/earnings?currency=USD", method: .get, headers: bearer(harness.tokenA))
      #expect(own.status == .ok)
      let page = try await client.execute(uri: "/affiliates/A1", method: .get, headers: session)
      #expect(page.status == .ok)
    }
  }

  @Test func logsCarryARequestIDAndNeverATokenOrCookie() async throws {
    let harness = try ServerHarness()
    let requestIDs = try await harness.application().test(.router) { client in
      var ids: [String] = []
      let api = try await client.execute(
        uri: "/v1/affiliates/A1/earnings?currency=USD", method: .get, headers: bearer(harness.tokenA))
      ids.append(api.headers[HTTPField.Name("X-Request-ID")!] ?? "")
      _ = try await client.execute(
        uri: "/v1/affiliates/A1/earnings?currency=USD", method: .get, headers: bearer("stl_secret_guess"))
      let (_, cookie) = try await client.signIn(harness.treasuryToken)
      let page = try await client.execute(uri: "/affiliates/B2", method: .get, headers: [.cookie: try #require(cookie)])
      ids.append(page.headers[HTTPField.Name("X-Request-ID")!] ?? "")
      _ = try await client.signIn("stl_wrong_secret")
      return (ids, cookie ?? "")
    }
    let lines = harness.logs.lines
    #expect(lines.count >= 5)
    let sessionID = String(requestIDs.1.dropFirst("settle_session=".count))
    for secret in [harness.tokenA, harness.treasuryToken, "stl_secret_guess", "stl_wrong_secret", sessionID] {
      #expect(!secret.isEmpty)
      #expect(!lines.contains { $0.contains(secret) }, "\(secret) logged")
    }
    for id in requestIDs.0 {
      #expect(!id.isEmpty)
      #expect(lines.contains { $0.contains("hb.request.id=\(id)") && $0.contains("status=200") })
    }
    #expect(lines.contains { $0.contains("path=/v1/affiliates/A1/earnings") && $0.contains("status=401") })
  }
}

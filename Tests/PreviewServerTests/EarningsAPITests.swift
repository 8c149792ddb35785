import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Preview
import PreviewServer
import Testing

@Suite struct EarningsAPITests {
  @Test func healthzAnswersOkWithoutAToken() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let response = try await client.execute(uri: "/healthz", method: .get)
      #expect(response.status == .ok)
      #expect(response.text == "ok\n")
      #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
    }
  }

  @Test func unknownRoutesAre404() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let api = try await client.execute(uri: "/v1/nothing", method: .get, headers: bearer(harness.treasuryToken))
      #expect(api.status == .notFound)
      #expect(api.text == "{\"error\": \"no such page\"}\n")
      let page = try await client.execute(uri: "/nothing/here", method: .get)
      #expect(page.status == .notFound)
      #expect(page.headers[.contentType] == "text/html; charset=utf-8")
      #expect(page.text.contains("<p class=\"error\">no such page</p>"))
    }
  }

  @Test func anAffiliateReadsItsOwnEarnings() async throws {
    let harness = try ServerHarness()
    let expected = EarningsReport.json(try harness.earnings("A1", "EUR"))
    try await harness.application().test(.router) { client in
      let response = try await client.execute(
        uri: "/v1/affiliates/A1/earnings?currency=eur", method: .get, headers: bearer(harness.tokenA))
      #expect(response.status == .ok)
      #expect(response.headers[.contentType] == "application/json; charset=utf-8")
      #expect(response.headers[.cacheControl] == "no-store")
      #expect(response.text == expected)
      #expect(response.text.contains("\"affiliate_id\""))
      #expect(response.headers[HTTPField.Name("X-Request-ID")!]?.isEmpty == false)
    }
  }

  @Test func theTreasuryReadsEveryAffiliate() async throws {
    let harness = try ServerHarness()
    let expectedA = EarningsReport.json(try harness.earnings("A1", "JPY"))
    let expectedB = EarningsReport.json(try harness.earnings("B2", "USD"))
    try await harness.application().test(.router) { client in
      let a = try await client.execute(
        uri: "/v1/affiliates/A1/earnings?currency=JPY", method: .get, headers: bearer(harness.treasuryToken))
      #expect(a.status == .ok)
      #expect(a.text == expectedA)
      let b = try await client.execute(
        uri: "/v1/affiliates/B2/earnings?currency=USD", method: .get, headers: bearer(harness.treasuryToken))
      #expect(b.status == .ok)
      #expect(b.text == expectedB)
    }
  }

  @Test func noOrAnUnknownTokenIs401() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let uri = "/v1/affiliates/A1/earnings?currency=USD"
      let none = try await client.execute(uri: uri, method: .get)
      #expect(none.status == .unauthorized)
      #expect(none.text == "{\"error\": \"an Authorization: Bearer token is required\"}\n")
      #expect(none.headers[.wwwAuthenticate] == "Bearer")
      for header in ["Bearer stl_0000", "Basic \(harness.tokenA)", "Bearer ", "Bearer \(harness.tokenA)x"] {
        let response = try await client.execute(uri: uri, method: .get, headers: [.authorization: header])
        #expect(response.status == .unauthorized, "\(header)")
        #expect(response.text == "{\"error\": \"the token is not valid\"}\n")
      }
    }
  }

  @Test func unknownCurrenciesAndAffiliatesAreClear4xx() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let cases: [(String, HTTPResponse.Status, String)] = [
        ("/v1/affiliates/A1/earnings?currency=XYZ", .badRequest, "currency \\\"XYZ\\\" is not an ISO 4217 code"),
        ("/v1/affiliates/A1/earnings?currency=US", .badRequest, "currency must be a three-letter ISO 4217 code"),
        ("/v1/affiliates/A1/earnings?currency=U%24D", .badRequest, "currency must be a three-letter ISO 4217 code"),
        ("/v1/affiliates/A1/earnings", .badRequest, "currency is required: ?currency=CCY, an ISO 4217 code"),
        ("/v1/affiliates/ZZ9/earnings?currency=USD", .notFound, "no earnings for affiliate ZZ9"),
      ]
      for (uri, status, message) in cases {
        let response = try await client.execute(uri: uri, method: .get, headers: bearer(harness.treasuryToken))
        #expect(response.status == status, "\(uri)")
        #expect(response.text == "{\"error\": \"\(message)\"}\n", "\(uri)")
      }
    }
  }

  @Test func aRevokedTokenStopsWorkingWithoutARestart() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let uri = "/v1/affiliates/A1/earnings?currency=USD"
      let before = try await client.execute(uri: uri, method: .get, headers: bearer(harness.tokenA))
      #expect(before.status == .ok)
      try harness.revoke(harness.tokenA)
      let after = try await client.execute(uri: uri, method: .get, headers: bearer(harness.tokenA))
      #expect(after.status == .unauthorized)
      let other = try await client.execute(uri: uri, method: .get, headers: bearer(harness.treasuryToken))
      #expect(other.status == .ok)
    }
  }

  @Test func repeatedFailuresFromOneClientGet429() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let uri = "/v1/affiliates/A1/earnings?currency=USD"
      for _ in 0..<5 {
        let response = try await client.execute(uri: uri, method: .get, headers: bearer("stl_guess"))
        #expect(response.status == .unauthorized)
      }
      let limited = try await client.execute(uri: uri, method: .get, headers: bearer("stl_guess"))
      #expect(limited.status == .tooManyRequests)
      #expect(limited.text == "{\"error\": \"too many failed attempts from this address; try again later\"}\n")
      let seconds = Int(limited.headers[.retryAfter] ?? "") ?? 0
      #expect((1...60).contains(seconds))
      // The client is held back before its token is looked at, so a guess cannot be confirmed.
      let valid = try await client.execute(uri: uri, method: .get, headers: bearer(harness.tokenA))
      #expect(valid.status == .tooManyRequests)
      let signIn = try await client.signIn(harness.tokenA)
      #expect(signIn.0.status == .tooManyRequests)
      let health = try await client.execute(uri: "/healthz", method: .get)
      #expect(health.status == .ok)
    }
  }

  @Test func fourFailuresStillLetAValidTokenIn() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let uri = "/v1/affiliates/A1/earnings?currency=USD"
      for _ in 0..<4 {
        let response = try await client.execute(uri: uri, method: .get, headers: bearer("stl_guess"))
        #expect(response.status == .unauthorized)
      }
      let valid = try await client.execute(uri: uri, method: .get, headers: bearer(harness.tokenA))
      #expect(valid.status == .ok)
    }
  }
}

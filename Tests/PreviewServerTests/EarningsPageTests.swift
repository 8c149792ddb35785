import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Money
import Preview
import PreviewServer
import Testing

@Suite struct EarningsPageTests {
  @Test func signingInSetsAStrictHttpOnlyCookieAndOpensTheAffiliatesPage() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let form = try await client.execute(uri: "/signin", method: .get)
      #expect(form.status == .ok)
      #expect(form.text.contains("<form method=\"post\" action=\"/signin\">"))
      let (response, cookie) = try await client.signIn(harness.tokenA)
      #expect(response.status == .seeOther)
      #expect(response.headers[.location] == "/affiliates/A1")
      let setCookie = try #require(response.headers[.setCookie])
      #expect(setCookie.hasPrefix("settle_session="))
      #expect(setCookie.hasSuffix("; Max-Age=28800; Path=/; HttpOnly; SameSite=Strict"))
      let id = try #require(cookie).dropFirst("settle_session=".count)
      #expect(id.count == 64 && id.allSatisfy(\.isHexDigit))
      let page = try await client.execute(uri: "/affiliates/A1", method: .get, headers: [.cookie: try #require(cookie)])
      #expect(page.status == .ok)
      #expect(page.text.contains("<h1>Earnings of A1</h1>"))
    }
  }

  @Test func theCookieIsSecureBehindAnHTTPSProxy() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let (response, _) = try await client.signIn(harness.tokenA, headers: [.init("X-Forwarded-Proto")!: "https"])
      #expect(response.headers[.setCookie]?.hasSuffix("; Path=/; HttpOnly; SameSite=Strict; Secure") == true)
    }
  }

  @Test func aWrongTokenAtSignInIs401AndSetsNoCookie() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let (response, cookie) = try await client.signIn("stl_wrong")
      #expect(response.status == .unauthorized)
      #expect(cookie == nil)
      #expect(response.text.contains("That token is not valid."))
    }
  }

  @Test func thePageWithoutASessionIs401WithASignInLink() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let none = try await client.execute(uri: "/affiliates/A1", method: .get)
      #expect(none.status == .unauthorized)
      #expect(none.text.contains("<a href=\"/signin?next=/affiliates/A1\">Sign in</a>"))
      let forged = try await client.execute(
        uri: "/affiliates/A1", method: .get, headers: [.cookie: "settle_session=" + String(repeating: "ab", count: 32)])
      #expect(forged.status == .unauthorized)
      #expect(forged.headers[.setCookie] == "settle_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict")
      // A bearer token does not open the page: it takes the sign-in session.
      let bearerOnly = try await client.execute(uri: "/affiliates/A1", method: .get, headers: bearer(harness.tokenA))
      #expect(bearerOnly.status == .unauthorized)
    }
  }

  @Test func thePageShowsTheFiguresFormattedAndABarPerMarket() async throws {
    let harness = try ServerHarness()
    let earnings = try harness.earnings("A1", "EUR")
    try await harness.application().test(.router) { client in
      let (_, cookie) = try await client.signIn(harness.tokenA)
      let page = try await client.execute(
        uri: "/affiliates/A1?currency=EUR&locale=de_DE", method: .get, headers: [.cookie: try #require(cookie)])
      #expect(page.status == .ok)
      let html = page.text
      #expect(html.contains("<html lang=\"de-DE\">"))
      #expect(html.contains("<option value=\"EUR\" selected>EUR</option>"))
      #expect(html.contains("<option value=\"JPY\">JPY</option>"))
      let format = { (money: Money) in MoneyFormat.string(money, locale: "de_DE") }
      // September: US 100.00 and DE 50.00 USD; October: US 20.00 USD.
      let september = try #require(earnings.periods.first { $0.period.description == "2026-09" })
      #expect(september.markets.map(\.commission.settlement.minorUnits) == [5_000, 10_000])
      for market in september.markets {
        #expect(html.contains(format(market.commission.display)))
        #expect(html.contains(format(market.commission.settlement)))
      }
      #expect(html.contains(format(september.total.display)))
      #expect(html.contains(format(earnings.balance.display)))
      #expect(html.contains("2026-10 <span class=\"muted\">open</span>"))
      #expect(html.contains("2026-09 <span class=\"muted\">closed</span>"))
      // Bars: US (120.00 USD in all) is the longest at 480; DE in proportion, from the minor units.
      let us = earnings.periods.flatMap(\.markets).filter { $0.market == "US" }.map(\.commission.display.minorUnits)
        .reduce(0, +)
      let de = earnings.periods.flatMap(\.markets).filter { $0.market == "DE" }.map(\.commission.display.minorUnits)
        .reduce(0, +)
      #expect(html.contains("<text x=\"0\" y=\"16\">US</text><rect x=\"48\" y=\"0\" width=\"480\" height=\"22\">"))
      #expect(html.contains("<text x=\"0\" y=\"46\">DE</text><rect x=\"48\" y=\"30\" width=\"\(de * 480 / us)\""))
      #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
      #expect(!html.contains("<script"))
      #expect(page.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'") == true)
    }
  }

  @Test func thePageDefaultsToTheSettlementCurrencyAndTheBrowsersLanguage() async throws {
    let harness = try ServerHarness()
    let earnings = try harness.earnings("A1", "USD")
    try await harness.application().test(.router) { client in
      let (_, cookie) = try await client.signIn(harness.tokenA)
      var headers: HTTPFields = [.cookie: try #require(cookie)]
      headers[.acceptLanguage] = "fr-FR,fr;q=0.9,en;q=0.5"
      let page = try await client.execute(uri: "/affiliates/A1", method: .get, headers: headers)
      #expect(page.status == .ok)
      #expect(page.text.contains("<option value=\"USD\" selected>USD</option>"))
      #expect(page.text.contains(MoneyFormat.string(earnings.balance.display, locale: "fr_FR")))
      #expect(page.text.contains("<html lang=\"fr-FR\">"))
    }
  }

  @Test func anUnknownCurrencyOnThePageIs400AndAnUnknownAffiliate404() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let (_, cookie) = try await client.signIn(harness.treasuryToken)
      let headers: HTTPFields = [.cookie: try #require(cookie)]
      let currency = try await client.execute(uri: "/affiliates/A1?currency=XYZ", method: .get, headers: headers)
      #expect(currency.status == .badRequest)
      #expect(currency.text.contains("currency &quot;XYZ&quot; is not an ISO 4217 code"))
      let affiliate = try await client.execute(uri: "/affiliates/ZZ9", method: .get, headers: headers)
      #expect(affiliate.status == .notFound)
      #expect(affiliate.text.contains("no earnings for affiliate ZZ9"))
    }
  }

  @Test func signingOutEndsTheSession() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let (_, cookie) = try await client.signIn(harness.tokenA)
      let headers: HTTPFields = [.cookie: try #require(cookie)]
      let out = try await client.execute(uri: "/signout", method: .post, headers: headers)
      #expect(out.status == .seeOther)
      #expect(out.headers[.location] == "/signin")
      #expect(out.headers[.setCookie] == "settle_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict")
      let page = try await client.execute(uri: "/affiliates/A1", method: .get, headers: headers)
      #expect(page.status == .unauthorized)
      let again = try await client.execute(uri: "/signout", method: .post, headers: headers)
      #expect(again.status == .unauthorized)
    }
  }

  @Test func aSessionEndsWhenItsTokenIsRevoked() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let (_, cookie) = try await client.signIn(harness.tokenA)
      let headers: HTTPFields = [.cookie: try #require(cookie)]
      #expect(try await client.execute(uri: "/affiliates/A1", method: .get, headers: headers).status == .ok)
      try harness.revoke(harness.tokenA)
      let page = try await client.execute(uri: "/affiliates/A1", method: .get, headers: headers)
      #expect(page.status == .unauthorized)
      #expect(page.text.contains("your token has been revoked"))
    }
  }

  @Test func signInBodiesAreBounded() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let body = "token=" + String(repeating: "a", count: 4096)
      let response = try await client.execute(
        uri: "/signin", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
        body: ByteBuffer(string: body))
      #expect(response.status == .contentTooLarge)
      let limit = "token=" + String(repeating: "a", count: 4096 - 6)
      let atLimit = try await client.execute(
        uri: "/signin", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
        body: ByteBuffer(string: limit))
      #expect(atLimit.status == .unauthorized)
    }
  }

  @Test func aFormPostedFromAnotherSiteIsRefused() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let (response, cookie) = try await client.signIn(harness.tokenA, headers: [.origin: "https://evil.example"])
      #expect(response.status == .forbidden)
      #expect(cookie == nil)
    }
  }

  @Test func theTreasurySignsInAndIsSentWhereItAsked() async throws {
    let harness = try ServerHarness()
    try await harness.application().test(.router) { client in
      let response = try await client.execute(
        uri: "/signin", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
        body: ByteBuffer(string: "token=\(harness.treasuryToken)&next=%2Faffiliates%2FB2%3Fcurrency%3DJPY"))
      #expect(response.status == .seeOther)
      #expect(response.headers[.location] == "/affiliates/B2?currency=JPY")
      let elsewhere = try await client.execute(
        uri: "/signin", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
        body: ByteBuffer(string: "token=\(harness.treasuryToken)&next=https%3A%2F%2Fevil.example"))
      #expect(elsewhere.status == .ok)
      #expect(elsewhere.text.contains("Signed in with a treasury token"))
    }
  }
}

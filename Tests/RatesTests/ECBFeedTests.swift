import Dates
import Money
import Rates
import Testing

@Suite struct ECBFeedTests {
  @Test func parsesTheDailyFeed() throws {
    let publications = try ECBFeed.parse(Fixtures.bytes(Fixtures.sharedECB + "/eurofxref-daily.xml"), source: "daily")
    #expect(publications.count == 1)
    let publication = try #require(publications.first)
    #expect(publication.day == (try Fixtures.day("2026-10-30")))
    #expect(publication.rates.count == 29)
    #expect(
      publication.rates.first == CurrencyRate(currency: try Fixtures.currency("USD"), rate: try FixedDecimal("1.1172")))
    let idr = try #require(publication.rates.first { $0.currency.code == "IDR" })
    #expect(idr.rate.description == "20275.17")
    let isk = try #require(publication.rates.first { $0.currency.code == "ISK" })
    #expect(isk.rate.description == "136")
  }

  @Test func parsesTheNinetyDayFeed() throws {
    let publications = try ECBFeed.parse(Fixtures.bytes(Fixtures.sharedECB + "/eurofxref-hist-90d.xml"), source: "90d")
    #expect(publications.count == 64)
    #expect(publications.first?.day == (try Fixtures.day("2026-10-30")))
  }

  @Test func parsesTheGzipHistoryLikeThePlainOne() throws {
    let compressed = try ECBFeed.parse(Fixtures.bytes(Fixtures.sharedECB + "/eurofxref-hist.xml.gz"), source: "gz")
    let plain = try ECBFeed.parse(Fixtures.bytes(Fixtures.bundledHistory), source: "plain")
    #expect(compressed.count == 7_126)
    #expect(compressed == plain)
    #expect(plain.last?.day == (try Fixtures.day("1999-01-04")))
  }

  @Test func corruptGzipIsRefused() throws {
    var bytes = try Fixtures.bytes(Fixtures.sharedECB + "/eurofxref-hist.xml.gz")
    bytes.removeLast(bytes.count / 2)
    #expect(throws: RatesError(.notGzip(message: "truncated"), source: "gz")) {
      try ECBFeed.parse(bytes, source: "gz")
    }
  }

  @Test func writingTheHistoryBackGivesTheSameBytes() throws {
    let bytes = try Fixtures.bytes(Fixtures.bundledHistory)
    let publications = try ECBFeed.parse(bytes, source: "hist")
    #expect(ECBFeed.document(of: publications) == bytes)
  }

  @Test func keepsCurrenciesThatLeftISO4217() throws {
    let publications = try ECBFeed.parse(Fixtures.bytes(Fixtures.bundledHistory), source: "hist")
    let codes = Set(publications.flatMap { $0.rates.map(\.currency.code) })
    for code in ["CYP", "EEK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "TRL", "HRK", "BGN"] {
      #expect(codes.contains(code), "\(code)")
    }
  }

  @Test(arguments: [
    ("-1.5", "feed:5: 2026-10-30 USD: rate \"-1.5\" is not a positive plain decimal"),
    ("0", "feed:5: 2026-10-30 USD: rate \"0\" is not a positive plain decimal"),
    ("1e3", "feed:5: 2026-10-30 USD: rate \"1e3\" is not a positive plain decimal"),
    ("abc", "feed:5: 2026-10-30 USD: rate \"abc\" is not a positive plain decimal"),
    ("", "feed:5: 2026-10-30 USD: rate \"\" is not a positive plain decimal"),
  ])
  func badRatesAreRefusedNamingDayAndCurrency(rate: String, message: String) throws {
    let error = #expect(throws: RatesError.self) {
      try ECBFeed.parse(Fixtures.feed([("2026-10-30", [("USD", rate)])]), source: "feed")
    }
    #expect(error?.description == message)
  }

  @Test(arguments: ["usd", "US", "USDX", "XAU", "ZZZ"])
  func badCurrencyCodesAreRefused(code: String) throws {
    let error = #expect(throws: RatesError.self) {
      try ECBFeed.parse(Fixtures.feed([("2026-10-30", [(code, "1.5")])]), source: "feed")
    }
    #expect(error?.description == "feed:5: 2026-10-30 currency \"\(code)\" is not an ISO 4217 code Settle knows")
  }

  @Test func aGoodFeedOfOneRateParses() throws {
    let publications = try ECBFeed.parse(Fixtures.feed([("2026-10-30", [("USD", "1.5")])]), source: "feed")
    #expect(publications.count == 1)
  }

  @Test func duplicateDaysAreRefused() throws {
    let feed = Fixtures.feed([("2026-10-30", [("USD", "1.5")]), ("2026-10-30", [("USD", "1.6")])])
    let error = #expect(throws: RatesError.self) { try ECBFeed.parse(feed, source: "feed") }
    #expect(error?.description == "feed: 2026-10-30 is published twice")
  }

  @Test func duplicateCurrenciesWithinADayAreRefused() throws {
    let feed = Fixtures.feed([("2026-10-30", [("USD", "1.5"), ("JPY", "170"), ("USD", "1.6")])])
    let error = #expect(throws: RatesError.self) { try ECBFeed.parse(feed, source: "feed") }
    #expect(error?.description == "feed: 2026-10-30 USD: the currency appears twice in one publication")
  }

  @Test func theSameCurrencyOnTwoDaysIsFine() throws {
    let feed = Fixtures.feed([("2026-10-30", [("USD", "1.5")]), ("2026-10-29", [("USD", "1.6")])])
    #expect(try ECBFeed.parse(feed, source: "feed").count == 2)
  }

  @Test func badDaysAreRefused() throws {
    let error = #expect(throws: RatesError.self) {
      try ECBFeed.parse(Fixtures.feed([("2026-02-30", [("USD", "1.5")])]), source: "feed")
    }
    #expect(error?.description == "feed:4: time \"2026-02-30\" is not a day in the form YYYY-MM-DD")
  }

  @Test func textThatIsNotXMLIsRefused() throws {
    let error = #expect(throws: RatesError.self) {
      try ECBFeed.parse(Array("<html><body>Service unavailable".utf8), source: "feed")
    }
    #expect(error?.description.hasPrefix("feed:1: not an ECB XML feed: ") == true)
    let plain = #expect(throws: RatesError.self) { try ECBFeed.parse(Array("not xml at all".utf8), source: "feed") }
    #expect(plain?.description == "feed:1: not an ECB XML feed: Document is empty")
  }

  @Test func wellFormedXMLWithoutPublicationsIsRefused() throws {
    let error = #expect(throws: RatesError.self) { try ECBFeed.parse(Array("<a><b/></a>".utf8), source: "feed") }
    #expect(error?.description == "feed: holds no ECB publications")
  }
}

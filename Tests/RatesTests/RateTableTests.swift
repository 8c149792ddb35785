import Dates
import Money
import Rates
import Testing

@Suite struct RateTableTests {
  static let history: RateTable? = try? RatesStore(directory: Fixtures.repositoryRoot + "/rates").load()

  func table() throws -> RateTable { try #require(RateTableTests.history) }

  @Test func theIssueExampleConvertsTo19465Yen() throws {
    let rated = try table().conversion(
      from: try Fixtures.currency("USD"), to: try Fixtures.currency("JPY"), on: try Fixtures.day("2026-10-04"))
    #expect(rated.publicationDay == (try Fixtures.day("2026-10-02")))
    #expect(rated.rateFrom.description == "1.1225")
    #expect(rated.rateTo.description == "176.99")
    let amount = try Money(parsing: "123.45", currency: try Fixtures.currency("USD"))
    #expect(try rated.conversion.convert(amount, rounding: .halfEven).description == "19465 JPY")
  }

  @Test func aPublicationDayAnswersForItself() throws {
    let answer = try table().rate(for: try Fixtures.currency("USD"), on: try Fixtures.day("2026-10-30"))
    #expect(answer.publicationDay == (try Fixtures.day("2026-10-30")))
    #expect(answer.rate.description == "1.1172")
  }

  @Test func sevenDaysAfterTheLastPublicationStillAnswers() throws {
    let answer = try table().rate(for: try Fixtures.currency("USD"), on: try Fixtures.day("2026-11-06"))
    #expect(answer.publicationDay == (try Fixtures.day("2026-10-30")))
  }

  @Test func eightDaysAfterTheLastPublicationDoesNot() throws {
    let error = #expect(throws: RatesError.self) {
      try table().rate(for: try Fixtures.currency("USD"), on: try Fixtures.day("2026-11-07"))
    }
    #expect(
      error?.description
        == "no ECB rate for USD on 2026-11-07: no publication on that day or the 7 days before (\(Fixtures.repositoryRoot)/rates/eurofxref-hist.xml)"
    )
  }

  @Test func beforeTheFirstPublicationThereIsNoRate() throws {
    #expect(throws: RatesError.self) {
      try table().rate(for: try Fixtures.currency("USD"), on: try Fixtures.day("1999-01-03"))
    }
  }

  @Test func aCurrencyTheECBStoppedIsAnsweredOnlyWhilePublished() throws {
    let hrk = try Fixtures.currency("HRK")
    #expect(try table().rate(for: hrk, on: try Fixtures.day("2022-12-30")).rate.description == "7.5365")
    // New Year's Day 2023 falls back to 2022-12-30, which still lists HRK.
    #expect(
      try table().rate(for: hrk, on: try Fixtures.day("2023-01-01")).publicationDay == (try Fixtures.day("2022-12-30")))
    let error = #expect(throws: RatesError.self) { try table().rate(for: hrk, on: try Fixtures.day("2023-01-03")) }
    #expect(
      error?.description.hasPrefix("no ECB rate for HRK on 2023-01-03: the publication of 2023-01-03 does not list it")
        == true)
  }

  @Test func bothLegsComeFromTheSamePublication() throws {
    // 2026-10-03 is a Saturday: both rates from Friday 2026-10-02.
    let rated = try table().conversion(
      from: try Fixtures.currency("GBP"), to: try Fixtures.currency("PLN"), on: try Fixtures.day("2026-10-03"))
    let gbp = try table().rate(for: try Fixtures.currency("GBP"), on: try Fixtures.day("2026-10-02"))
    let pln = try table().rate(for: try Fixtures.currency("PLN"), on: try Fixtures.day("2026-10-02"))
    #expect(rated.publicationDay == (try Fixtures.day("2026-10-02")))
    #expect(rated.rateFrom == gbp.rate)
    #expect(rated.rateTo == pln.rate)
  }

  @Test func euroIsOneOnEveryPublication() throws {
    let eur = try Fixtures.currency("EUR")
    let rated = try table().conversion(from: eur, to: eur, on: try Fixtures.day("2010-06-15"))
    #expect(try rated.conversion.convert(minorUnits: 12_345, rounding: .halfEven) == 12_345)
  }

  @Test func duplicateDaysAreRefusedByTheTable() throws {
    let day = try Fixtures.day("2026-10-30")
    let publication = Publication(day: day, rates: [])
    let error = #expect(throws: RatesError.self) {
      try RateTable(publications: [publication, publication], source: "t")
    }
    #expect(error?.description == "t: 2026-10-30 is published twice")
  }

  @Test func noPublicationsIsRefused() throws {
    #expect(throws: RatesError(.noPublications, source: "t")) { try RateTable(publications: [], source: "t") }
  }
}

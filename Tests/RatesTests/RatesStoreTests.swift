import Dates
import Digest
import Files
import Money
@testable import Rates
import Testing

@Suite struct RatesStoreTests {
  @Test func savesAndLoadsPublications() throws {
    let directory = try Fixtures.temporaryDirectory()
    let store = RatesStore(directory: directory)
    let publications = try ECBFeed.parse(Fixtures.bytes(Fixtures.sharedECB + "/eurofxref-hist-90d.xml"), source: "90d")
    try store.save(publications)
    #expect(try store.loadPublications().sorted { $0.day < $1.day } == publications.sorted { $0.day < $1.day })
    #expect(try store.load().lastDay == (try Fixtures.day("2026-10-30")))
  }

  @Test func aMissingStoreHasNoPublications() throws {
    let store = RatesStore(directory: try Fixtures.temporaryDirectory())
    #expect(try store.loadPublications().isEmpty)
    #expect(throws: RatesError.self) { try store.load() }
  }

  /// A window answers every day it covers, for every currency, as the whole history does; lists
  /// the currencies of the whole history; and gives the SHA-256 of the whole file. Read whole the
  /// first time, then under the history check the first read wrote.
  @Test(arguments: [false, true]) func aWindowAnswersItsDaysAsTheWholeHistoryDoes(underCheck: Bool) throws {
    let store = RatesStore(directory: try Fixtures.temporaryDirectory())
    let history = try Fixtures.bytes(Fixtures.bundledHistory)
    try AtomicFile.write(history, to: store.historyPath)
    let whole = try store.load()
    // A month with a weekend first day and a TARGET holiday (1 May), seen from its lookback too.
    let days = try Fixtures.day("2021-05-01")...(try Fixtures.day("2021-05-31"))
    var loaded = try store.loadWindow(for: days, settledSecondsMin: 0)
    #expect(loaded.readWhole)
    if underCheck {
      loaded = try store.loadWindow(for: days, settledSecondsMin: 0)
      #expect(!loaded.readWhole)
    }
    let window = loaded.table
    #expect(loaded.sha256 == SHA256.hexDigest(of: history))
    #expect(window.currencies == whole.currencies)
    // The kuna, listed until 2022, and currencies dropped long before the window are still listed.
    #expect(window.currencies.contains(try Fixtures.currency("HRK")))
    #expect(window.currencies.contains(try Fixtures.currency("LTL")))
    #expect(window.publications.count < 30)
    for day in stride(from: days.lowerBound, through: days.upperBound, by: 1) {
      for currency in whole.currencies {
        let expected = Result { try whole.rate(for: currency, on: day) }
        let found = Result { try window.rate(for: currency, on: day) }
        switch (expected, found) {
        case (.success(let expected), .success(let found)): #expect(expected == found, "\(currency) on \(day)")
        case (.failure(let expected), .failure(let found)):
          #expect("\(expected)" == "\(found)", "\(currency) on \(day)")
        default: Issue.record("\(currency) on \(day): \(expected) against \(found)")
        }
      }
    }
  }

  @Test func aWindowWithoutPublicationsAnswersNoDay() throws {
    let store = RatesStore(directory: Fixtures.repositoryRoot + "/rates")
    let days = try Fixtures.day("2031-01-01")...(try Fixtures.day("2031-01-31"))
    let window = try store.loadWindow(for: days).table
    #expect(window.publications.isEmpty)
    #expect(window.currencies.contains(try Fixtures.currency("USD")))
    let error = #expect(throws: RatesError.self) {
      try window.conversion(from: try Fixtures.currency("USD"), to: try Fixtures.currency("JPY"), on: days.lowerBound)
    }
    #expect(error.map { "\($0)" }?.contains("2031-01-01") == true)
  }

  @Test func aWindowStillChecksTheWholeHistory() throws {
    let directory = try Fixtures.temporaryDirectory()
    let store = RatesStore(directory: directory)
    // A bad rate years before the window: the store is refused, as a full load refuses it.
    let feed = Fixtures.feed([
      ("2019-03-01", [("USD", "-1.1")]), ("2026-10-01", [("USD", "1.1")]),
    ])
    try AtomicFile.write(feed, to: store.historyPath)
    #expect(throws: RatesError.self) {
      try store.loadWindow(for: try Fixtures.day("2026-10-01")...(try Fixtures.day("2026-10-31")))
    }
    #expect(throws: RatesError.self) { try store.load() }
    #expect(throws: FileError.self) {
      try RatesStore(directory: directory + "/missing").loadWindow(
        for: try Fixtures.day("2026-10-01")...(try Fixtures.day("2026-10-31")))
    }
  }

  @Test func mergeAddsNewDaysAndReplacesRevisedOnes() throws {
    let usd = try Fixtures.currency("USD")
    let stored = [
      Publication(
        day: try Fixtures.day("2026-10-29"), rates: [CurrencyRate(currency: usd, rate: try FixedDecimal("1.10"))]),
      Publication(
        day: try Fixtures.day("2026-10-28"), rates: [CurrencyRate(currency: usd, rate: try FixedDecimal("1.09"))]),
    ]
    let fetched = [
      Publication(
        day: try Fixtures.day("2026-10-30"), rates: [CurrencyRate(currency: usd, rate: try FixedDecimal("1.11"))]),
      Publication(
        day: try Fixtures.day("2026-10-29"), rates: [CurrencyRate(currency: usd, rate: try FixedDecimal("1.12"))]),
      Publication(
        day: try Fixtures.day("2026-10-28"), rates: [CurrencyRate(currency: usd, rate: try FixedDecimal("1.09"))]),
    ]
    let merge = RatesStore.merge(stored: stored, fetched: fetched)
    #expect(merge.addedDays == [try Fixtures.day("2026-10-30")])
    #expect(merge.revisedDays == [try Fixtures.day("2026-10-29")])
    #expect(merge.publications.map(\.day.description) == ["2026-10-28", "2026-10-29", "2026-10-30"])
    #expect(merge.publications[1].rates[0].rate.description == "1.12")
  }

  @Test func mergingTheSameFeedChangesNothing() throws {
    let publications = try ECBFeed.parse(Fixtures.bytes(Fixtures.sharedECB + "/eurofxref-hist-90d.xml"), source: "90d")
    let merge = RatesStore.merge(stored: publications, fetched: publications)
    #expect(!merge.changed)
  }
}

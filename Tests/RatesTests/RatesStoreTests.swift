import Dates
import Files
import Money
import Rates
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

  @Test func mergeAddsNewDaysAndReplacesRevisedOnes() throws {
    let usd = try Fixtures.currency("USD")
    let stored = [
      Publication(day: try Fixtures.day("2026-10-29"), rates: [CurrencyRate(currency: usd, rate: try FixedDecimal("1.10"))]),
      Publication(day: try Fixtures.day("2026-10-28"), rates: [CurrencyRate(currency: usd, rate: try FixedDecimal("1.09"))]),
    ]
    let fetched = [
      Publication(day: try Fixtures.day("2026-10-30"), rates: [CurrencyRate(currency: usd, rate: try FixedDecimal("1.11"))]),
      Publication(day: try Fixtures.day("2026-10-29"), rates: [CurrencyRate(currency: usd, rate: try FixedDecimal("1.12"))]),
      Publication(day: try Fixtures.day("2026-10-28"), rates: [CurrencyRate(currency: usd, rate: try FixedDecimal("1.09"))]),
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

import FuzzSupport
import Money
import Rates

/// `ECBFeed.parse`: libxml2's SAX2 push parser over an ECB feed, plain or gzip-compressed.
///
/// Invariants: a parse either succeeds or throws `RatesError` (typed: never anything else, and never a
/// trap or a memory error, checked by the address sanitizer); what it returns has at least one
/// publication, no day twice, no currency twice in a day, at most `ratesPerPublicationMax` rates and
/// every rate positive; `ECBFeed.document(of:)` writes it as a feed that parses to the same
/// publications; a `RateTable` indexes it and answers every rate as published.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzECB(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = inputBytes(data, size)
  let publications: [Publication]
  do {
    publications = try ECBFeed.parse(bytes, source: "fuzz.xml")
  } catch {
    invariant(error.source == "fuzz.xml" && !error.description.isEmpty, "the error \(error) does not name the source")
    return 0
  }
  invariant(!publications.isEmpty, "a feed parsed into no publications")
  invariant(Set(publications.map(\.day)).count == publications.count, "a day appears twice: \(publications.map(\.day))")
  for publication in publications {
    let currencies = publication.rates.map(\.currency)
    invariant(Set(currencies).count == currencies.count, "\(publication.day) lists a currency twice: \(currencies)")
    invariant(currencies.count <= ECBFeed.ratesPerPublicationMax, "\(publication.day) has \(currencies.count) rates")
    for entry in publication.rates {
      invariant(entry.rate.isPositive, "\(publication.day) \(entry.currency) has rate \(entry.rate)")
    }
  }
  checkDocument(publications)
  checkRateTable(publications)
  return 0
}

private func checkDocument(_ publications: [Publication]) {
  let document = ECBFeed.document(of: publications)
  do {
    let reparsed = try ECBFeed.parse(document, source: "document.xml")
    let byDay = { (list: [Publication]) in list.sorted { $0.day < $1.day } }
    invariant(byDay(reparsed) == byDay(publications), "the publications written as a feed read back differently")
  } catch {
    invariant(false, "the publications written as a feed do not parse: \(error)")
  }
}

private func checkRateTable(_ publications: [Publication]) {
  let table: RateTable
  do {
    table = try RateTable(publications: publications, source: "fuzz.xml")
  } catch {
    invariant(false, "publications with distinct days do not make a rate table: \(error)")
    return
  }
  for (index, publication) in table.publications.enumerated() {
    invariant(table.publicationIndex(for: publication.day) == index, "\(publication.day) is not found in the table")
    for entry in publication.rates where entry.currency.code != "EUR" {
      let rate = table.rate(entry.currency, publicationIndex: index)
      invariant(
        rate == entry.rate,
        "\(publication.day) \(entry.currency): \(entry.rate) published, \(String(describing: rate)) in the table")
    }
  }
}

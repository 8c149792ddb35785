public import Dates
public import Money

/// ECB publications indexed for lookup by day and currency.
///
/// The date rule: the rate for day D is the ECB publication of D; if there is none (a weekend,
/// a TARGET holiday), the latest publication before D at most `lookbackDaysMax` days back;
/// otherwise there is no rate. Never interpolated. Both legs of a conversion come from the same
/// publication, and every answer names the publication day it used.
public struct RateTable: Sendable {
  /// How many days before D a publication may be and still answer for D.
  public static let lookbackDaysMax: Int32 = 7

  /// Every publication, ascending by day.
  public let publications: [Publication]
  /// Where the publications came from, for error messages.
  public let source: String
  /// Column of each currency in `positions`, by the currency's dense slot; -1 for none.
  private let columnBySlot: [Int16]
  /// Where each currency's rate sits in each publication's `rates`, plus one; 0 when it is not listed.
  /// By column, then publication: column `c` holds `publications.count` positions from `c * publications.count`.
  /// Two bytes a cell rather than a 16-byte copy of the rate keep the full history's table at 0.6 MB
  /// instead of 4.7 MB: most of the cost of building it was first touching that memory.
  private let positions: [UInt16]
  /// For each calendar day from the first publication to the last, the index of the latest publication on or before it.
  private let latestPublicationByDay: [Int32]
  /// Columns reserved up front: the ECB has published 41 currencies since 1999; more columns grow the table.
  private static let columnsReservedCount = 48
  /// Every currency with at least one rate, sorted by code: in a window, also those listed only
  /// outside it.
  public let currencies: [Currency]

  /// Indexes publications, reading each once: a currency's column is added, all zero, when it first appears.
  /// - Throws: `RatesError.duplicateDay` when two publications share a day; `.noPublications` for none.
  public init(publications unsorted: [Publication], source: String) throws(RatesError) {
    guard !unsorted.isEmpty else { throw RatesError(.noPublications, source: source) }
    try self.init(sorted: unsorted.sorted { $0.day < $1.day }, alsoListing: [], source: source)
  }

  /// A window of a history: its publications of some days (maybe none), answering for those days
  /// as the whole history would, and `listing` the currencies the whole history has rates for.
  /// - Throws: `RatesError.duplicateDay` when two publications share a day.
  public init(window unsorted: [Publication], listing: [Currency], source: String) throws(RatesError) {
    try self.init(sorted: unsorted.sorted { $0.day < $1.day }, alsoListing: listing, source: source)
  }

  private init(sorted publications: [Publication], alsoListing: [Currency], source: String) throws(RatesError) {
    let publicationCount = publications.count
    var columnBySlot = [Int16](repeating: -1, count: 26 * 26 * 26)
    var columnCount = 0
    var positions: [UInt16] = []
    positions.reserveCapacity(publicationCount * RateTable.columnsReservedCount)
    let spanDays = publications.last.map { Int(publications[0].day.distance(to: $0.day)) + 1 } ?? 0
    var latest = [Int32](repeating: -1, count: spanDays)
    var previousDay: Day?
    for (index, publication) in publications.enumerated() {
      if publication.day == previousDay { throw RatesError(.duplicateDay(day: publication.day), source: source) }
      previousDay = publication.day
      precondition(publication.rates.count < Int(UInt16.max), "\(publication.day) lists more than 65,534 rates")
      for (position, entry) in publication.rates.enumerated() {
        let slot = RateTable.slot(entry.currency)
        var column = Int(columnBySlot[slot])
        if column < 0 {
          column = columnCount
          columnBySlot[slot] = Int16(column)
          columnCount += 1
          positions.append(contentsOf: repeatElement(0, count: publicationCount))
        }
        positions[column * publicationCount + index] = UInt16(position + 1)
      }
      latest[Int(publications[0].day.distance(to: publication.day))] = Int32(index)
    }
    var carried: Int32 = 0
    for offset in latest.indices {
      if latest[offset] >= 0 { carried = latest[offset] } else { latest[offset] = carried }
    }
    self.publications = publications
    self.source = source
    currencies = Currency.all.filter { columnBySlot[RateTable.slot($0)] >= 0 || alsoListing.contains($0) }
    self.columnBySlot = columnBySlot
    self.positions = positions
    self.latestPublicationByDay = latest
  }

  public var firstDay: Day? { publications.first?.day }
  public var lastDay: Day? { publications.last?.day }

  /// The index of the publication that answers for `day` under the date rule, or nil.
  public func publicationIndex(for day: Day) -> Int? {
    guard let first = publications.first else { return nil }
    let offset = Int(first.day.distance(to: day))
    guard offset >= 0 else { return nil }
    let index = Int(latestPublicationByDay[min(offset, latestPublicationByDay.count - 1)])
    guard publications[index].day.distance(to: day) <= RateTable.lookbackDaysMax else { return nil }
    return index
  }

  /// "EUR" packed as `Currency.packedCode` packs it: compared without making a String per lookup.
  static let euroPackedCode =
    UInt32(UInt8(ascii: "E")) << 16 | UInt32(UInt8(ascii: "U")) << 8 | UInt32(UInt8(ascii: "R"))

  /// The rate of `currency` in publication `index`, or nil when that publication does not list it. EUR is 1.
  public func rate(_ currency: Currency, publicationIndex index: Int) -> FixedDecimal? {
    if currency.packedCode == RateTable.euroPackedCode { return FixedDecimal(significand: 1, scale: 0) }
    let column = Int(columnBySlot[RateTable.slot(currency)])
    guard column >= 0 else { return nil }
    precondition(index >= 0 && index < publications.count, "publication index \(index) is outside the table")
    let position = Int(positions[column * publications.count + index])
    guard position > 0 else { return nil }
    let rate = publications[index].rates[position - 1].rate
    return rate.isZero ? nil : rate
  }

  /// The rate of `currency` for `day` under the date rule, with the publication day it came from.
  /// - Throws: `RatesError` naming the day and currency.
  public func rate(for currency: Currency, on day: Day) throws(RatesError) -> (rate: FixedDecimal, publicationDay: Day)
  {
    let index = try resolvedPublication(for: day, currency: currency)
    guard let rate = rate(currency, publicationIndex: index) else {
      throw RatesError(
        .currencyNotPublished(day: day, currency: currency, publicationDay: publications[index].day), source: source)
    }
    return (rate, publications[index].day)
  }

  /// An exact conversion for `day`, both rates from the same publication.
  /// - Throws: `RatesError` naming the day and the currency that has no rate.
  public func conversion(
    from source: Currency, to target: Currency, on day: Day, percentage: FixedDecimal? = nil
  ) throws(RatesError) -> RatedConversion {
    let index = try resolvedPublication(for: day, currency: source)
    let publicationDay = publications[index].day
    guard let rateFrom = rate(source, publicationIndex: index) else {
      throw RatesError(
        .currencyNotPublished(day: day, currency: source, publicationDay: publicationDay), source: self.source)
    }
    guard let rateTo = rate(target, publicationIndex: index) else {
      throw RatesError(
        .currencyNotPublished(day: day, currency: target, publicationDay: publicationDay), source: self.source)
    }
    do {
      let conversion = try Conversion(
        from: source, rate: rateFrom, to: target, rate: rateTo, percentage: percentage)
      return RatedConversion(conversion: conversion, rateFrom: rateFrom, rateTo: rateTo, publicationDay: publicationDay)
    } catch {
      throw RatesError(.conversion(error), source: self.source)
    }
  }

  private func resolvedPublication(for day: Day, currency: Currency) throws(RatesError) -> Int {
    guard let index = publicationIndex(for: day) else {
      throw RatesError(
        .noPublicationNear(day: day, currency: currency, lookbackDaysMax: Int(RateTable.lookbackDaysMax)),
        source: source)
    }
    return index
  }

  /// A currency's dense slot among the 26³ three-letter codes (the feed parser's too).
  static func slot(_ currency: Currency) -> Int {
    let code = currency.packedCode
    return Int((code >> 16) & 0xFF &- 65) * 676 + Int((code >> 8) & 0xFF &- 65) * 26 + Int(code & 0xFF &- 65)
  }
}

/// A conversion with the two rates and the publication day it was built from.
public struct RatedConversion: Sendable, Equatable {
  public let conversion: Conversion
  /// Units of the source currency per EUR.
  public let rateFrom: FixedDecimal
  /// Units of the target currency per EUR.
  public let rateTo: FixedDecimal
  public let publicationDay: Day
}

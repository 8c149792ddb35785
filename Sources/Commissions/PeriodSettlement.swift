import CSV
import Countries
public import Dates
import Files
public import Money
public import Rates

/// Settles one period: reads orders, decides which earn commission, converts them at the rate of
/// their day, and totals them per affiliate and market. The treasury's main job.
///
/// Rules, so that two correct implementations agree to the cent:
/// 1. An order belongs to the period when `ordered_at`, in UTC, falls in the calendar month.
/// 2. Within the period an order qualifies unless, checked in this order: its status is not
///    completed; its buyer country is excluded; its category is excluded; it was ordered before
///    the click; it was ordered more than the attribution window after the click (exactly the
///    window still qualifies).
/// 3. It converts at the ECB rate of `ordered_at`'s UTC day under the 7-day rule; a day with no
///    usable rate stops the run.
/// 4. `sales = amount × r(settlement) ÷ r(order)` and `commission = amount × percentage ×
///    r(settlement) ÷ r(order)`, each rounded once, half-even, from the exact value.
/// 5. Totals are sums of the per-order rounded figures, so every split adds up.
/// Immutable once made, so the two threads of a parallel read can share it.
public final class PeriodSettlement: Sendable {
  public let program: Program
  public let rates: RateTable
  public let period: Month
  public static let rounding = RoundingMode.halfEven

  /// Percentage levels: one per market × buyer type × tier (tier 0 is the base percentage).
  let levels: PercentageLevels
  /// What each buyer country and order currency code means here.
  let codes: OrderCodes
  /// The period's first instant (inclusive) and the next period's (exclusive).
  let periodInstants: Range<Timestamp>
  /// The months of the orders' dates, for their timestamps' fast path.
  let months = MonthStarts.shared
  let attributionWindowNanoseconds: Int64
  /// Whether the bounty applies to a new buyer (0) and a returning one (1).
  let bountyBuyerTypes: [Bool]

  public init(program: Program, rates: RateTable, period: Month) {
    self.program = program
    self.rates = rates
    self.period = period
    levels = PercentageLevels(program: program)
    periodInstants = period.instants
    attributionWindowNanoseconds =
      Int64(program.attributionWindowDays) * Timestamp.secondsPerDay * Timestamp.nanosecondsPerSecond
    codes = OrderCodes(program: program, rates: rates)
    bountyBuyerTypes = [.new, .returning].map { program.bounty?.buyerTypes.contains($0) == true }
  }

  /// Conversions already built, by order currency and day of the period: found by two array
  /// look-ups, not a hash.
  struct ConversionCache {
    /// `periodDays` entries per covered currency (`OrderCodes.currencies`), nil until built.
    private var entries: [DayConversions?]
    private let firstDay: Int32
    private let periodDays: Int

    init(period: Month, currencyCount: Int) {
      firstDay = period.instants.lowerBound.day.daysSinceEpoch
      periodDays = Int(period.instants.upperBound.day.daysSinceEpoch - firstDay)
      entries = [DayConversions?](repeating: nil, count: currencyCount * periodDays)
    }

    /// Where the entry of covered currency number `currencyNumber` on `day` is, or nil for a day
    /// outside the period.
    @inline(__always)
    func position(_ currencyNumber: Int, _ day: Day) -> Int? {
      let offset = Int(day.daysSinceEpoch) - Int(firstDay)
      guard offset >= 0, offset < periodDays else { return nil }
      return currencyNumber * periodDays + offset
    }

    subscript(position: Int) -> DayConversions? {
      get { entries[position] }
      set { entries[position] = newValue }
    }

    /// Commission conversions of every entry, `DayConversions.commissionsStart` onwards for each.
    private(set) var commissions: [Conversion] = []

    /// Keeps an entry's commission conversions; returns where they start.
    mutating func store(commissions added: [Conversion]) -> Int {
      commissions.append(contentsOf: added)
      return commissions.count - added.count
    }
  }

  /// The conversions one order currency needs on one day: sales, each percentage level (in the
  /// cache's `commissions`), the bounty. Plain values only, so reading one retains nothing.
  struct DayConversions {
    let publicationDay: Day
    /// `YYYY-MM-DD` of the publication, for the audit.
    let publicationDayText: ByteCursor.Token
    let sales: Conversion
    /// Where this entry's conversion for percentage level 0 is in the cache's `commissions`.
    let commissionsStart: Int
    let bounty: Int64?
  }

  /// The conversions for an order in covered currency number `currencyNumber` placed on `day` (a day of the period), built once
  /// per pair.
  /// - Throws: `RatesError` naming the day and currency when there is no usable rate.
  @inline(__always)
  func conversions(
    for currencyNumber: Int, on day: Day, cache: inout ConversionCache
  ) throws(RatesError) -> DayConversions {
    guard let position = cache.position(currencyNumber, day) else {
      preconditionFailure("\(day) is a day of \(period): only orders of the period are converted")
    }
    if let cached = cache[position] { return cached }
    return try buildConversions(for: codes.currencies[currencyNumber], on: day, at: position, cache: &cache)
  }

  /// Builds and keeps the conversions of a currency and day met for the first time.
  private func buildConversions(
    for currency: Currency, on day: Day, at position: Int, cache: inout ConversionCache
  ) throws(RatesError) -> DayConversions {
    let settlement = program.settlementCurrency
    let sales = try rates.conversion(from: currency, to: settlement, on: day)
    var commissions: [Conversion] = []
    for percentage in levels.percentages {
      commissions.append(
        try rates.conversion(from: currency, to: settlement, on: day, percentage: percentage).conversion)
    }
    var bounty: Int64?
    if let programBounty = program.bounty {
      let rated = try rates.conversion(from: programBounty.amount.currency, to: settlement, on: day)
      guard
        let converted = rated.conversion.convertedMinorUnits(
          programBounty.amount.minorUnits, rounding: PeriodSettlement.rounding)
      else {
        throw RatesError(.conversion(MoneyError(.overflow, operation: "convert the bounty")), source: rates.source)
      }
      bounty = converted
    }
    let entry = DayConversions(
      publicationDay: sales.publicationDay, publicationDayText: ByteCursor.Token(sales.publicationDay.description),
      sales: sales.conversion, commissionsStart: cache.store(commissions: commissions), bounty: bounty)
    cache[position] = entry
    return entry
  }
}

/// The distinct percentages a program can apply, indexed by market, buyer type and tier.
struct PercentageLevels {
  /// `percentages[level(market:buyerType:tier:)]`.
  let percentages: [FixedDecimal]
  let tierCount: Int
  private let marketCount: Int

  init(program: Program) {
    tierCount = program.tiers.count + 1
    marketCount = program.markets.count
    var percentages: [FixedDecimal] = []
    for market in program.markets {
      for buyerType in Program.BuyerType.allCases {
        let base = market.percentages[buyerType]
        percentages.append(base)
        for tier in program.tiers {
          percentages.append(PercentageLevels.sum(base, tier.bonusPercentagePoints))
        }
      }
    }
    self.percentages = percentages
  }

  func level(market: Int, buyerType: Program.BuyerType, tier: Int) -> Int {
    let typeIndex = buyerType == .new ? 0 : 1
    return (market * 2 + typeIndex) * tierCount + tier
  }

  /// The exact sum of two percentages. `Program.parse` refuses a tier whose bonus cannot be added to a
  /// market's percentage (see `exactSum`), so every pair a program holds has one.
  static func sum(_ first: FixedDecimal, _ second: FixedDecimal) -> FixedDecimal {
    guard let total = exactSum(first, second) else {
      preconditionFailure("percentages \(first) and \(second) have no exact sum in 64 bits; Program.parse refuses them")
    }
    return total
  }

  /// The exact sum of two percentages, or nil when it does not fit 64 bits at their common scale: each is
  /// at most 100 with at most 18 digits, but "99.9999999999999999" (16 fraction digits) is 10^20 at 18.
  static func exactSum(_ first: FixedDecimal, _ second: FixedDecimal) -> FixedDecimal? {
    let scale = max(first.scale, second.scale)
    guard let left = first.rescaled(to: scale), let right = second.rescaled(to: scale) else { return nil }
    let (significand, overflow) = left.significand.addingReportingOverflow(right.significand)
    return overflow ? nil : FixedDecimal(significand: significand, scale: scale)
  }
}

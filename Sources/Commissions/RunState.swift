import CSV
import Countries
import Dates
import Files
import Money
import Rates

/// What a run accumulates: counts, totals, the order ids seen, and the audit being written.
struct RunState {
  let path: String
  let settlementCurrency: Currency
  var columns: OrdersColumns?
  var counts = OutcomeCounts()
  /// Qualifying totals per affiliate and market, through this thread's queue.
  var totals: TotalsQueue
  /// Conversions already built, by order currency and day.
  var conversions: PeriodSettlement.ConversionCache
  /// The current order's commission at each tier level (reused, so no row allocates).
  var commissionScratch: [Int64]
  var orderIDs: OrderIDCheck
  /// Sum of qualifying order amounts in their own currencies, by currency slot (26³).
  private var qualifyingAmountBySlot = [Int128](repeating: 0, count: RunState.currencySlotCount)
  var firstRejection: String?
  var audit: AuditWriter
  /// Whether each currency has any ECB rate, by currency slot: 0 not known yet, 1 covered, 2 not.
  private var coverageBySlot = [UInt8](repeating: 0, count: RunState.currencySlotCount)

  static let currencySlotCount = 26 * 26 * 26

  /// A currency's slot: its three capital letters as a base-26 number.
  @inline(__always)
  static func slot(_ currency: Currency) -> Int {
    let code = currency.packedCode
    return (Int((code >> 16) & 0xFF) &- 65) &* 676 &+ (Int((code >> 8) & 0xFF) &- 65) &* 26 &+ (Int(code & 0xFF) &- 65)
  }

  /// Sum of qualifying order amounts in their own currencies (every currency with a qualifying order).
  var qualifyingAmounts: [Currency: Int128] {
    var amounts: [Currency: Int128] = [:]
    for currency in Currency.all where qualifyingAmountBySlot[RunState.slot(currency)] != 0 {
      amounts[currency] = qualifyingAmountBySlot[RunState.slot(currency)]
    }
    return amounts
  }

  /// A state whose audit lines go to `audit`, or are kept in memory (`audit.takeLines()`) without
  /// one, and whose qualifying orders are added to `totals` (shared by the states of one read).
  init(
    path: String, audit: AtomicFileWriter?, settlementCurrency: Currency, totals: AffiliateMarketTotals,
    period: Month, orderIDs: OrderIDCheck.Mode
  ) {
    let tierCount = totals.tierCount
    self.path = path
    conversions = PeriodSettlement.ConversionCache(period: period)
    self.orderIDs = OrderIDCheck(orderIDs)
    commissionScratch = [Int64](repeating: 0, count: tierCount)
    self.totals = TotalsQueue(totals: totals)
    self.audit = AuditWriter(file: audit, settlementCurrency: settlementCurrency, tierCount: tierCount)
    self.settlementCurrency = settlementCurrency
  }

  mutating func isCovered(_ currency: Currency, by rates: RateTable) -> Bool {
    let slot = RunState.slot(currency)
    if coverageBySlot[slot] != 0 { return coverageBySlot[slot] == 1 }
    let covered = currency.code == "EUR" || rates.currencies.contains(currency)
    coverageBySlot[slot] = covered ? 1 : 2
    return covered
  }

  mutating func reject(
    line: Int, _ reason: RejectionReason, _ detail: String, orderID: UnsafeBufferPointer<UInt8>,
    affiliateID: UnsafeBufferPointer<UInt8>
  ) throws {
    counts.count(reason)
    let text = "\(reason.rawValue): \(detail)"
    if firstRejection == nil { firstRejection = "\(path):\(line): \(text)" }
    try audit.row(line: line, orderID: orderID, affiliateID: affiliateID, outcome: .rejected, reason: text)
  }

  mutating func outOfPeriod(line: Int, orderID: UnsafeBufferPointer<UInt8>, affiliateID: UnsafeBufferPointer<UInt8>)
    throws
  {
    counts.countOutOfPeriod()
    try audit.row(line: line, orderID: orderID, affiliateID: affiliateID, outcome: .outOfPeriod, reason: "")
  }

  mutating func notQualified(
    line: Int, orderID: UnsafeBufferPointer<UInt8>, affiliateID: UnsafeBufferPointer<UInt8>,
    _ reason: NotQualifiedReason
  ) throws {
    counts.count(reason)
    try audit.notQualifiedRow(line: line, orderID: orderID, affiliateID: affiliateID, reason: reason)
  }

  /// Adds a qualifying order to its affiliate and market, with its commission at each tier level
  /// (in `commissionScratch`), and writes its audit line.
  mutating func qualify(
    line: Int, orderID: UnsafeBufferPointer<UInt8>, affiliateID: UnsafeBufferPointer<UInt8>, market: Country,
    rateDayText: ByteCursor.Token, sales: Int64, orderAmount: Money
  ) throws {
    let overflowed = commissionScratch.withUnsafeBufferPointer { commissions in
      totals.enqueue(affiliateID: affiliateID, market: market, sales: sales, commissions: commissions)
    }
    if let (affiliateID, market) = overflowed { throw overflow(affiliateID: affiliateID, market: market) }
    qualifyingAmountBySlot[RunState.slot(orderAmount.currency)] += Int128(orderAmount.minorUnits)
    counts.countQualified()
    try commissionScratch.withUnsafeBufferPointer { commissions in
      try audit.qualifiedRow(
        line: line, orderID: orderID, affiliateID: affiliateID, rateDayText: rateDayText, sales: sales,
        commissions: commissions)
    }
  }

  /// Adds the qualifying orders still queued to their groups: done before the totals are read.
  mutating func addQueuedOrders() throws {
    if let (affiliateID, market) = totals.addQueued() { throw overflow(affiliateID: affiliateID, market: market) }
  }

  /// Adds another part of the same file, read after this one into the same totals: its queued
  /// orders, counts, amounts, the first rejection.
  mutating func absorb(_ later: RunState) throws {
    precondition(later.totals.totals === totals.totals, "the parts of one read share their totals")
    try addQueuedOrders()
    var later = later
    try later.addQueuedOrders()
    counts.add(later.counts)
    for slot in 0..<RunState.currencySlotCount { qualifyingAmountBySlot[slot] += later.qualifyingAmountBySlot[slot] }
    if firstRejection == nil { firstRejection = later.firstRejection }
  }

  private func overflow(affiliateID: String, market: Country) -> SettlementError {
    SettlementError(
      "\(path): the totals of affiliate \(affiliateID) in \(market) pass 64 bits of \(settlementCurrency) minor units"
    )
  }
}

/// How many rows had each outcome and reason; they add up to the input rows.
public struct OutcomeCounts: Sendable {
  public private(set) var inputRows = 0
  private var outcomes = [Int](repeating: 0, count: OrderOutcome.allCases.count)
  private var notQualifiedReasons = [Int](repeating: 0, count: NotQualifiedReason.allCases.count)
  private var rejectionReasons = [Int](repeating: 0, count: RejectionReason.allCases.count)

  public var rejected: Int { outcomes[OutcomeCounts.position(OrderOutcome.rejected)] }

  /// Rows per outcome.
  public var byOutcome: [OrderOutcome: Int] {
    Dictionary(uniqueKeysWithValues: OrderOutcome.allCases.map { ($0, outcomes[OutcomeCounts.position($0)]) })
  }

  /// Rows per reason code, for not-qualified and rejected rows.
  public var byReason: [String: Int] {
    var result: [String: Int] = [:]
    for reason in NotQualifiedReason.allCases {
      result[reason.rawValue] = notQualifiedReasons[OutcomeCounts.position(reason)]
    }
    for reason in RejectionReason.allCases {
      result[reason.rawValue] = rejectionReasons[OutcomeCounts.position(reason)]
    }
    return result
  }

  static func position<Case: CaseIterable & Equatable>(_ value: Case) -> Int {
    guard let index = Case.allCases.firstIndex(of: value) else { preconditionFailure("\(value) is one of its cases") }
    return Case.allCases.distance(from: Case.allCases.startIndex, to: index)
  }

  private static let qualified = position(OrderOutcome.qualified)
  private static let notQualified = position(OrderOutcome.notQualified)
  private static let outOfPeriod = position(OrderOutcome.outOfPeriod)
  private static let rejectedOutcome = position(OrderOutcome.rejected)

  /// Adds the counts of another part of the same file.
  mutating func add(_ other: OutcomeCounts) {
    inputRows += other.inputRows
    for index in outcomes.indices { outcomes[index] += other.outcomes[index] }
    for index in notQualifiedReasons.indices { notQualifiedReasons[index] += other.notQualifiedReasons[index] }
    for index in rejectionReasons.indices { rejectionReasons[index] += other.rejectionReasons[index] }
  }

  mutating func countQualified() {
    inputRows += 1
    outcomes[OutcomeCounts.qualified] += 1
  }

  mutating func countOutOfPeriod() {
    inputRows += 1
    outcomes[OutcomeCounts.outOfPeriod] += 1
  }

  mutating func count(_ reason: NotQualifiedReason) {
    inputRows += 1
    outcomes[OutcomeCounts.notQualified] += 1
    notQualifiedReasons[OutcomeCounts.position(reason)] += 1
  }

  mutating func count(_ reason: RejectionReason) {
    inputRows += 1
    outcomes[OutcomeCounts.rejectedOutcome] += 1
    rejectionReasons[OutcomeCounts.position(reason)] += 1
  }
}

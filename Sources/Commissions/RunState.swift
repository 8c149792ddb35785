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
  /// Sum of qualifying order amounts in their own currencies, by covered currency number
  /// (`OrderCodes.currencies`).
  private var qualifyingAmounts: [Int128]
  var firstRejection: String?
  /// The month of the last `ordered_at` and `clicked_at` read, for the next of the same month.
  var orderedMonth = Timestamp.LastMonth()
  var clickedMonth = Timestamp.LastMonth()
  var audit: AuditWriter
  /// Sum of qualifying order amounts in their own currencies (every currency with a qualifying
  /// order), given the covered currencies the amounts are numbered by.
  func qualifyingAmounts(of currencies: [Currency]) -> [Currency: Int128] {
    precondition(currencies.count == qualifyingAmounts.count, "one amount per covered currency")
    var amounts: [Currency: Int128] = [:]
    for (number, currency) in currencies.enumerated() where qualifyingAmounts[number] != 0 {
      amounts[currency] = qualifyingAmounts[number]
    }
    return amounts
  }

  /// A state whose audit lines go to `audit`, or are kept in memory (`audit.handOverLines`) without
  /// one, and whose qualifying orders are added to `totals` (shared by the states of one read).
  init(
    path: String, audit: AtomicFileWriter?, settlementCurrency: Currency, totals: AffiliateMarketTotals,
    period: Month, currencyCount: Int, orderIDs: OrderIDCheck.Mode
  ) {
    let tierCount = totals.tierCount
    self.path = path
    conversions = PeriodSettlement.ConversionCache(period: period, currencyCount: currencyCount)
    qualifyingAmounts = [Int128](repeating: 0, count: currencyCount)
    self.orderIDs = OrderIDCheck(orderIDs)
    commissionScratch = [Int64](repeating: 0, count: tierCount)
    self.totals = TotalsQueue(totals: totals)
    self.audit = AuditWriter(file: audit, settlementCurrency: settlementCurrency, tierCount: tierCount)
    self.settlementCurrency = settlementCurrency
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
  /// (in `commissionScratch`), and its amount in its own currency (covered currency number
  /// `currencyNumber`); writes its audit line.
  mutating func qualify(
    line: Int, orderID: UnsafeBufferPointer<UInt8>, affiliateID: UnsafeBufferPointer<UInt8>, market: Country,
    rateDayText: ByteCursor.Token, sales: Int64, currencyNumber: Int, amount: Int64
  ) throws {
    let problem = commissionScratch.withUnsafeBufferPointer { commissions in
      totals.enqueue(affiliateID: affiliateID, market: market, sales: sales, commissions: commissions)
    }
    if let problem { throw error(problem) }
    qualifyingAmounts[currencyNumber] += Int128(amount)
    counts.countQualified()
    try commissionScratch.withUnsafeBufferPointer { commissions in
      try audit.qualifiedRow(
        line: line, orderID: orderID, affiliateID: affiliateID, rateDayText: rateDayText, sales: sales,
        commissions: commissions)
    }
  }

  /// Adds the qualifying orders still queued to their groups: done before the totals are read.
  mutating func addQueuedOrders() throws {
    if let problem = totals.addQueued() { throw error(problem) }
  }

  /// Adds another part of the same file, read after this one into the same totals: its queued
  /// orders, counts, amounts, the first rejection.
  mutating func absorb(_ later: RunState) throws {
    precondition(later.totals.totals === totals.totals, "the parts of one read share their totals")
    try addQueuedOrders()
    var later = later
    try later.addQueuedOrders()
    counts.add(later.counts)
    for number in qualifyingAmounts.indices { qualifyingAmounts[number] += later.qualifyingAmounts[number] }
    if firstRejection == nil { firstRejection = later.firstRejection }
  }

  private func error(_ problem: AffiliateMarketTotals.Problem) -> SettlementError {
    switch problem {
    case .overflow(let affiliateID, let market):
      SettlementError(
        "\(path): the totals of affiliate \(affiliateID) in \(market) pass 64 bits of \(settlementCurrency) minor units"
      )
    case .tooManyGroups(let capacity):
      SettlementError(
        "\(path): more than \(capacity) affiliate-market groups, the most its size allows: did it grow while it was read?"
      )
    }
  }
}

/// How many rows had each outcome and reason; they add up to the input rows.
public struct OutcomeCounts: Sendable {
  public private(set) var inputRows = 0
  /// By `position`: fixed-size storage, so counting a row checks no array's uniqueness.
  private var outcomes = InlineArray<4, Int>(repeating: 0)
  private var notQualifiedReasons = InlineArray<6, Int>(repeating: 0)
  private var rejectionReasons = InlineArray<10, Int>(repeating: 0)

  public var rejected: Int { outcomes[OrderOutcome.rejected.position] }

  /// Rows per outcome.
  public var byOutcome: [OrderOutcome: Int] {
    Dictionary(uniqueKeysWithValues: OrderOutcome.allCases.map { ($0, outcomes[$0.position]) })
  }

  /// Rows per reason code, for not-qualified and rejected rows.
  public var byReason: [String: Int] {
    var result: [String: Int] = [:]
    for reason in NotQualifiedReason.allCases { result[reason.rawValue] = notQualifiedReasons[reason.position] }
    for reason in RejectionReason.allCases { result[reason.rawValue] = rejectionReasons[reason.position] }
    return result
  }

  /// Adds the counts of another part of the same file.
  mutating func add(_ other: OutcomeCounts) {
    inputRows += other.inputRows
    for index in outcomes.indices { outcomes[index] += other.outcomes[index] }
    for index in notQualifiedReasons.indices { notQualifiedReasons[index] += other.notQualifiedReasons[index] }
    for index in rejectionReasons.indices { rejectionReasons[index] += other.rejectionReasons[index] }
  }

  mutating func countQualified() {
    inputRows += 1
    outcomes[OrderOutcome.qualified.position] += 1
  }

  mutating func countOutOfPeriod() {
    inputRows += 1
    outcomes[OrderOutcome.outOfPeriod.position] += 1
  }

  mutating func count(_ reason: NotQualifiedReason) {
    inputRows += 1
    outcomes[OrderOutcome.notQualified.position] += 1
    notQualifiedReasons[reason.position] += 1
  }

  mutating func count(_ reason: RejectionReason) {
    inputRows += 1
    outcomes[OrderOutcome.rejected.position] += 1
    rejectionReasons[reason.position] += 1
  }
}

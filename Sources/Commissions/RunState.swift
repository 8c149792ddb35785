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
  var totals: [AggregateKey: Totals] = [:]
  var seenOrderIDs: Set<String> = []
  /// Sum of qualifying order amounts in their own currencies.
  var qualifyingAmounts: [Currency: Int128] = [:]
  var firstRejection: String?
  var audit: AuditWriter
  /// Whether each currency has any ECB rate, by packed code.
  private var coveredCurrencies: [UInt32: Bool] = [:]

  init(path: String, audit: AtomicFileWriter, settlementCurrency: Currency) {
    self.path = path
    self.audit = AuditWriter(file: audit, settlementCurrency: settlementCurrency)
    self.settlementCurrency = settlementCurrency
  }

  mutating func isCovered(_ currency: Currency, by rates: RateTable) -> Bool {
    if let known = coveredCurrencies[currency.packedCode] { return known }
    let covered = currency.code == "EUR" || rates.currencies.contains(currency)
    coveredCurrencies[currency.packedCode] = covered
    return covered
  }

  mutating func reject(
    line: Int, _ reason: RejectionReason, _ detail: String, orderID: UnsafeBufferPointer<UInt8>,
    affiliateID: UnsafeBufferPointer<UInt8>
  ) throws {
    counts.count(.rejected, reason: reason.rawValue)
    let text = "\(reason.rawValue): \(detail)"
    if firstRejection == nil { firstRejection = "\(path):\(line): \(text)" }
    try audit.row(line: line, orderID: orderID, affiliateID: affiliateID, outcome: .rejected, reason: text)
  }

  mutating func record(
    line: Int, orderID: UnsafeBufferPointer<UInt8>, affiliateID: UnsafeBufferPointer<UInt8>, outcome: OrderOutcome,
    reason: String = ""
  ) throws {
    counts.count(outcome, reason: reason)
    try audit.row(line: line, orderID: orderID, affiliateID: affiliateID, outcome: outcome, reason: reason)
  }

  mutating func qualify(
    line: Int, orderID: UnsafeBufferPointer<UInt8>, affiliateID: UnsafeBufferPointer<UInt8>, market: Country,
    rateDay: Day, sales: Int64, commissions: [Int64], orderAmount: Money
  ) throws {
    let key = AggregateKey(affiliateID: String(decoding: affiliateID, as: UTF8.self), market: market)
    var entry = totals[key] ?? Totals(commissions: [Int64](repeating: 0, count: commissions.count))
    entry.orders += 1
    let (newSales, salesOverflow) = entry.sales.addingReportingOverflow(sales)
    guard !salesOverflow else { throw overflow(key) }
    entry.sales = newSales
    for tier in commissions.indices {
      let (sum, commissionOverflow) = entry.commissions[tier].addingReportingOverflow(commissions[tier])
      guard !commissionOverflow else { throw overflow(key) }
      entry.commissions[tier] = sum
    }
    totals[key] = entry
    qualifyingAmounts[orderAmount.currency, default: 0] += Int128(orderAmount.minorUnits)
    counts.count(.qualified, reason: "")
    try audit.qualifiedRow(
      line: line, orderID: orderID, affiliateID: affiliateID, rateDay: rateDay, sales: sales, commissions: commissions)
  }

  private func overflow(_ key: AggregateKey) -> SettlementError {
    SettlementError(
      "\(path): the totals of affiliate \(key.affiliateID) in \(key.market) pass 64 bits of \(settlementCurrency) minor units")
  }
}

/// How many rows had each outcome and reason; they add up to the input rows.
public struct OutcomeCounts: Sendable {
  public private(set) var inputRows = 0
  public private(set) var byOutcome: [OrderOutcome: Int] = [:]
  /// Reasons of not-qualified and rejected rows, by code.
  public private(set) var byReason: [String: Int] = [:]

  public var rejected: Int { byOutcome[.rejected] ?? 0 }

  mutating func count(_ outcome: OrderOutcome, reason: String) {
    inputRows += 1
    byOutcome[outcome, default: 0] += 1
    if !reason.isEmpty {
      let code = reason.split(separator: ":", maxSplits: 1).first.map(String.init) ?? reason
      byReason[code, default: 0] += 1
    }
  }
}

/// Writes the audit file: one line per input data row.
struct AuditWriter {
  let file: AtomicFileWriter
  let settlementCurrency: Currency
  private var buffer: [UInt8] = []
  static let flushBytes = 1 << 20

  init(file: AtomicFileWriter, settlementCurrency: Currency) {
    self.file = file
    self.settlementCurrency = settlementCurrency
    buffer.reserveCapacity(AuditWriter.flushBytes + 4096)
  }

  mutating func row(
    line: Int, orderID: UnsafeBufferPointer<UInt8>, affiliateID: UnsafeBufferPointer<UInt8>, outcome: OrderOutcome,
    reason: String
  ) throws {
    prefix(line: line, orderID: orderID, affiliateID: affiliateID, outcome: outcome)
    CSVEscaping.append(reason.utf8, to: &buffer)
    buffer.append(contentsOf: ",,,\n".utf8)
    try flushIfFull()
  }

  mutating func qualifiedRow(
    line: Int, orderID: UnsafeBufferPointer<UInt8>, affiliateID: UnsafeBufferPointer<UInt8>, rateDay: Day,
    sales: Int64, commissions: [Int64]
  ) throws {
    prefix(line: line, orderID: orderID, affiliateID: affiliateID, outcome: .qualified)
    buffer.append(contentsOf: ",\(rateDay),".utf8)
    buffer.append(contentsOf: Money(minorUnits: sales, currency: settlementCurrency).amountText.utf8)
    buffer.append(UInt8(ascii: ","))
    for (index, commission) in commissions.enumerated() {
      if index > 0 { buffer.append(UInt8(ascii: "|")) }
      buffer.append(contentsOf: Money(minorUnits: commission, currency: settlementCurrency).amountText.utf8)
    }
    buffer.append(UInt8(ascii: "\n"))
    try flushIfFull()
  }

  private mutating func prefix(
    line: Int, orderID: UnsafeBufferPointer<UInt8>, affiliateID: UnsafeBufferPointer<UInt8>, outcome: OrderOutcome
  ) {
    buffer.append(contentsOf: String(line).utf8)
    buffer.append(UInt8(ascii: ","))
    CSVEscaping.append(orderID, to: &buffer)
    buffer.append(UInt8(ascii: ","))
    CSVEscaping.append(affiliateID, to: &buffer)
    buffer.append(UInt8(ascii: ","))
    buffer.append(contentsOf: outcome.rawValue.utf8)
    buffer.append(UInt8(ascii: ","))
  }

  private mutating func flushIfFull() throws {
    if buffer.count >= AuditWriter.flushBytes { try flushRows() }
  }

  mutating func flushRows() throws {
    try file.write(buffer)
    buffer.removeAll(keepingCapacity: true)
  }
}

import CSV
import Commissions
import Dates
import FuzzSupport
import Money
import Rates

/// The whole orders-row path: `PeriodSettlement.run` on the input as an orders file for October 2026,
/// under the default program or a program with a bounty and tiers (which rewrites the audit), against
/// the real ECB rates of the period (`Fixtures/rates-2026-10.xml`).
///
/// Invariants: a run either settles or throws `SettlementError` or `RatesError`, never traps; every
/// data row gets exactly one outcome; the audit is well-formed CSV with one line per data row; each
/// commission line is in the settlement currency with at least one order, and sales and commission
/// not below zero (a cent of SEK rounds to no USD); the lines' orders add up to the qualified rows.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOrders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = inputBytes(data, size)
  guard let settlements = OrdersFixture.settlements else { fatalError("the orders fixture does not load") }
  let settlement = settlements[bytes.count % settlements.count]
  let ordersPath = ScratchFile.store(bytes, name: "orders.csv")
  let options = PeriodSettlement.RunOptions(
    ordersPath: ordersPath, outputDirectory: ScratchFile.directory + "/out", strict: false,
    programSource: "fuzz", ratesSource: "Fixtures/rates-2026-10.xml", ratesSHA256: "")
  let summary: SettlementSummary
  do {
    summary = try settlement.run(options)
  } catch is SettlementError {
    return 0
  } catch is RatesError {
    return 0
  } catch {
    invariant(false, "a run threw \(type(of: error)): \(error)")
    return 0
  }
  check(summary, settlement: settlement, auditPath: options.outputDirectory + "/orders.csv")
  return 0
}

private func check(_ summary: SettlementSummary, settlement: PeriodSettlement, auditPath: String) {
  let counts = summary.counts
  let outcomes = counts.byOutcome.values.reduce(0, +)
  invariant(outcomes == counts.inputRows, "\(counts.inputRows) data rows, \(outcomes) outcomes")
  var auditRecords = 0
  do {
    try CSVReader(path: auditPath).forEachRecord { record in
      guard case .record(let row) = record else {
        invariant(false, "the audit is not well-formed CSV: \(record)")
        return
      }
      invariant(row.count == 8, "audit line \(row.line) has \(row.count) fields")
      auditRecords += 1
    }
  } catch {
    invariant(false, "the audit cannot be read: \(error)")
  }
  invariant(auditRecords == counts.inputRows + 1, "\(counts.inputRows) data rows, \(auditRecords) audit records")
  let currency = settlement.program.settlementCurrency
  for line in summary.lines {
    invariant(
      line.orders >= 1 && line.sales.minorUnits >= 0 && line.commission.minorUnits >= 0
        && line.sales.currency == currency && line.commission.currency == currency,
      "commission line \(line)")
  }
  let qualified = counts.byOutcome[.qualified] ?? 0
  invariant(
    summary.lines.reduce(0) { $0 + $1.orders } == qualified, "\(qualified) qualified rows, lines \(summary.lines)")
}

/// The rates of October 2026 and the two programs, loaded once.
private enum OrdersFixture {
  static let settlements: [PeriodSettlement]? = {
    let path = ScratchFile.fuzzPackagePath("Fixtures/rates-2026-10.xml")
    guard let xml = ScratchFile.contents(path),
      let publications = try? ECBFeed.parse(xml, source: path),
      let rates = try? RateTable(publications: publications, source: path),
      let period = Month(year: 2026, month: 10),
      let tiered = try? Program.parse(Array(tieredProgram.utf8), source: "tiered.yaml")
    else { return nil }
    return [Program.alibaba, tiered].map { PeriodSettlement(program: $0, rates: rates, period: period) }
  }()

  static let tieredProgram = """
    name: Fuzz tiers
    settlement_currency: EUR
    attribution_window_days: 7
    excluded_countries: [CN]
    excluded_categories: [weapons]
    markets:
      - name: eu
        countries: [DE, FR, NL]
        percentage: {new: 12.5, returning: 7.25}
      - name: rest
        countries: every_other
        percentage: {new: 3, returning: 1}
    bounty:
      amount: 2.50
      currency: USD
      buyer_types: [new]
    tiers:
      - sales_above: 100.00
        bonus_percentage_points: 1.5
      - sales_above: 1000.00
        bonus_percentage_points: 3
    """
}

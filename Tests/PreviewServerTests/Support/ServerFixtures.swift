import Commissions
import Dates
import Files
import Ledger
import Payouts
import Rates
import TreasuryFixtures

/// A real ledger for the server tests, made as `settle payouts` and `settle commissions` make one
/// (the approach of LedgerTests' `Treasury`, cut to what the server needs): September 2026
/// closed and paid, October provisional.
///
/// | affiliate | September (closed)            | October (open) |
/// | A1        | US 1,000.00 → 100.00; DE 500.00 → 50.00 | US 200.00 → 20.00 |
/// | B2        | US 300.00 → 30.00             |                |
///
/// Every order is from a new buyer in a core market: commission exactly 10 % (USD).
enum ServerFixtures {
  static func rates() throws -> RateTable { try TreasuryInputs.storedRates() }

  static func temporaryDirectory() throws -> String { try TreasuryInputs.temporaryDirectory(prefix: "server") }

  static func write(_ text: String, to path: String) throws { try TreasuryInputs.write(text, to: path) }

  struct Order {
    var affiliate: String
    var country: String
    var amount: String
    var day: String
  }

  /// The orders, their ids made from the day and their place in the list.
  static func ordersFile(_ orders: [Order]) throws -> String {
    try TreasuryInputs.ordersCSV(
      orders.enumerated().map { index, order in
        .init(
          id: "O\(order.day)-\(index)", affiliate: order.affiliate, country: order.country, amount: order.amount,
          day: order.day)
      })
  }

  static func affiliatesFile(_ ids: [String]) -> String { TreasuryInputs.payoneerAffiliatesCSV(ids) }

  static func payer() throws -> Payer { try TreasuryInputs.payer() }

  /// A ledger in a fresh temporary directory with the table's figures.
  static func ledger() throws -> Ledger {
    let directory = try temporaryDirectory()
    let ledger = try Ledger(path: directory + "/settle.db")
    let september = [
      Order(affiliate: "A1", country: "US", amount: "1000.00", day: "2026-09-10"),
      Order(affiliate: "A1", country: "DE", amount: "500.00", day: "2026-09-11"),
      Order(affiliate: "B2", country: "US", amount: "300.00", day: "2026-09-12"),
    ]
    try payouts(ledger, period: "2026-09", september, directory: directory)
    let october = [Order(affiliate: "A1", country: "US", amount: "200.00", day: "2026-10-05")]
    let settled = try settle(period: "2026-10", october, directory: directory)
    try ledger.recordProvisional(
      settled.summary, source: try source(settled.ordersPath, at: "2026-10-20T09:00:00Z"), inputRows: october.count)
    return ledger
  }

  /// Closes October with its provisional orders and writes its batch, in a folder of its own
  /// beside the ledger: a new close, as a running server sees one.
  static func closeOctober(_ ledger: Ledger) throws {
    let directory = String(ledger.path.dropLast("/settle.db".count)) + "/close-2026-10"
    try FileReader.createDirectory(directory)
    let october = [Order(affiliate: "A1", country: "US", amount: "200.00", day: "2026-10-05")]
    try payouts(ledger, period: "2026-10", october, directory: directory)
  }

  private static func settle(period: String, _ orders: [Order], directory: String) throws -> (
    summary: SettlementSummary, ordersPath: String, out: String
  ) {
    let runDirectory = directory + "/run-\(period)"
    try FileReader.createDirectory(runDirectory)
    let ordersPath = runDirectory + "/orders.csv"
    try write(try ordersFile(orders), to: ordersPath)
    let out = runDirectory + "/out"
    let summary = try PeriodSettlement(program: .alibaba, rates: try rates(), period: try Month(period))
      .run(
        PeriodSettlement.RunOptions(
          ordersPath: ordersPath, outputDirectory: out, strict: true, programSource: "test",
          ratesSource: "rates/eurofxref-hist.xml", ratesSHA256: "test"))
    return (summary, ordersPath, out)
  }

  private static func source(_ ordersPath: String, at recordedAt: String) throws -> Ledger.RunSource {
    Ledger.RunSource(
      ordersPath: ordersPath, programSHA256: Program.alibaba.fileSHA256, ratesSHA256: "test",
      recordedAt: try Timestamp(recordedAt))
  }

  /// Closes the period through the ledger and writes the batch, as `settle payouts --ledger` does.
  private static func payouts(_ ledger: Ledger, period: String, _ orders: [Order], directory: String) throws {
    let settled = try settle(period: period, orders, directory: directory)
    let affiliatesPath = directory + "/affiliates-\(period).csv"
    try write(affiliatesFile(["A1", "B2"]), to: affiliatesPath)
    let month = try Month(period)
    let affiliates = try AffiliatesFile.load(
      path: affiliatesPath, settlementCurrency: Program.alibaba.settlementCurrency)
    let created = "\(month.next?.description ?? "")-01T09:00:00Z"
    let options = PayoutBatch.Options.defaults(
      for: month, createdAt: try Timestamp(created), wireFormat: .pain00100109)
    let payer = try payer()
    let rates = try rates()
    let run = try ledger.payouts(
      period: month, settlementCurrency: Program.alibaba.settlementCurrency, auditPath: settled.out + "/orders.csv",
      commissionLines: settled.summary.lines, source: try source(settled.ordersPath, at: created)
    ) { carried, adjustments in
      let batch = try PayoutBatch(
        settlement: settled.summary, affiliates: affiliates, payer: payer, rates: rates, options: options,
        carried: carried, adjustments: adjustments)
      return try PayoutFiles(
        batch: batch,
        sources: ManifestSources(
          ordersPath: "orders.csv", programSource: "test", ratesSource: "rates/eurofxref-hist.xml",
          ratesSHA256: "test", affiliates: affiliates, payerPath: "payer.yaml"))
    }
    if case .closed(let files) = run { try files.write(to: settled.out) }
  }
}

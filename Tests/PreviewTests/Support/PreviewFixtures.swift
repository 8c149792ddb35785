import Commissions
import Dates
import Files
import Ledger
import Money
import Payouts
import Rates
import TreasuryFixtures

/// A real ledger for preview tests, settled and paid as `settle payouts` does (the approach of the
/// ledger tests' `Treasury`, kept to what the preview needs), and rate tables.
enum PreviewFixtures {
  /// The repository's rates store: what the settlement runs convert with.
  static func storedRates() throws -> RateTable { try TreasuryInputs.storedRates() }

  /// One publication with hand-picked rates, for figures that do not move when the store is updated.
  /// KWD is not an ECB currency: it is here only to show three minor digits.
  static func displayRates() throws -> RateTable {
    let rates = [("USD", "1.1172"), ("JPY", "175.68"), ("KWD", "0.34213"), ("GBP", "0.8338")]
    return try RateTable(
      publications: [
        Publication(
          day: try Day("2026-10-30"),
          rates: try rates.map { CurrencyRate(currency: try Currency(code: $0.0), rate: try FixedDecimal($0.1)) })
      ], source: "test")
  }

  static func temporaryDirectory() throws -> String { try TreasuryInputs.temporaryDirectory(prefix: "preview") }

  static func write(_ text: String, to path: String) throws { try TreasuryInputs.write(text, to: path) }

  /// One order by a new buyer: commission 10 % of `amount` (USD) in a core market (US, DE, …), 9 % elsewhere.
  struct Order {
    var id: String
    var affiliate: String
    var amount: String
    var country: String
    /// `YYYY-MM-DD`: ordered at noon UTC that day, clicked the day before.
    var day: String
  }

  static func orders(_ orders: [Order]) throws -> String {
    try TreasuryInputs.ordersCSV(
      orders.map { .init(id: $0.id, affiliate: $0.affiliate, country: $0.country, amount: $0.amount, day: $0.day) })
  }

  static func affiliates(_ ids: [String]) -> String { TreasuryInputs.payoneerAffiliatesCSV(ids) }

  static func payer() throws -> Payer { try TreasuryInputs.payer() }
}

/// A ledger in a temporary directory whose months are settled from orders, then either closed
/// with a payout batch or recorded as provisional.
final class PreviewTreasury {
  let directory: String
  let ledgerPath: String
  let ledger: Ledger
  private let program = Program.alibaba
  private var runs = 0

  init() throws {
    directory = try PreviewFixtures.temporaryDirectory()
    ledgerPath = directory + "/settle.db"
    ledger = try Ledger(path: ledgerPath)
  }

  private func settle(_ period: String, _ orders: [PreviewFixtures.Order]) throws
    -> (runDirectory: String, ordersPath: String, out: String, summary: SettlementSummary)
  {
    runs += 1
    let runDirectory = directory + "/run-\(runs)-\(period)"
    try FileReader.createDirectory(runDirectory)
    let ordersPath = runDirectory + "/orders.csv"
    try PreviewFixtures.write(try PreviewFixtures.orders(orders), to: ordersPath)
    let out = runDirectory + "/out"
    let summary = try PeriodSettlement(
      program: program, rates: try PreviewFixtures.storedRates(), period: try Month(period)
    )
    .run(
      PeriodSettlement.RunOptions(
        ordersPath: ordersPath, outputDirectory: out, strict: true, programSource: "test",
        ratesSource: "rates/eurofxref-hist.xml", ratesSHA256: "test"))
    return (runDirectory, ordersPath, out, summary)
  }

  /// Records `period`'s orders as its open period's provisional figures, as `settle commissions --ledger` does.
  func provisional(_ period: String, _ orders: [PreviewFixtures.Order], recordedAt: String) throws {
    let settled = try settle(period, orders)
    try ledger.recordProvisional(
      settled.summary,
      source: Ledger.RunSource(
        ordersPath: settled.ordersPath, programSHA256: program.fileSHA256, ratesSHA256: "test",
        recordedAt: try Timestamp(recordedAt)),
      inputRows: orders.count)
  }

  /// Closes `period` with a payout batch to `affiliates`, made the first day of the next month at 09:00 UTC.
  @discardableResult
  func payouts(_ period: String, _ orders: [PreviewFixtures.Order], affiliates: [String]) throws -> PayoutBatch? {
    let settled = try settle(period, orders)
    let affiliatesPath = settled.runDirectory + "/affiliates.csv"
    try PreviewFixtures.write(PreviewFixtures.affiliates(affiliates), to: affiliatesPath)
    let month = try Month(period)
    let rates = try PreviewFixtures.storedRates()
    let directory = try AffiliatesFile.load(path: affiliatesPath, settlementCurrency: program.settlementCurrency)
    let created = try Timestamp("\(month.next?.description ?? "")-01T09:00:00Z")
    let options = PayoutBatch.Options.defaults(for: month, createdAt: created, wireFormat: .pain00100109)
    let payer = try PreviewFixtures.payer()
    let summary = settled.summary
    let run = try ledger.payouts(
      period: month, settlementCurrency: program.settlementCurrency, auditPath: settled.out + "/orders.csv",
      commissionLines: summary.lines,
      source: Ledger.RunSource(
        ordersPath: settled.ordersPath, programSHA256: program.fileSHA256, ratesSHA256: "test", recordedAt: created)
    ) { carried, adjustments in
      let batch = try PayoutBatch(
        settlement: summary, affiliates: directory, payer: payer, rates: rates, options: options, carried: carried,
        adjustments: adjustments)
      return try PayoutFiles(
        batch: batch,
        sources: ManifestSources(
          ordersPath: "orders.csv", programSource: "test", ratesSource: "rates/eurofxref-hist.xml",
          ratesSHA256: "test", affiliates: directory, payerPath: "payer.yaml"))
    }
    guard case .closed(let files) = run else { return nil }
    try files.write(to: settled.out)
    return files.batch
  }
}

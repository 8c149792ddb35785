import Commissions
import Dates
import Files
import Foundation
import GRDB
import Ledger
import Money
import Payouts
import Rates
import TreasuryFixtures

/// Orders, affiliates and programs for ledger tests, and the real rates store.
enum LedgerFixtures {
  static var repositoryRoot: String { TreasuryInputs.repositoryRoot }
  static func rates() throws -> RateTable { try TreasuryInputs.storedRates() }
  static func temporaryDirectory() throws -> String { try TreasuryInputs.temporaryDirectory(prefix: "ledger") }
  static func write(_ text: String, to path: String) throws { try TreasuryInputs.write(text, to: path) }
  static func bytes(_ path: String) throws -> [UInt8] { try FileReader.readAll(path: path, bytesMax: 64 << 20) }
  static func text(_ path: String) throws -> String { String(decoding: try bytes(path), as: UTF8.self) }

  /// The default program (`programs/alibaba.yaml`) with `payouts.minimum` set, in the
  /// settlement currency (USD).
  static func program(minimum: String) throws -> Program {
    let yaml = try text(repositoryRoot + "/programs/alibaba.yaml")
    precondition(yaml.contains("  minimum: 0\n"), "programs/alibaba.yaml has no minimum")
    let changed = yaml.replacing("  minimum: 0\n", with: "  minimum: \(minimum)\n")
    return try Program.parse(Array(changed.utf8), source: "minimum.yaml")
  }

  static func payer() throws -> Payer { try TreasuryInputs.payer() }

  /// One order: a new US buyer in a core market, so its commission is exactly 10 % of `amount` (USD).
  struct Order {
    var id: String
    var affiliate: String
    var amount: String
    /// `YYYY-MM-DD`: ordered at noon UTC that day, clicked the day before.
    var day: String
    var status = "completed"
  }

  /// An orders file, one line per order after the header: the first order is on line 2.
  static func orders(_ orders: [Order]) throws -> String {
    try TreasuryInputs.ordersCSV(
      orders.map {
        .init(id: $0.id, affiliate: $0.affiliate, country: "US", amount: $0.amount, day: $0.day, status: $0.status)
      })
  }

  /// An affiliates file from rows given as column → value (other columns empty).
  static func affiliates(_ rows: [[String: String]]) -> String { TreasuryInputs.affiliatesCSV(rows) }

  /// Paid by Payoneer in USD: the payout is the settlement amount, unconverted.
  static func payoneer(_ id: String) -> [String: String] { TreasuryInputs.payoneerRow(id) }

  /// Paid by wire in USD; the default IBAN is the ISO 13616 example for Germany.
  static func wire(_ id: String, iban: String = "DE89370400440532013000") -> [String: String] {
    [
      "affiliate_id": id, "name": "Wire \(id)", "country": "DE", "payout_method": "wire",
      "payout_currency": "USD", "iban": iban, "bic": "DEUTDEFF", "address_line": "Taunusanlage 12",
      "city": "Frankfurt am Main", "postal_code": "60325",
    ]
  }

  static func usd(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .usd) }

  /// The ledger's balances as `AFFILIATE amount CURRENCY` lines (its types have no public initialiser).
  static func balances(_ ledger: Ledger, affiliateID: String? = nil) throws -> [String] {
    try ledger.balances(affiliateID: affiliateID).map { "\($0.affiliateID) \($0.amount)" }
  }

  /// Each batch as `id period created owed ready held instructed/paid/failed`, amounts in minor units.
  static func batches(_ ledger: Ledger) throws -> [String] {
    try ledger.batches().map { batch in
      let states = ["instructed", "paid", "failed"].map { String(batch.states[$0] ?? 0) }.joined(separator: "/")
      return
        "\(batch.id) \(batch.period) \(batch.createdAt) owed \(batch.owed) ready \(batch.ready) held \(batch.held) "
        + "\(batch.currency) \(states)"
    }
  }

  /// A batch's payouts as `affiliate method settlement → payout file state` lines.
  static func payouts(_ ledger: Ledger, batchID: String) throws -> [String] {
    try ledger.batch(batchID).2.map { payout in
      "\(payout.affiliateID) \(payout.method) \(payout.settlementAmount) → \(payout.payoutAmount) \(payout.file) \(payout.state)"
    }
  }
}

extension Currency {
  static var usd: Currency {
    do {
      return try Currency(code: "USD")
    } catch {
      preconditionFailure("USD is a currency")
    }
  }
}

/// A treasury with one ledger file in a temporary directory, settling months as `settle payouts`
/// does: each run settles its orders into its own directory, then asks the ledger to close the
/// period (or to compare it, when it is closed) and writes the files the ledger returns.
final class Treasury {
  let directory: String
  let ledgerPath: String
  let program: Program
  let ledger: Ledger
  private var runs = 0

  /// A treasury in a fresh temporary directory, its ledger `settle.db` there unless `ledgerPath` says otherwise.
  init(program: Program = .alibaba, directory: String? = nil, ledgerPath: String? = nil) throws {
    self.directory = try directory ?? LedgerFixtures.temporaryDirectory()
    try FileReader.createDirectory(self.directory)
    self.ledgerPath = ledgerPath ?? self.directory + "/settle.db"
    self.program = program
    ledger = try Ledger(path: self.ledgerPath)
  }

  /// A period settled from `orders` into a run directory of its own, as `settle commissions` does.
  struct Settled {
    let runDirectory: String
    let ordersPath: String
    let out: String
    let summary: SettlementSummary
    var auditPath: String { out + "/orders.csv" }
  }

  func settle(_ period: String, _ orders: [LedgerFixtures.Order]) throws -> Settled {
    runs += 1
    let runDirectory = directory + "/run-\(runs)-\(period)"
    try FileReader.createDirectory(runDirectory)
    let ordersPath = runDirectory + "/orders.csv"
    try LedgerFixtures.write(try LedgerFixtures.orders(orders), to: ordersPath)
    let out = runDirectory + "/out"
    let summary = try PeriodSettlement(program: program, rates: try LedgerFixtures.rates(), period: try Month(period))
      .run(
        PeriodSettlement.RunOptions(
          ordersPath: ordersPath, outputDirectory: out, strict: true, programSource: "test",
          ratesSource: "rates/eurofxref-hist.xml", ratesSHA256: "test"))
    return Settled(runDirectory: runDirectory, ordersPath: ordersPath, out: out, summary: summary)
  }

  func source(_ settled: Settled, recordedAt: String) throws -> Ledger.RunSource {
    Ledger.RunSource(
      ordersPath: settled.ordersPath, programSHA256: program.fileSHA256, ratesSHA256: "test",
      recordedAt: try Timestamp(recordedAt))
  }

  /// What one payout run did.
  struct MonthRun {
    let out: String
    let summary: SettlementSummary
    let run: Ledger.PayoutRun
    /// What the ledger gave the batch (zero balances left out), when it closed the period.
    let carried: [String: Int64]?
    let adjustments: [Adjustment]?

    var files: PayoutFiles? {
      guard case .closed(let files) = run else { return nil }
      return files
    }
    var batch: PayoutBatch? { files?.batch }
    func text(_ name: String) throws -> String { try LedgerFixtures.text(out + "/" + name) }
    func reference(_ affiliateID: String) -> String {
      batch?.payouts.first { $0.affiliateID == affiliateID }?.reference ?? "no payout for \(affiliateID)"
    }
  }

  /// Settles `period` (`YYYY-MM`) from `orders` and runs its payouts through the ledger; the batch
  /// is made the first day of the next month at 09:00 UTC unless `createdAt` says otherwise.
  func payouts(_ period: String, _ orders: [LedgerFixtures.Order], affiliates: String, createdAt: String? = nil)
    throws -> MonthRun
  {
    let settled = try settle(period, orders)
    let affiliatesPath = settled.runDirectory + "/affiliates.csv"
    try LedgerFixtures.write(affiliates, to: affiliatesPath)
    let out = settled.out
    let summary = settled.summary
    let month = try Month(period)
    let rates = try LedgerFixtures.rates()
    let directory = try AffiliatesFile.load(path: affiliatesPath, settlementCurrency: program.settlementCurrency)
    let created = createdAt ?? "\(month.next?.description ?? "")-01T09:00:00Z"
    let options = PayoutBatch.Options.defaults(
      for: month, createdAt: try Timestamp(created), wireFormat: .pain00100109)
    let payer = try LedgerFixtures.payer()
    var given: (carried: [String: Int64], adjustments: [Adjustment])?
    let run = try ledger.payouts(
      period: month, settlementCurrency: program.settlementCurrency, auditPath: settled.auditPath,
      commissionLines: summary.lines, source: try source(settled, recordedAt: created)
    ) { carried, adjustments in
      given = (carried.filter { $0.value != 0 }, adjustments)
      let batch = try PayoutBatch(
        settlement: summary, affiliates: directory, payer: payer, rates: rates, options: options, carried: carried,
        adjustments: adjustments)
      return try PayoutFiles(
        batch: batch,
        sources: ManifestSources(
          ordersPath: "orders.csv", programSource: "test", ratesSource: "rates/eurofxref-hist.xml",
          ratesSHA256: "test", affiliates: directory, payerPath: "payer.yaml"))
    }
    switch run {
    case .closed(let files): try files.write(to: out)
    case .alreadyClosed(_, let stored, _, _): try PayoutFiles.write(stored.map { ($0.name, $0.bytes) }, to: out)
    }
    return MonthRun(out: out, summary: summary, run: run, carried: given?.carried, adjustments: given?.adjustments)
  }

  /// A second connection to the ledger file, for reading (and tampering with) its tables.
  func database() throws -> DatabaseQueue { try DatabaseQueue(path: ledgerPath) }

  func count(_ table: String) throws -> Int {
    try database().read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1 }
  }
}

public import Commissions
public import Dates
import GRDB
import Money

extension Ledger {
  /// What a run records besides its figures: where they came from and when.
  public struct RunSource: Sendable {
    public var ordersPath: String
    public var programSHA256: String
    public var ratesSHA256: String
    public var recordedAt: Timestamp

    public init(ordersPath: String, programSHA256: String, ratesSHA256: String, recordedAt: Timestamp) {
      self.ordersPath = ordersPath
      self.programSHA256 = programSHA256
      self.ratesSHA256 = ratesSHA256
      self.recordedAt = recordedAt
    }
  }

  /// Records a settlement run as its open period's provisional commissions, replacing the
  /// previous provisional run of that period. Provisional figures are not postings: nothing is
  /// owed until the period closes.
  /// - Throws: `LedgerError` when the period is closed (its commissions are frozen) or the
  ///   ledger cannot be written.
  public func recordProvisional(_ summary: SettlementSummary, source: RunSource, inputRows: Int) throws(LedgerError) {
    let period = summary.period.description
    let currency = summary.program.settlementCurrency.code
    try write("record the provisional commissions of \(period)") { db in
      if case .closed(let batchID) = try Ledger.status(of: summary.period, db) {
        throw LedgerError(
          path: path,
          "\(period) is closed (batch \(batchID)): its commissions are frozen; run settle payouts for it to post any differences as adjustments"
        )
      }
      try Ledger.ensureOpen(summary.period, currency: currency, db)
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO provisional_runs (period, recorded_at, orders_path, program_sha256, rates_sha256, input_rows)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          period, source.recordedAt.description, source.ordersPath, source.programSHA256, source.ratesSHA256, inputRows,
        ])
      try Ledger.replaceCommissions(of: summary.period, with: summary.lines, currency: currency, db)
    }
  }

  /// Replaces a period's commissions per affiliate and market: provisional while it is open, the
  /// closing run's figures once it is closed.
  static func replaceCommissions(
    of period: Month, with lines: [SettlementSummary.CommissionLine], currency: String, _ db: Database
  ) throws {
    try db.execute(sql: "DELETE FROM period_commissions WHERE period = ?", arguments: [period.description])
    let insert = try db.makeStatement(
      sql: """
        INSERT INTO period_commissions (period, affiliate_id, market, orders, sales, commission, currency)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """)
    for line in lines {
      try insert.execute(arguments: [
        period.description, line.affiliateID, line.market, line.orders, line.sales.minorUnits,
        line.commission.minorUnits,
        currency,
      ])
    }
  }

  /// Records `period` as open when it is not known yet.
  static func ensureOpen(_ period: Month, currency: String, _ db: Database) throws {
    try db.execute(
      sql: "INSERT OR IGNORE INTO periods (period, status, settlement_currency) VALUES (?, 'open', ?)",
      arguments: [period.description, currency])
  }
}

public import Commissions
public import Dates
import Digest
import Foundation
import GRDB
public import Money
public import Payouts

extension Ledger {
  /// A file of a batch as it was written.
  public struct StoredFile: Sendable, Equatable {
    public let name: String
    public let bytes: [UInt8]
  }

  /// What a payout run did to its period.
  public enum PayoutRun: Sendable {
    /// The period was open: it is closed now, its orders accrued and its batch's payouts instructed.
    case closed(PayoutFiles)
    /// The period was closed before: nothing already instructed changed. Its files are returned as
    /// they were written; differences in its orders were posted as adjustments into `postedInto`.
    case alreadyClosed(batchID: String, files: [StoredFile], adjustments: [Adjustment], postedInto: Month?)
  }

  /// Settles a period's payouts in one transaction.
  ///
  /// An open period is closed: each qualified order of the audit accrues its commission (expense →
  /// payable), `makeFiles` is given each affiliate's carried balance and the adjustments booked
  /// into the period, and each ready payout of the batch it returns is instructed (payable → paid
  /// out) and stored with its files. A closed period is compared order by order with what was
  /// recognised for it; each difference (a late order, a refund after payout, a changed
  /// commission) is posted as an adjustment into the next period that is not closed, and the
  /// stored files are returned to be written again, byte for byte.
  /// - Parameters:
  ///   - auditPath: the settlement run's `orders.csv` for the period.
  ///   - commissionLines: the run's commissions per affiliate and market, kept with the closed period.
  /// - Throws: `LedgerError`; nothing is written then.
  public func payouts(
    period: Month, settlementCurrency: Currency, auditPath: String, commissionLines: [SettlementSummary.CommissionLine],
    source: RunSource,
    makeFiles: (_ carried: [String: Int64], _ adjustments: [Adjustment]) throws -> PayoutFiles
  ) throws(LedgerError) -> PayoutRun {
    try write("settle the payouts of \(period)") { db in
      switch try Ledger.status(of: period, db) {
      case .closed(let batchID):
        let (adjustments, target) = try postAdjustments(
          db, period: period, currency: settlementCurrency, auditPath: auditPath, source: source)
        return .alreadyClosed(
          batchID: batchID, files: try Ledger.storedFiles(db, batchID: batchID), adjustments: adjustments,
          postedInto: target)
      case .open, .unknown:
        return .closed(
          try close(
            db, period: period, currency: settlementCurrency, auditPath: auditPath, commissionLines: commissionLines,
            source: source, makeFiles: makeFiles))
      }
    }
  }

  private func close(
    _ db: Database, period: Month, currency: Currency, auditPath: String,
    commissionLines: [SettlementSummary.CommissionLine], source: RunSource,
    makeFiles: ([String: Int64], [Adjustment]) throws -> PayoutFiles
  ) throws -> PayoutFiles {
    if let later = try String.fetchOne(
      db, sql: "SELECT period FROM periods WHERE status = 'closed' AND period > ? ORDER BY period LIMIT 1",
      arguments: [period.description])
    {
      throw LedgerError(path: path, "\(later) is already closed: periods close in order, and \(period) comes before it")
    }
    try Ledger.ensureOpen(period, currency: currency.code, db)
    var book = try AccountBook(db, currency: currency)
    let adjustments = try Ledger.adjustments(db, bookedInto: period, book: book)
    var carried = try Ledger.payableBalances(db, currency: currency)
    for adjustment in adjustments { carried[adjustment.affiliateID, default: 0] -= adjustment.amount }
    let files = try makeFiles(carried, adjustments)
    let batch = files.batch
    let accrued = try accrue(db, auditPath: auditPath, period: period, book: &book)
    guard accrued == batch.totalCommission else {
      throw LedgerInvariantError(
        "\(auditPath): its orders accrue \(accrued) minor units, the settlement \(batch.totalCommission)")
    }
    try Ledger.instruct(db, files: files, book: &book)
    try book.commit(db, AccountBook.Header(kind: "close", period: period, batchID: batch.id, source: source))
    try db.execute(
      sql: "UPDATE periods SET status = 'closed', batch_id = ?, closed_at = ? WHERE period = ?",
      arguments: [batch.id, source.recordedAt.description, period.description])
    try Ledger.replaceCommissions(of: period, with: commissionLines, currency: currency.code, db)
    return files
  }

  /// One accrual per qualified order with a commission: expense → the affiliate's payable.
  /// Returns the sum accrued.
  private func accrue(_ db: Database, auditPath: String, period: Month, book: inout AccountBook) throws -> Int128 {
    let transfers = try TransferWriter(
      db, journal: book.journalID, kind: "accrual", sourcePeriod: period.description)
    var total: Int128 = 0
    try SettlementAudit.forEachQualifiedOrder(path: auditPath, currency: book.currency) { order in
      guard order.commission > 0 else { return }
      let payable = try book.payable(db, order.affiliateID)
      _ = try transfers.insert(
        debit: book.expense, credit: payable, amount: order.commission, orderID: order.orderID, line: order.line,
        rateDay: order.rateDay)
      book.post(debit: book.expense, credit: payable, amount: order.commission)
      total += Int128(order.commission)
    }
    return total
  }

  /// Each ready payout: payable → paid out, with its row and the batch's files.
  private static func instruct(_ db: Database, files: PayoutFiles, book: inout AccountBook) throws {
    let batch = files.batch
    try db.execute(
      sql: """
        INSERT INTO batches (id, period, journal_id, created_at, settlement_currency, owed, ready, held)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        batch.id, batch.period.description, book.journalID, batch.options.createdAt.description,
        batch.settlementCurrency.code,
        try int64(batch.owedTotal), try int64(batch.readyTotal), try int64(batch.heldTotal),
      ])
    var fileOfReference: [String: String] = [:]
    for (position, file) in files.files.enumerated() {
      guard file.bytes.count <= storedFileBytesMax else {
        throw LedgerInvariantError("\(file.name) is larger than \(storedFileBytesMax) bytes")
      }
      let sums = file.controlSums.sorted { $0.key < $1.key }.map { "\($0.key.code)=\($0.value)" }.joined(separator: ",")
      try db.execute(
        sql: """
          INSERT INTO batch_files (batch_id, position, name, sha256, payments, control_sums, bytes)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          batch.id, position, file.name, SHA256.hexDigest(of: file.bytes), file.payments, sums,
          Data(file.bytes),
        ])
      for reference in file.references { fileOfReference[reference] = file.name }
    }
    let transfers = try TransferWriter(
      db, journal: book.journalID, kind: "payout", sourcePeriod: batch.period.description)
    let payout = try db.makeStatement(
      sql: """
        INSERT INTO payouts (batch_id, period, affiliate_id, reference, method, settlement_amount, payout_amount,
          payout_currency, file, transfer_id, state)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'instructed')
        """)
    for ready in batch.payouts where ready.isReady {
      guard let amount = ready.payoutAmount, let method = ready.method, let file = fileOfReference[ready.reference]
      else {
        throw LedgerInvariantError("ready payout \(ready.reference) has no amount, method or file")
      }
      let payable = try book.payable(db, ready.affiliateID)
      let transferID = try transfers.insert(
        debit: payable, credit: book.paidOut, amount: ready.settlementAmount.minorUnits, reference: ready.reference)
      book.post(debit: payable, credit: book.paidOut, amount: ready.settlementAmount.minorUnits)
      try payout.execute(arguments: [
        batch.id, batch.period.description, ready.affiliateID, ready.reference, method.rawValue,
        ready.settlementAmount.minorUnits, amount.minorUnits, amount.currency.code, file, transferID,
      ])
    }
  }

  /// Compares a closed period's orders with what was recognised for them and posts each
  /// difference as an adjustment into the next period that is not closed.
  private func postAdjustments(
    _ db: Database, period: Month, currency: Currency, auditPath: String, source: RunSource
  ) throws -> ([Adjustment], Month?) {
    var book = try AccountBook(db, currency: currency)
    var recognised = try Ledger.recognised(db, period: period, book: book)
    var differences: [Adjustment] = []
    try SettlementAudit.forEachQualifiedOrder(path: auditPath, currency: currency) { order in
      let before = recognised.removeValue(forKey: order.orderID)
      if let before, before.affiliateID != order.affiliateID {
        // The order moved to another affiliate: take it back from one, accrue it to the other.
        differences.append(
          Adjustment(
            affiliateID: before.affiliateID, period: period, orderID: order.orderID, line: order.line,
            amount: -before.amount))
        if order.commission != 0 {
          differences.append(
            Adjustment(
              affiliateID: order.affiliateID, period: period, orderID: order.orderID, line: order.line,
              amount: order.commission))
        }
      } else if order.commission != (before?.amount ?? 0) {
        differences.append(
          Adjustment(
            affiliateID: order.affiliateID, period: period, orderID: order.orderID, line: order.line,
            amount: order.commission - (before?.amount ?? 0)))
      }
    }
    // Orders recognised before that no longer qualify (refunded, cancelled, removed): claw back.
    for (orderID, before) in recognised where before.amount != 0 {
      differences.append(
        Adjustment(
          affiliateID: before.affiliateID, period: period, orderID: orderID, line: before.line, amount: -before.amount))
    }
    guard !differences.isEmpty else { return ([], nil) }
    differences.sort { ($0.affiliateID, $0.line, $0.orderID) < ($1.affiliateID, $1.line, $1.orderID) }
    let target = try Ledger.nextPeriodNotClosed(after: period, db)
    try Ledger.ensureOpen(target, currency: currency.code, db)
    let transfers = try TransferWriter(
      db, journal: book.journalID, kind: "adjustment", sourcePeriod: period.description)
    for difference in differences {
      let payable = try book.payable(db, difference.affiliateID)
      let (debit, credit) = difference.amount > 0 ? (book.expense, payable) : (payable, book.expense)
      let magnitude = difference.amount.magnitude
      guard let amount = Int64(exactly: magnitude) else { throw LedgerInvariantError("adjustment passes 64 bits") }
      _ = try transfers.insert(
        debit: debit, credit: credit, amount: amount, orderID: difference.orderID, line: difference.line)
      book.post(debit: debit, credit: credit, amount: amount)
    }
    try book.commit(db, AccountBook.Header(kind: "adjustments", period: target, batchID: nil, source: source))
    return (differences, target)
  }

  /// What has been recognised for each order of a closed period: its accrual plus every adjustment since.
  static func recognised(_ db: Database, period: Month, book: AccountBook) throws
    -> [String: (affiliateID: String, line: Int, amount: Int64)]
  {
    let rows = try Row.fetchCursor(
      db,
      sql: """
        SELECT t.order_id AS order_id, a.affiliate_id AS affiliate_id, max(t.line) AS line,
          sum(CASE WHEN t.debit_account = ?1 THEN t.amount ELSE -t.amount END) AS amount
        FROM journals j JOIN transfers t ON t.id BETWEEN j.first_transfer AND j.last_transfer
          JOIN accounts a ON a.id = (CASE WHEN t.debit_account = ?1 THEN t.credit_account ELSE t.debit_account END)
        WHERE (j.kind = 'close' AND j.period = ?2 OR j.kind = 'adjustments')
          AND t.source_period = ?2 AND t.kind IN ('accrual', 'adjustment')
        GROUP BY t.order_id, a.affiliate_id
        """, arguments: [book.expense, period.description])
    var recognised: [String: (affiliateID: String, line: Int, amount: Int64)] = [:]
    while let row = try rows.next() {
      let amount: Int64 = row["amount"]
      guard amount != 0 else { continue }  // moved away from this affiliate before
      recognised[row["order_id"]] = (row["affiliate_id"], row["line"], amount)
    }
    return recognised
  }

  /// The adjustments booked into `period` by earlier runs, signed (positive: owed more).
  static func adjustments(_ db: Database, bookedInto period: Month, book: AccountBook) throws -> [Adjustment] {
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT a.affiliate_id AS affiliate_id, t.source_period AS source_period, t.order_id AS order_id, t.line AS line,
          CASE WHEN t.debit_account = ?1 THEN t.amount ELSE -t.amount END AS amount
        FROM journals j JOIN transfers t ON t.id BETWEEN j.first_transfer AND j.last_transfer
          JOIN accounts a ON a.id = (CASE WHEN t.debit_account = ?1 THEN t.credit_account ELSE t.debit_account END)
        WHERE j.kind = 'adjustments' AND j.period = ?2 AND t.kind = 'adjustment'
        ORDER BY t.id
        """, arguments: [book.expense, period.description])
    return try rows.map { row in
      let sourcePeriod: String = row["source_period"]
      return Adjustment(
        affiliateID: row["affiliate_id"], period: try Month(sourcePeriod), orderID: row["order_id"],
        line: row["line"], amount: row["amount"])
    }
  }

  /// Each affiliate's payable balance in `currency` (credits less debits), non-zero ones only.
  static func payableBalances(_ db: Database, currency: Currency) throws -> [String: Int64] {
    var balances: [String: Int64] = [:]
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT affiliate_id, credits_posted - debits_posted AS balance FROM accounts
        WHERE kind = 'payable' AND currency = ? AND credits_posted <> debits_posted
        """, arguments: [currency.code])
    {
      balances[row["affiliate_id"]] = row["balance"]
    }
    return balances
  }

  /// The period adjustments to `period` are booked into: the first after it that can still
  /// close, which is after the latest closed period too (periods close in order, so an open
  /// period before a closed one would hold them for ever).
  static func nextPeriodNotClosed(after period: Month, _ db: Database) throws -> Month {
    let latestClosed = try String.fetchOne(db, sql: "SELECT max(period) FROM periods WHERE status = 'closed'")
      .map { try Month($0) }
    let base = latestClosed.map { max($0, period) } ?? period
    guard let next = base.next else { throw LedgerInvariantError("no period after \(base)") }
    return next
  }

  static func storedFiles(_ db: Database, batchID: String) throws -> [StoredFile] {
    try Row.fetchAll(
      db, sql: "SELECT name, bytes FROM batch_files WHERE batch_id = ? ORDER BY position", arguments: [batchID]
    ).map { row in
      let data: Data = row["bytes"]
      return StoredFile(name: row["name"], bytes: [UInt8](data))
    }
  }

  static func int64(_ value: Int128) throws -> Int64 {
    guard let narrow = Int64(exactly: value) else { throw LedgerInvariantError("\(value) passes 64 bits") }
    return narrow
  }
}

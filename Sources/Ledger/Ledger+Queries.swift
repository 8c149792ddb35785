import Dates
import GRDB
public import Money

extension Ledger {
  /// An affiliate's payable balance: what the program owes it (negative: what it owes back).
  public struct Balance: Sendable, Equatable {
    public let affiliateID: String
    public let amount: Money
  }

  /// Payable balances, by affiliate id, non-zero ones only unless `affiliateID` names one.
  public func balances(affiliateID: String? = nil) throws(LedgerError) -> [Balance] {
    try read("read the balances") { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT affiliate_id, currency, credits_posted - debits_posted AS balance FROM accounts
          WHERE kind = 'payable' AND (?1 IS NULL AND credits_posted <> debits_posted OR affiliate_id = ?1)
          ORDER BY affiliate_id, currency
          """, arguments: [affiliateID])
      return try rows.map { row in
        Balance(
          affiliateID: row["affiliate_id"],
          amount: Money(minorUnits: row["balance"], currency: try Ledger.currency(row)))
      }
    }
  }

  /// A batch as the ledger holds it.
  public struct BatchSummary: Sendable, Equatable {
    public let id: String
    public let period: String
    public let createdAt: String
    public let currency: Currency
    public let owed: Int64
    public let ready: Int64
    public let held: Int64
    /// Payouts per state: instructed, paid, failed.
    public let states: [String: Int]
  }

  public func batches() throws(LedgerError) -> [BatchSummary] {
    try read("read the batches") { db in
      try Row.fetchAll(db, sql: "SELECT * FROM batches ORDER BY period").map { try Ledger.summary(of: $0, db) }
    }
  }

  /// One payout of a batch.
  public struct PayoutRecord: Sendable, Equatable {
    public let affiliateID: String
    public let reference: String
    public let method: String
    public let settlementAmount: Money
    public let payoutAmount: Money
    public let file: String
    public let state: String
  }

  /// A batch with its files (name, SHA-256, payments, control sums) and payouts.
  public func batch(_ id: String) throws(LedgerError) -> (
    BatchSummary, files: [(String, String, Int, String)], [PayoutRecord]
  ) {
    try read("read batch \(id)") { db in
      guard let row = try Row.fetchOne(db, sql: "SELECT * FROM batches WHERE id = ?", arguments: [id]) else {
        throw LedgerError(path: path, "no batch \(id) (settle ledger batches lists them)")
      }
      let summary = try Ledger.summary(of: row, db)
      let files = try Row.fetchAll(
        db, sql: "SELECT name, sha256, payments, control_sums FROM batch_files WHERE batch_id = ? ORDER BY position",
        arguments: [id]
      ).map { (String, String, Int, String)($0["name"], $0["sha256"], $0["payments"], $0["control_sums"]) }
      let payouts = try Row.fetchAll(
        db, sql: "SELECT * FROM payouts WHERE batch_id = ? ORDER BY affiliate_id", arguments: [id]
      ).map { payout in
        PayoutRecord(
          affiliateID: payout["affiliate_id"], reference: payout["reference"], method: payout["method"],
          settlementAmount: Money(minorUnits: payout["settlement_amount"], currency: summary.currency),
          payoutAmount: Money(
            minorUnits: payout["payout_amount"], currency: try Currency(code: payout["payout_currency"])),
          file: payout["file"], state: payout["state"])
      }
      return (summary, files, payouts)
    }
  }

  static func summary(of row: Row, _ db: Database) throws -> BatchSummary {
    let id: String = row["id"]
    var states: [String: Int] = [:]
    for state in try Row.fetchAll(
      db, sql: "SELECT state, count(*) AS count FROM payouts WHERE batch_id = ? GROUP BY state", arguments: [id])
    {
      states[state["state"]] = state["count"]
    }
    return BatchSummary(
      id: id, period: row["period"], createdAt: row["created_at"],
      currency: try Currency(code: row["settlement_currency"]), owed: row["owed"], ready: row["ready"],
      held: row["held"], states: states)
  }

  static func currency(_ row: Row) throws -> Currency { try Currency(code: row["currency"]) }

  /// Marks a batch's instructed payouts paid, except those named in `failed` (affiliate ids or
  /// payout references), which are marked failed and return to the affiliate's balance (paid out
  /// → payable), to be paid with a later batch. Payouts confirmed before are left as they are.
  /// - Returns: how many payouts became paid and failed.
  /// - Throws: `LedgerError` for an unknown batch, a name in `failed` that is not one of its
  ///   payouts, or a payout confirmed paid before that is now said to have failed.
  public func confirm(batchID: String, failed: Set<String>, source: RunSource) throws(LedgerError) -> (
    paid: Int, failed: Int
  ) {
    try write("confirm batch \(batchID)") { db in
      guard
        let batch = try Row.fetchOne(
          db, sql: "SELECT period, settlement_currency FROM batches WHERE id = ?", arguments: [batchID])
      else { throw LedgerError(path: path, "no batch \(batchID) (settle ledger batches lists them)") }
      let payouts = try Row.fetchAll(db, sql: "SELECT * FROM payouts WHERE batch_id = ?", arguments: [batchID])
      let known = Set(payouts.map { $0["affiliate_id"] as String }).union(payouts.map { $0["reference"] as String })
      if let unknown = failed.subtracting(known).sorted().first {
        throw LedgerError(path: path, "\(unknown) is not a payout of batch \(batchID): nothing was confirmed")
      }
      let period = try Month(batch["period"] as String)
      var book = try AccountBook(db, currency: try Currency(code: batch["settlement_currency"]))
      let transfers = try TransferWriter(
        db, journal: book.journalID, kind: "payout_failed", sourcePeriod: period.description)
      var counts = (paid: 0, failed: 0)
      for payout in payouts {
        let affiliateID: String = payout["affiliate_id"]
        let reference: String = payout["reference"]
        let state: String = payout["state"]
        let didFail = failed.contains(affiliateID) || failed.contains(reference)
        if state != "instructed" {
          if didFail && state == "paid" {
            throw LedgerError(path: path, "\(reference) (\(affiliateID)) was confirmed paid before; it cannot fail now")
          }
          continue
        }
        try db.execute(
          sql: "UPDATE payouts SET state = ? WHERE batch_id = ? AND affiliate_id = ?",
          arguments: [didFail ? "failed" : "paid", batchID, affiliateID])
        guard didFail else {
          counts.paid += 1
          continue
        }
        let payable = try book.payable(db, affiliateID)
        let amount: Int64 = payout["settlement_amount"]
        _ = try transfers.insert(debit: book.paidOut, credit: payable, amount: amount, reference: reference)
        book.post(debit: book.paidOut, credit: payable, amount: amount)
        counts.failed += 1
      }
      if counts.failed > 0 {
        try book.commit(db, AccountBook.Header(kind: "confirm", period: period, batchID: batchID, source: source))
      }
      return counts
    }
  }
}

import Digest
import Foundation
import GRDB

extension Ledger {
  /// Re-checks every invariant from the stored data, reading it all back:
  /// - every transfer belongs to a journal and moves a positive amount between two existing
  ///   accounts of the same currency, and per currency the debits equal the credits;
  /// - every account's posted debits and credits equal the sums of its transfers;
  /// - every batch file's bytes still have their recorded SHA-256, and its payments and control
  ///   sums per currency equal its payouts'; each batch's payout transfers equal its payouts and
  ///   its ready total;
  /// - no affiliate has two payouts instructed for one period; every closed period has its batch.
  /// - Returns: one line per violation; empty when the ledger holds.
  public func verify() throws(LedgerError) -> [String] {
    try read("verify the ledger") { db in
      var violations: [String] = []
      try Ledger.verifyTransfers(db, into: &violations)
      try Ledger.verifyAccounts(db, into: &violations)
      try Ledger.verifyBatches(db, into: &violations)
      try Ledger.verifyPeriods(db, into: &violations)
      return violations
    }
  }

  private static func verifyTransfers(_ db: Database, into violations: inout [String]) throws {
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT t.id FROM transfers t
        WHERE NOT EXISTS (
            SELECT 1 FROM journals j WHERE j.id = t.journal_id AND t.id BETWEEN j.first_transfer AND j.last_transfer)
          OR NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.debit_account)
          OR NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.credit_account)
        """)
    {
      violations.append("transfer \(row["id"] as Int64): not in its journal's range, or an account does not exist")
    }
    let mismatched = try Row.fetchAll(
      db,
      sql: """
        SELECT t.id, d.currency AS debit_currency, c.currency AS credit_currency FROM transfers t
        JOIN accounts d ON d.id = t.debit_account JOIN accounts c ON c.id = t.credit_account
        WHERE d.currency <> c.currency OR t.amount <= 0 OR t.debit_account = t.credit_account
        """)
    for row in mismatched {
      violations.append("transfer \(row["id"] as Int64): not a positive amount between two accounts of one currency")
    }
    let sums = try Row.fetchAll(
      db,
      sql: """
        SELECT d.currency AS currency, sum(t.amount) AS debits,
          (SELECT sum(t2.amount) FROM transfers t2 JOIN accounts c ON c.id = t2.credit_account
           WHERE c.currency = d.currency) AS credits
        FROM transfers t JOIN accounts d ON d.id = t.debit_account GROUP BY d.currency
        """)
    for row in sums where (row["debits"] as Int64?) != (row["credits"] as Int64?) {
      violations.append(
        "\(row["currency"] as String): debits \(row["debits"] as Int64? ?? 0) ≠ credits \(row["credits"] as Int64? ?? 0)"
      )
    }
  }

  private static func verifyAccounts(_ db: Database, into violations: inout [String]) throws {
    let rows = try Row.fetchAll(
      db,
      sql: """
        WITH debited AS (SELECT debit_account AS id, sum(amount) AS total FROM transfers GROUP BY debit_account),
          credited AS (SELECT credit_account AS id, sum(amount) AS total FROM transfers GROUP BY credit_account)
        SELECT a.id, a.kind, a.currency, a.affiliate_id, a.debits_posted, a.credits_posted,
          ifnull(debited.total, 0) AS debits, ifnull(credited.total, 0) AS credits
        FROM accounts a LEFT JOIN debited ON debited.id = a.id LEFT JOIN credited ON credited.id = a.id
        """)
    for row in rows {
      let posted = (row["debits_posted"] as Int64, row["credits_posted"] as Int64)
      let summed = (row["debits"] as Int64, row["credits"] as Int64)
      if posted != summed {
        let affiliate = (row["affiliate_id"] as String?).map { " " + $0 } ?? ""
        let name = "\(row["kind"] as String) \(row["currency"] as String)\(affiliate)"
        violations.append(
          "account \(name): posted debits \(posted.0) and credits \(posted.1), its transfers \(summed.0) and \(summed.1)"
        )
      }
    }
  }

  private static func verifyBatches(_ db: Database, into violations: inout [String]) throws {
    for file in try Row.fetchAll(
      db, sql: "SELECT batch_id, name, sha256, payments, control_sums, bytes FROM batch_files")
    {
      let batchID: String = file["batch_id"]
      let name: String = file["name"]
      let data: Data = file["bytes"]
      if SHA256.hexDigest(of: [UInt8](data)) != file["sha256"] as String {
        violations.append("batch \(batchID) \(name): its bytes no longer have the recorded SHA-256")
      }
      let payouts = try Row.fetchAll(
        db,
        sql: """
          SELECT payout_currency, count(*) AS payments, sum(payout_amount) AS total FROM payouts
          WHERE batch_id = ? AND file = ? GROUP BY payout_currency ORDER BY payout_currency
          """, arguments: [batchID, name])
      let payments = payouts.reduce(0) { $0 + ($1["payments"] as Int) }
      let sums = payouts.map { "\($0["payout_currency"] as String)=\($0["total"] as Int64)" }.joined(separator: ",")
      if payments != file["payments"] as Int || sums != file["control_sums"] as String {
        violations.append(
          "batch \(batchID) \(name): recorded \(file["payments"] as Int) payments (\(file["control_sums"] as String)), its payouts \(payments) (\(sums))"
        )
      }
    }
    let batches = try Row.fetchAll(
      db,
      sql: """
        SELECT b.id, b.ready,
          ifnull((SELECT sum(settlement_amount) FROM payouts WHERE batch_id = b.id), 0) AS payouts,
          ifnull((SELECT sum(t.amount) FROM transfers t JOIN payouts p ON p.transfer_id = t.id
                  WHERE p.batch_id = b.id AND t.kind = 'payout'), 0) AS transfers
        FROM batches b
        """)
    for row in batches {
      let ready: Int64 = row["ready"]
      if ready != row["payouts"] as Int64 || ready != row["transfers"] as Int64 {
        violations.append(
          "batch \(row["id"] as String): ready \(ready), its payouts \(row["payouts"] as Int64), their transfers \(row["transfers"] as Int64)"
        )
      }
    }
    for row in try Row.fetchAll(
      db,
      sql: "SELECT period, affiliate_id, count(*) AS count FROM payouts GROUP BY period, affiliate_id HAVING count > 1")
    {
      violations.append(
        "\(row["affiliate_id"] as String): \(row["count"] as Int) payouts instructed for \(row["period"] as String)")
    }
  }

  private static func verifyPeriods(_ db: Database, into violations: inout [String]) throws {
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT p.period FROM periods p LEFT JOIN batches b ON b.id = p.batch_id
        WHERE p.status = 'closed' AND (b.id IS NULL OR b.period <> p.period)
        """)
    {
      violations.append("\(row["period"] as String) is closed without its batch")
    }
  }
}

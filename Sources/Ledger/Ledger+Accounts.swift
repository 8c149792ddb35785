import GRDB
import Money

/// The accounts of one currency, found or made once per transaction, and the debits and
/// credits a transaction posts to them, added to their totals once at the end.
struct AccountBook {
  let currency: Currency
  let expense: Int64
  let paidOut: Int64
  private var payables: [String: Int64] = [:]
  /// Debits and credits posted in this transaction, by account id.
  private(set) var deltas: [Int64: (debits: Int64, credits: Int64)] = [:]

  init(_ db: Database, currency: Currency) throws {
    self.currency = currency
    expense = try AccountBook.account(db, kind: "commission_expense", currency: currency, affiliateID: nil)
    paidOut = try AccountBook.account(db, kind: "paid_out", currency: currency, affiliateID: nil)
  }

  mutating func payable(_ db: Database, _ affiliateID: String) throws -> Int64 {
    if let id = payables[affiliateID] { return id }
    let id = try AccountBook.account(db, kind: "payable", currency: currency, affiliateID: affiliateID)
    payables[affiliateID] = id
    return id
  }

  static func account(_ db: Database, kind: String, currency: Currency, affiliateID: String?) throws -> Int64 {
    let found = try Int64.fetchOne(
      db, sql: "SELECT id FROM accounts WHERE kind = ? AND currency = ? AND ifnull(affiliate_id, '') = ?",
      arguments: [kind, currency.code, affiliateID ?? ""])
    if let found { return found }
    try db.execute(
      sql: "INSERT INTO accounts (kind, currency, affiliate_id) VALUES (?, ?, ?)",
      arguments: [kind, currency.code, affiliateID])
    return db.lastInsertedRowID
  }

  /// Records a transfer's effect, to be added to the accounts' totals by `commit`.
  mutating func post(debit: Int64, credit: Int64, amount: Int64) {
    precondition(amount > 0 && debit != credit, "a transfer moves a positive amount between two accounts")
    deltas[debit, default: (0, 0)].debits += amount
    deltas[credit, default: (0, 0)].credits += amount
  }

  /// Adds the transaction's debits and credits to the accounts, then checks them against the
  /// journal's transfers as stored: the check on write.
  /// - Throws: `LedgerInvariantError` when they disagree (the transaction is rolled back).
  func commit(_ db: Database, journalID: Int64) throws {
    for (account, delta) in deltas {
      try db.execute(
        sql: "UPDATE accounts SET debits_posted = debits_posted + ?, credits_posted = credits_posted + ? WHERE id = ?",
        arguments: [delta.debits, delta.credits, account])
    }
    var stored: [Int64: (debits: Int64, credits: Int64)] = [:]
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT debit_account AS account, sum(amount) AS debits, 0 AS credits FROM transfers WHERE journal_id = ?1
          GROUP BY debit_account
        UNION ALL
        SELECT credit_account, 0, sum(amount) FROM transfers WHERE journal_id = ?1 GROUP BY credit_account
        """, arguments: [journalID])
    for row in rows {
      let account: Int64 = row["account"]
      stored[account, default: (0, 0)].debits += row["debits"] as Int64
      stored[account, default: (0, 0)].credits += row["credits"] as Int64
    }
    let expected = deltas.filter { $0.value.debits != 0 || $0.value.credits != 0 }
    guard stored.count == expected.count,
      expected.allSatisfy({ stored[$0.key]?.debits == $0.value.debits && stored[$0.key]?.credits == $0.value.credits })
    else { throw LedgerInvariantError("journal \(journalID): the stored transfers do not add up to what was posted") }
    let debits = stored.values.reduce(0) { $0 + Int128($1.debits) }
    let credits = stored.values.reduce(0) { $0 + Int128($1.credits) }
    guard debits == credits else {
      throw LedgerInvariantError("journal \(journalID): debits \(debits) ≠ credits \(credits) in \(currency)")
    }
  }
}

/// An invariant the ledger found broken while writing: the transaction is rolled back.
struct LedgerInvariantError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

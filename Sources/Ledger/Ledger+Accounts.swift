import Dates
import GRDB
import GRDBSQLite
import Money

/// One journal being posted: the accounts of its currency, found or made once, and the debits
/// and credits its transfers post to them, added to the accounts' totals once at the end.
///
/// A journal's transfers are the rows inserted after `firstTransferID` in this transaction: the
/// journal row, written last by `commit`, records that id range, so a journal's transfers are
/// read by rowid without an index on the transfers table.
struct AccountBook {
  let currency: Currency
  let expense: Int64
  let paidOut: Int64
  private var payables: [String: Int64] = [:]
  /// Debits and credits posted in this transaction, by account id.
  private(set) var deltas: [Int64: (debits: Int64, credits: Int64)] = [:]
  /// The largest transfer id before this journal's first: its transfers come after it.
  let firstTransferID: Int64
  /// The id the journal will have: its transfers name it before its row is written.
  let journalID: Int64

  init(_ db: Database, currency: Currency) throws {
    self.currency = currency
    journalID = try Int64.fetchOne(db, sql: "SELECT ifnull(max(id), 0) + 1 FROM journals") ?? 1
    expense = try AccountBook.account(db, kind: "commission_expense", currency: currency, affiliateID: nil)
    paidOut = try AccountBook.account(db, kind: "paid_out", currency: currency, affiliateID: nil)
    firstTransferID = try Int64.fetchOne(db, sql: "SELECT ifnull(max(id), 0) FROM transfers") ?? 0
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

  /// What a journal records besides its transfers.
  struct Header {
    let kind: String
    let period: Month
    let batchID: String?
    let source: Ledger.RunSource
  }

  /// Writes the journal row with its transfers' id range, adds the journal's debits and credits
  /// to the accounts, then checks them against the transfers as stored: the check on write.
  /// - Throws: `LedgerInvariantError` when they disagree (the transaction is rolled back).
  func commit(_ db: Database, _ header: Header) throws {
    let lastTransferID = try Int64.fetchOne(db, sql: "SELECT ifnull(max(id), 0) FROM transfers") ?? 0
    try db.execute(
      sql: """
        INSERT INTO journals (id, kind, period, program_sha256, rates_sha256, batch_id, orders_path, created_at,
          first_transfer, last_transfer)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        journalID, header.kind, header.period.description, header.source.programSHA256, header.source.ratesSHA256,
        header.batchID, header.source.ordersPath, header.source.recordedAt.description, firstTransferID + 1,
        lastTransferID,
      ])
    for (account, delta) in deltas {
      try db.execute(
        sql: "UPDATE accounts SET debits_posted = debits_posted + ?, credits_posted = credits_posted + ? WHERE id = ?",
        arguments: [delta.debits, delta.credits, account])
    }
    // A journal's transfers are the rows inserted since it was: one range of ids, read back here.
    var stored: [Int64: (debits: Int64, credits: Int64)] = [:]
    let statement = try db.makeStatement(
      sql: "SELECT debit_account, credit_account, amount FROM transfers WHERE id > ? AND journal_id = ?")
    let handle = statement.sqliteStatement
    sqlite3_bind_int64(handle, 1, firstTransferID)
    sqlite3_bind_int64(handle, 2, journalID)
    defer { sqlite3_reset(handle) }
    while true {
      let status = sqlite3_step(handle)
      guard status == SQLITE_ROW else {
        guard status == SQLITE_DONE else {
          throw DatabaseError(resultCode: ResultCode(rawValue: status), message: "reading journal \(journalID) back")
        }
        break
      }
      let amount = sqlite3_column_int64(handle, 2)
      stored[sqlite3_column_int64(handle, 0), default: (0, 0)].debits += amount
      stored[sqlite3_column_int64(handle, 1), default: (0, 0)].credits += amount
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

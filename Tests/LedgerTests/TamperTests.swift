import Foundation
import GRDB
import Ledger
import Testing

/// What the ledger file refuses by itself (triggers, constraints) and what `verify()` finds when
/// someone goes around that with SQLite directly.
///
/// Every test starts from October closed with two Payoneer payouts: ALBA 100.00 and BECK 50.00.
/// Accounts in the order they are made: commission_expense, paid_out, payable ALBA, payable BECK;
/// transfers 1 and 2 accrue ALBA 10000 and BECK 5000, transfers 3 and 4 pay them out.
@Suite struct TamperTests {
  struct Closed {
    let treasury: Treasury
    let batchID: String
  }

  static func closedOctober() throws -> Closed {
    let treasury = try Treasury()
    let run = try treasury.payouts("2026-10", PeriodTests.orders("2026-10"), affiliates: PeriodTests.affiliates)
    let batchID = try #require(run.batch?.id)
    #expect(try treasury.ledger.verify() == [])
    return Closed(treasury: treasury, batchID: batchID)
  }

  /// Runs `sql` and returns SQLite's message when it is refused.
  static func refusal(_ database: DatabaseQueue, _ sql: String) -> String? {
    do {
      try database.write { db in try db.execute(sql: sql) }
      return nil
    } catch let error as DatabaseError {
      return error.message
    } catch {
      return "\(error)"
    }
  }

  static let payoutRefusal = "a payout goes from instructed to paid or failed, once, and nothing else changes"

  static func dropTriggers(_ database: DatabaseQueue) throws {
    try database.write { db in
      for trigger in [
        "transfers_are_never_updated", "transfers_are_never_deleted", "journals_are_never_updated",
        "journals_are_never_deleted", "payouts_change_state_once", "payouts_are_never_deleted",
        "batch_files_are_never_updated", "batch_files_are_never_deleted",
      ] {
        try db.execute(sql: "DROP TRIGGER \(trigger)")
      }
    }
  }

  @Test func transfersAndJournalsCannotBeUpdatedOrDeleted() throws {
    let closed = try TamperTests.closedOctober()
    let database = try closed.treasury.database()
    #expect(
      TamperTests.refusal(database, "UPDATE transfers SET amount = 9000 WHERE id = 3")
        == "transfers are never updated: post a correction")
    #expect(
      TamperTests.refusal(database, "DELETE FROM transfers WHERE id = 3")
        == "transfers are never deleted: post a correction")
    #expect(
      TamperTests.refusal(database, "UPDATE journals SET period = '2026-09'") == "journals are never updated")
    #expect(TamperTests.refusal(database, "DELETE FROM journals") == "journals are never deleted")
    #expect(
      TamperTests.refusal(database, "UPDATE payouts SET settlement_amount = 1 WHERE affiliate_id = 'ALBA'")
        == TamperTests.payoutRefusal)
    #expect(
      TamperTests.refusal(database, "UPDATE payouts SET state = 'paid' WHERE affiliate_id = 'ALBA'") == nil)
    #expect(
      TamperTests.refusal(database, "UPDATE payouts SET state = 'failed' WHERE affiliate_id = 'ALBA'")
        == TamperTests.payoutRefusal)
    #expect(
      TamperTests.refusal(
        database,
        "INSERT INTO transfers (journal_id, kind, debit_account, credit_account, amount, source_period) VALUES (1, 'accrual', 1, 3, 0, '2026-10')"
      )
        == "CHECK constraint failed: amount > 0")
    #expect(try closed.treasury.count("transfers") == 4)
    #expect(try closed.treasury.ledger.verify() == [])
  }

  /// The twin: with the triggers dropped, a payout transfer made smaller (10000 → 9000) is found
  /// three times over: in both accounts it touches and in the batch's ready total.
  @Test func aChangedTransferAmountIsFound() throws {
    let closed = try TamperTests.closedOctober()
    let database = try closed.treasury.database()
    try TamperTests.dropTriggers(database)
    #expect(TamperTests.refusal(database, "UPDATE transfers SET amount = 9000 WHERE id = 3") == nil)
    #expect(
      try closed.treasury.ledger.verify() == [
        "account paid_out USD: posted debits 0 and credits 15000, its transfers 0 and 14000",
        "account payable USD ALBA: posted debits 10000 and credits 10000, its transfers 9000 and 10000",
        "batch \(closed.batchID): ready 15000, its payouts 15000, their transfers 14000",
      ])
  }

  @Test func aDeletedTransferIsFound() throws {
    let closed = try TamperTests.closedOctober()
    let database = try closed.treasury.database()
    try TamperTests.dropTriggers(database)
    try database.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA foreign_keys = OFF")
      try db.execute(sql: "DELETE FROM transfers WHERE id = 2")
    }
    #expect(
      try closed.treasury.ledger.verify() == [
        "account commission_expense USD: posted debits 15000 and credits 0, its transfers 10000 and 0",
        "account payable USD BECK: posted debits 5000 and credits 5000, its transfers 5000 and 0",
      ])
  }

  /// The trigger refuses a payout amount changed on the way to `paid`; around it, the amount no
  /// longer matches the control sum recorded for its file.
  @Test func aChangedPayoutAmountIsFound() throws {
    let closed = try TamperTests.closedOctober()
    let database = try closed.treasury.database()
    let tampering = "UPDATE payouts SET state = 'paid', payout_amount = 10001 WHERE affiliate_id = 'ALBA'"
    #expect(TamperTests.refusal(database, tampering) == TamperTests.payoutRefusal)
    try TamperTests.dropTriggers(database)
    #expect(TamperTests.refusal(database, tampering) == nil)
    #expect(
      try closed.treasury.ledger.verify() == [
        "batch \(closed.batchID) payoneer-001.json: recorded 2 payments (USD=15000), its payouts 2 (USD=15001)"
      ])
  }

  @Test func changedBatchFileBytesAreFound() throws {
    let closed = try TamperTests.closedOctober()
    let database = try closed.treasury.database()
    #expect(
      TamperTests.refusal(database, "UPDATE batch_files SET bytes = x'00' WHERE name = 'payouts.csv'")
        == "batch files are never updated")
    #expect(TamperTests.refusal(database, "DELETE FROM batch_files") == "batch files are never deleted")
    try TamperTests.dropTriggers(database)
    try database.write { db in
      let stored = try Data.fetchOne(db, sql: "SELECT bytes FROM batch_files WHERE name = 'payouts.csv'") ?? Data()
      let edited = Data(String(decoding: stored, as: UTF8.self).replacing("100.00", with: "1000.00").utf8)
      #expect(edited != stored)
      try db.execute(sql: "UPDATE batch_files SET bytes = ? WHERE name = 'payouts.csv'", arguments: [edited])
    }
    #expect(
      try closed.treasury.ledger.verify() == [
        "batch \(closed.batchID) payouts.csv: its bytes no longer have the recorded SHA-256"
      ])
  }

  @Test func changedPostedTotalsAreFound() throws {
    let closed = try TamperTests.closedOctober()
    let database = try closed.treasury.database()
    #expect(
      TamperTests.refusal(
        database, "UPDATE accounts SET credits_posted = credits_posted + 1 WHERE affiliate_id = 'BECK'")
        == nil)
    #expect(
      try closed.treasury.ledger.verify() == [
        "account payable USD BECK: posted debits 5000 and credits 5001, its transfers 5000 and 5000"
      ])
    #expect(try LedgerFixtures.balances(closed.treasury.ledger) == ["BECK 0.01 USD"])
  }

  @Test func aSecondPayoutForOnePeriodAndAClosedPeriodWithoutItsBatchAreFound() throws {
    let closed = try TamperTests.closedOctober()
    var configuration = Configuration()
    configuration.foreignKeysEnabled = false
    let database = try DatabaseQueue(path: closed.treasury.ledgerPath, configuration: configuration)
    #expect(
      TamperTests.refusal(
        database,
        "INSERT INTO payouts SELECT 'OTHER', period, affiliate_id, reference, method, settlement_amount, payout_amount, payout_currency, file, transfer_id, state FROM payouts WHERE affiliate_id = 'ALBA'"
      )
        == "UNIQUE constraint failed: payouts.period, payouts.affiliate_id")
    try database.write { db in
      try db.execute(sql: "DROP INDEX one_payout_per_affiliate_and_period")
      try db.execute(
        sql: """
          INSERT INTO payouts SELECT 'OTHER', period, affiliate_id, reference, method, settlement_amount, payout_amount,
            payout_currency, file, transfer_id, state FROM payouts WHERE affiliate_id = 'ALBA'
          """)
    }
    #expect(try closed.treasury.ledger.verify() == ["ALBA: 2 payouts instructed for 2026-10"])
    #expect(
      TamperTests.refusal(database, "DELETE FROM payouts WHERE batch_id = 'OTHER'") == "payouts are never deleted")
    try TamperTests.dropTriggers(database)
    try database.write { db in
      try db.execute(sql: "DELETE FROM payouts WHERE batch_id = 'OTHER'")
      try db.execute(sql: "DELETE FROM batches")
    }
    #expect(try closed.treasury.ledger.verify() == ["2026-10 is closed without its batch"])
  }
}

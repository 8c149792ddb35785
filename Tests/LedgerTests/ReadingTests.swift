import Dates
import GRDB
import Ledger
import Testing

/// A ledger opened for reading only, as the preview server opens it: it reads what writers wrote,
/// as they write it, and refuses to write or to open a file of another schema.
@Suite struct ReadingTests {
  @Test func aLedgerOpenedForReadingReadsWhatTheWriterWrote() throws {
    let closed = try TamperTests.closedOctober()
    let reader = try Ledger(readingFrom: closed.treasury.ledgerPath)
    #expect(try reader.history(of: "ALBA") == closed.treasury.ledger.history(of: "ALBA"))
    #expect(try reader.history(of: "ALBA").commissions.map(\.commission.amountText) == ["100.00"])
    #expect(try reader.liveTokens() == [])
    // Each read is a transaction of its own: a token issued since is seen by the next one.
    _ = try closed.treasury.ledger.issueToken(.treasury, at: try Timestamp("2026-11-01T08:00:00Z"))
    #expect(try reader.liveTokens().map(\.scope) == [.treasury])
  }

  @Test func aLedgerOpenedForReadingRefusesToWrite() throws {
    let closed = try TamperTests.closedOctober()
    let path = closed.treasury.ledgerPath
    let reader = try Ledger(readingFrom: path)
    #expect(throws: LedgerError(path: path, "cannot issue a token: the file is read-only")) {
      try reader.issueToken(.treasury, at: try Timestamp("2026-11-01T08:00:00Z"))
    }
    #expect(try closed.treasury.count("tokens") == 0)
  }

  @Test func aMissingLedgerIsNotOpenedForReading() throws {
    let path = try LedgerFixtures.temporaryDirectory() + "/settle.db"
    #expect(
      throws: LedgerError(path: path, "cannot open the ledger: cannot be opened (unable to open database file)")
    ) {
      try Ledger(readingFrom: path)
    }
  }

  @Test func aLedgerFromANewerSettleIsNotOpenedForReading() throws {
    let closed = try TamperTests.closedOctober()
    let path = closed.treasury.ledgerPath
    try closed.treasury.database().write { db in
      try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v5: something this build does not know')")
    }
    #expect(
      throws: LedgerError(
        path: path, "written by a newer Settle (its schema is newer than version 4); refusing to open it")
    ) {
      try Ledger(readingFrom: path)
    }
  }

  /// A reader migrates nothing: a ledger of an older schema is refused until a writer opens it.
  @Test func aLedgerOfAnOlderSchemaIsNotOpenedForReading() throws {
    let closed = try TamperTests.closedOctober()
    let path = closed.treasury.ledgerPath
    try FaultTests.makeVersion3(closed.treasury.database())
    #expect(
      throws: LedgerError(
        path: path, "its schema is older than version 4; open it once with a command that writes to migrate it")
    ) {
      try Ledger(readingFrom: path)
    }
    _ = try Ledger(path: path)
    #expect(try Ledger(readingFrom: path).history(of: "ALBA").commissions.count == 1)
  }
}

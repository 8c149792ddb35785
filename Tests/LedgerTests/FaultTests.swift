import Dates
import Files
import Foundation
import GRDB
@testable import Ledger
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Ledger files that cannot be used as they are: not a database, from a newer Settle, read-only,
/// on a full disk. Each gives one clear error and leaves the file as it was.
@Suite struct FaultTests {
  @Test func aFileThatIsNotADatabaseIsRefused() throws {
    let directory = try LedgerFixtures.temporaryDirectory()
    let path = directory + "/settle.db"
    let garbage = String(repeating: "these are not the pages of a SQLite database\n", count: 200)
    try LedgerFixtures.write(garbage, to: path)
    try FaultTests.expectNotALedger(path)
  }

  /// Opening `path` fails as not a ledger, and leaves its bytes as they were.
  static func expectNotALedger(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let before = try LedgerFixtures.bytes(path)
    #expect(
      throws: LedgerError(
        path: path, "cannot open the ledger: not a Settle ledger, or corrupted (file is not a database)"),
      sourceLocation: sourceLocation
    ) {
      try Ledger(path: path)
    }
    #expect(try LedgerFixtures.bytes(path) == before, sourceLocation: sourceLocation)
  }

  /// A real ledger whose first page lost its header is no longer a database either.
  @Test func aLedgerWithABrokenHeaderIsRefused() throws {
    let closed = try TamperTests.closedOctober()
    let path = closed.treasury.ledgerPath
    var bytes = try LedgerFixtures.bytes(path)
    for index in 0..<16 { bytes[index] = 0x58 }  // "SQLite format 3\0" → "XXXXXXXXXXXXXXXX"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    try FaultTests.expectNotALedger(path)
  }

  /// An empty file is an empty SQLite database: a ledger older than every migration, migrated on open.
  @Test func anEmptyFileIsMigratedToTheCurrentSchema() throws {
    let directory = try LedgerFixtures.temporaryDirectory()
    let path = directory + "/settle.db"
    try LedgerFixtures.write("", to: path)
    let ledger = try Ledger(path: path)
    #expect(try ledger.verify() == [])
    let identifiers = try DatabaseQueue(path: path).read { db in
      try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
    }
    #expect(
      identifiers == [
        "v1: accounts, journals, transfers, periods, batches", "v2: period commissions kept at close, access tokens",
        "v3: an affiliate's rows found by index", "v4: an affiliate's earnings read from covering indexes",
      ])
    #expect(identifiers.count == Ledger.schemaVersion)
  }

  /// A version 3 ledger (indexes by affiliate that hold only the key) gets the covering indexes of
  /// version 4 on open, and reads the same history as before.
  @Test func aVersion3LedgerGetsTheCoveringIndexes() throws {
    let closed = try TamperTests.closedOctober()
    let before = try closed.treasury.ledger.history(of: "ALBA")
    try FaultTests.makeVersion3(closed.treasury.database())
    let reopened = try Ledger(path: closed.treasury.ledgerPath)
    #expect(try reopened.history(of: "ALBA") == before)
    #expect(
      try FaultTests.indexes(closed.treasury.database()) == [
        "accounts_by_name", "accounts_of_affiliate", "one_payout_per_affiliate_and_period",
        "payouts_of_affiliate", "period_commissions_of_affiliate",
      ])
  }

  /// Each of an affiliate's three history queries is answered from its covering index alone.
  @Test func anAffiliatesHistoryIsReadFromCoveringIndexes() throws {
    let closed = try TamperTests.closedOctober()
    let details = try closed.treasury.database().read { db in
      try [Ledger.commissionsOfAffiliate, Ledger.payoutsOfAffiliate, Ledger.balancesOfAffiliate].map { sql in
        try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: ["ALBA"]).map { $0["detail"] as String }
      }
    }
    #expect(
      details == [
        [
          "SEARCH c USING COVERING INDEX period_commissions_of_affiliate (affiliate_id=?)",
          "SEARCH p USING INDEX sqlite_autoindex_periods_1 (period=?)",
        ],
        [
          "SEARCH p USING COVERING INDEX payouts_of_affiliate (affiliate_id=?)",
          "SEARCH b USING INDEX sqlite_autoindex_batches_1 (id=?)",
        ],
        ["SEARCH accounts USING COVERING INDEX accounts_of_affiliate (affiliate_id=? AND kind=?)"],
      ])
  }

  /// Turns a ledger of this build back into one of schema version 3, as an older Settle left it.
  static func makeVersion3(_ database: DatabaseQueue) throws {
    try database.write { db in
      try db.execute(sql: "DROP INDEX period_commissions_of_affiliate")
      try db.execute(sql: "DROP INDEX payouts_of_affiliate")
      try db.execute(sql: "DROP INDEX accounts_of_affiliate")
      try db.execute(sql: Ledger.schemaVersion3)
      try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v4:%'")
    }
  }

  /// The ledger's own indexes (not SQLite's automatic ones), by name.
  static func indexes(_ database: DatabaseQueue) throws -> [String] {
    try database.read { db in
      try String.fetchAll(
        db,
        sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    }
  }

  /// A ledger written by the first schema keeps its postings when it is opened by this build: the
  /// second migration renames the commissions table and adds tokens, in one transaction.
  @Test func aVersion1LedgerIsMigratedWithItsData() throws {
    let closed = try TamperTests.closedOctober()
    let database = try closed.treasury.database()
    try database.write { db in
      try db.execute(sql: "DROP TABLE tokens")
      try db.execute(sql: "ALTER TABLE period_commissions RENAME TO provisional_commissions")
      try db.execute(sql: "DROP INDEX period_commissions_of_affiliate")
      try db.execute(sql: "DROP INDEX payouts_of_affiliate")
      try db.execute(sql: "DROP INDEX accounts_of_affiliate")
      try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier NOT LIKE 'v1:%'")
    }
    let transfers = try closed.treasury.count("transfers")
    let reopened = try Ledger(path: closed.treasury.ledgerPath)
    #expect(try reopened.verify() == [])
    #expect(try closed.treasury.count("transfers") == transfers)
    #expect(try reopened.history(of: "ALBA").commissions.map(\.commission.amountText) == ["100.00"])
    #expect(try reopened.liveTokens() == [])
  }

  @Test func aLedgerFromANewerSettleIsRefused() throws {
    let closed = try TamperTests.closedOctober()
    let path = closed.treasury.ledgerPath
    try closed.treasury.database().write { db in
      try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2: something this build does not know')")
    }
    let before = try LedgerFixtures.bytes(path)
    #expect(
      throws: LedgerError(
        path: path, "written by a newer Settle (its schema is newer than version 4); refusing to open it")
    ) {
      try Ledger(path: path)
    }
    #expect(try LedgerFixtures.bytes(path) == before)
  }

  /// The twin: the same ledger without the unknown migration opens, and holds.
  @Test func aLedgerOfThisVersionOpens() throws {
    let closed = try TamperTests.closedOctober()
    let reopened = try Ledger(path: closed.treasury.ledgerPath)
    #expect(try reopened.verify() == [])
    #expect(try LedgerFixtures.batches(reopened).count == 1)
  }

  /// Root ignores file modes, so as root the file is made immutable (`chattr +i`, which binds root
  /// too); otherwise it is made 0444.
  static func makeReadOnly(_ path: String) throws -> Bool {
    if geteuid() != 0 { return chmod(path, 0o444) == 0 }
    return try run("/usr/bin/chattr", ["+i", path]) == 0
  }

  static func makeWritable(_ path: String) throws {
    if geteuid() == 0 { _ = try run("/usr/bin/chattr", ["-i", path]) }
    _ = chmod(path, 0o644)
  }

  static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
    guard FileManager.default.isExecutableFile(atPath: executable) else { return -1 }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }

  @Test func aReadOnlyLedgerIsRefusedAndLeftAsItWas() throws {
    let treasury = try Treasury()
    _ = try treasury.payouts("2026-09", PeriodTests.orders("2026-09"), affiliates: PeriodTests.affiliates)
    let before = try LedgerFixtures.bytes(treasury.ledgerPath)
    try #require(try FaultTests.makeReadOnly(treasury.ledgerPath), "cannot make \(treasury.ledgerPath) read-only")
    defer { try? FaultTests.makeWritable(treasury.ledgerPath) }

    let readOnly = try Treasury(directory: treasury.directory + "/again", ledgerPath: treasury.ledgerPath)
    #expect(try LedgerFixtures.batches(readOnly.ledger).count == 1)  // reading still works
    #expect(
      throws: LedgerError(path: treasury.ledgerPath, "cannot settle the payouts of 2026-10: the file is read-only")
    ) {
      try readOnly.payouts("2026-10", PeriodTests.orders("2026-10"), affiliates: PeriodTests.affiliates)
    }
    #expect(try LedgerFixtures.bytes(treasury.ledgerPath) == before)

    try FaultTests.makeWritable(treasury.ledgerPath)
    #expect(try treasury.ledger.verify() == [])
    #expect(try treasury.ledger.status(of: Month("2026-10")) == .unknown)
    // The twin: writable again, October closes.
    #expect(
      try treasury.payouts("2026-10", PeriodTests.orders("2026-10"), affiliates: PeriodTests.affiliates).files != nil)
  }

  /// A real full disk: the ledger is copied onto a tmpfs with room for it and a few pages more,
  /// then October's 3,000 orders (about 300 KB of transfers) are posted into it. Mounting needs
  /// root, which these machines are; elsewhere the test is skipped.
  @Test(.enabled(if: geteuid() == 0, "mounting a tmpfs needs root"))
  func aFullDiskIsRefusedAndLeavesTheLedgerAsItWas() throws {
    let treasury = try Treasury()
    _ = try treasury.payouts("2026-09", PeriodTests.orders("2026-09"), affiliates: PeriodTests.affiliates)
    let disk = treasury.directory + "/disk"
    try FileReader.createDirectory(disk)
    let original = try LedgerFixtures.bytes(treasury.ledgerPath)
    let size = (original.count / 4096 + 4) * 4096
    guard mount("tmpfs", disk, "tmpfs", 0, "size=\(size)") == 0 else {
      Issue.record("cannot mount a tmpfs on \(disk): \(String(cString: strerror(errno)))")
      return
    }
    defer { umount2(disk, Int32(MNT_DETACH)) }
    let path = disk + "/settle.db"
    try Data(original).write(to: URL(fileURLWithPath: path))

    let full = try Treasury(directory: treasury.directory + "/full", ledgerPath: path)
    let october = (1...3_000).map { index in
      LedgerFixtures.Order(
        id: "F\(index)", affiliate: index % 2 == 0 ? "ALBA" : "BECK", amount: "10.00", day: "2026-10-07")
    }
    #expect(
      throws: LedgerError(path: path, "cannot settle the payouts of 2026-10: the disk is full; nothing was written")
    ) {
      try full.payouts("2026-10", october, affiliates: PeriodTests.affiliates)
    }
    #expect(try LedgerFixtures.bytes(path) == original)
    #expect(try full.ledger.verify() == [])
    #expect(try full.ledger.status(of: Month("2026-10")) == .unknown)
    #expect(try LedgerFixtures.batches(full.ledger).count == 1)
    // The twin: the same month on the roomy original closes.
    #expect(try treasury.payouts("2026-10", october, affiliates: PeriodTests.affiliates).files != nil)
    #expect(try treasury.ledger.verify() == [])
  }
}

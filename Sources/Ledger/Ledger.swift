public import Dates
import Files
import GRDB

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Money

/// Settle's memory across periods: a double-entry ledger in one SQLite file.
///
/// Money moves only by transfers, TigerBeetle-style: each moves a positive amount from a debit
/// account to a credit account of the same currency, so every posting balances by construction;
/// each account keeps its posted debits and credits, which are checked against the transfers on
/// every write and by `verify()`. Transfers and journals are never updated or deleted (SQLite
/// triggers refuse it): a correction is a new transfer.
///
/// Accounts, per settlement currency: `commission_expense`, `paid_out`, and one `payable` per
/// affiliate. A qualifying order accrues (expense → payable); a payout is instructed (payable →
/// paid out); a failed payment comes back (paid out → payable); a change to a closed period is an
/// adjustment (expense → payable, or back) posted into the next open period.
public final class Ledger {
  /// The ledger's schema generation this build writes; a file from a later one is refused.
  public static let schemaVersion = 4
  /// Largest stored payment file, in bytes (files are kept so a closed batch can be written again).
  public static let storedFileBytesMax = 64 << 20

  public let path: String
  let database: DatabaseQueue

  /// Opens the ledger at `path`, creating it when it does not exist, and migrates an older one to
  /// this build's schema in one transaction.
  /// - Throws: `LedgerError` for a file that is not a ledger (or is corrupted), one written by a
  ///   newer Settle, one that cannot be read or written.
  public init(path: String) throws(LedgerError) {
    self.path = path
    do {
      database = try DatabaseQueue(path: path, configuration: Ledger.configuration(readonly: false))
      try Ledger.migrate(database, path: path)
    } catch let error as LedgerError {
      throw error
    } catch {
      throw Ledger.error(error, path: path, doing: "open the ledger")
    }
  }

  /// Opens an existing ledger for reading only (SQLite's read-only mode), as the preview server
  /// reads it: every write fails, and nothing is migrated.
  ///
  /// A read-write connection has GRDB switch `PRAGMA query_only` on and off around every read,
  /// and SQLite expires every prepared statement of the connection when that flag changes: the
  /// statements a reader keeps would be compiled again on every read.
  /// - Throws: `LedgerError` for a file that is missing or not a ledger, one written by a newer
  ///   Settle, or one with an older schema (opening it with `init(path:)` migrates it).
  public init(readingFrom path: String) throws(LedgerError) {
    self.path = path
    do {
      database = try DatabaseQueue(path: path, configuration: Ledger.configuration(readonly: true))
      let migrator = Ledger.migrator
      let (superseded, complete) = try database.read { db in
        (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
      }
      guard !superseded else { throw Ledger.newerSchemaError(path: path) }
      guard complete else {
        throw LedgerError(
          path: path,
          "its schema is older than version \(Ledger.schemaVersion); open it once with a command that writes to migrate it"
        )
      }
    } catch let error as LedgerError {
      throw error
    } catch {
      throw Ledger.error(error, path: path, doing: "open the ledger")
    }
  }

  /// How Settle opens a ledger file: a 10 s busy timeout, foreign keys enforced, a 64 MiB page cache.
  static func configuration(readonly: Bool) -> Configuration {
    var configuration = Configuration()
    configuration.readonly = readonly
    configuration.busyMode = .timeout(10)
    configuration.foreignKeysEnabled = true
    configuration.label = "settle-ledger"
    configuration.prepareDatabase { db in
      // A month's close writes ~100 MB of new pages: a 64 MiB page cache keeps the B-tree
      // inserts in memory until the commit.
      try db.execute(sql: "PRAGMA cache_size = -65536")
    }
    return configuration
  }

  static func newerSchemaError(path: String) -> LedgerError {
    LedgerError(
      path: path,
      "written by a newer Settle (its schema is newer than version \(Ledger.schemaVersion)); refusing to open it")
  }

  /// Refuses a ledger from a newer Settle, then brings an older one up to this build's schema.
  ///
  /// Two processes opening a new ledger at the same moment both find it empty and both try to
  /// create the schema; SQLite lets one commit and fails the other. The loser finds the schema
  /// complete when it looks again, so a failed migration is retried a few times before it counts.
  static func migrate(_ database: DatabaseQueue, path: String) throws {
    let migrator = Ledger.migrator
    for attempt in 1...migrationAttemptsMax {
      do {
        let superseded = try database.read { db in try migrator.hasBeenSuperseded(db) }
        guard !superseded else { throw newerSchemaError(path: path) }
        try migrator.migrate(database)
        return
      } catch let error as DatabaseError where attempt < migrationAttemptsMax {
        _ = error
        usleep(UInt32(50_000 * attempt))
      }
    }
  }

  /// How many times opening a ledger tries its migration before the error counts.
  static let migrationAttemptsMax = 5

  /// A database error as one line naming the file: SQLite's own words, without SQL.
  static func error(_ error: any Error, path: String, doing operation: String) -> LedgerError {
    guard let databaseError = error as? DatabaseError else {
      if let ledgerError = error as? LedgerError { return ledgerError }
      return LedgerError(path: path, "cannot \(operation): \(error)")
    }
    let reason: String
    switch databaseError.resultCode {
    case .SQLITE_NOTADB, .SQLITE_CORRUPT:
      reason = "not a Settle ledger, or corrupted (\(databaseError.message ?? "SQLite error"))"
    case .SQLITE_READONLY: reason = "the file is read-only"
    case .SQLITE_FULL: reason = "the disk is full; nothing was written"
    case .SQLITE_CANTOPEN: reason = "cannot be opened (\(databaseError.message ?? "no such directory?"))"
    case .SQLITE_BUSY, .SQLITE_LOCKED: reason = "another process is writing to it; try again"
    default: reason = databaseError.message ?? "\(databaseError.resultCode)"
    }
    return LedgerError(path: path, "cannot \(operation): \(reason)")
  }

  /// Runs `body` in one write transaction, mapping database errors to `LedgerError`.
  func write<Value>(_ operation: String, _ body: (Database) throws -> Value) throws(LedgerError) -> Value {
    do {
      return try database.write { db in try body(db) }
    } catch {
      throw Ledger.error(error, path: path, doing: operation)
    }
  }

  func read<Value>(_ operation: String, _ body: (Database) throws -> Value) throws(LedgerError) -> Value {
    do {
      return try database.read { db in try body(db) }
    } catch {
      throw Ledger.error(error, path: path, doing: operation)
    }
  }

  /// Takes the run lock for a period: another run on this ledger fails at once, changing nothing.
  public func lockForRun(_ period: Month) throws(LedgerError) -> RunLock {
    try RunLock(path: path + ".lock", holder: period.description)
  }

  /// Where a period stands.
  public enum PeriodStatus: Sendable, Equatable {
    /// Never recorded.
    case unknown
    /// Provisional commissions only (or none yet); payouts not made.
    case open
    /// Frozen when its batch was made.
    case closed(batchID: String)
  }

  public func status(of period: Month) throws(LedgerError) -> PeriodStatus {
    try read("read the period") { db in try Ledger.status(of: period, db) }
  }

  static func status(of period: Month, _ db: Database) throws -> PeriodStatus {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT status, batch_id FROM periods WHERE period = ?", arguments: [period.description])
    else { return .unknown }
    let status: String = row["status"]
    if status == "closed", let batchID: String = row["batch_id"] { return .closed(batchID: batchID) }
    return .open
  }

  /// Now, to the second, as the ledger records it.
  public static func now() -> Timestamp {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return Timestamp(secondsSinceEpoch: Int64(time.tv_sec))
  }
}

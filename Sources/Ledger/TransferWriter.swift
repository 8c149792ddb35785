import GRDB
import GRDBSQLite

/// Inserts transfers through one prepared statement, binding with SQLite's C API: closing a
/// month posts a transfer per qualified order (a million or more), and GRDB's argument arrays
/// cost more than the insert itself there.
struct TransferWriter {
  private let statement: Statement
  private let connection: OpaquePointer?

  init(_ db: Database) throws {
    statement = try db.makeStatement(
      sql: """
        INSERT INTO transfers (journal_id, kind, debit_account, credit_account, amount, source_period, order_id, line,
          rate_day, reference)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    connection = db.sqliteConnection
  }

  /// Inserts one transfer and returns its id.
  /// - Throws: `DatabaseError` with SQLite's message (a CHECK or foreign key that fails, a full disk).
  func insert(
    journal: Int64, kind: String, debit: Int64, credit: Int64, amount: Int64, sourcePeriod: String,
    orderID: String? = nil, line: Int? = nil, rateDay: String? = nil, reference: String? = nil
  ) throws -> Int64 {
    let handle = statement.sqliteStatement
    defer {
      sqlite3_reset(handle)
      sqlite3_clear_bindings(handle)
    }
    sqlite3_bind_int64(handle, 1, journal)
    bind(kind, 2)
    sqlite3_bind_int64(handle, 3, debit)
    sqlite3_bind_int64(handle, 4, credit)
    sqlite3_bind_int64(handle, 5, amount)
    bind(sourcePeriod, 6)
    bind(orderID, 7)
    if let line { sqlite3_bind_int64(handle, 8, Int64(line)) }
    bind(rateDay, 9)
    bind(reference, 10)
    let status = sqlite3_step(handle)
    guard status == SQLITE_DONE else {
      let message = sqlite3_errmsg(connection).map { String(cString: $0) }
      throw DatabaseError(resultCode: ResultCode(rawValue: status), message: message)
    }
    return sqlite3_last_insert_rowid(connection)
  }

  /// Binds text, copied by SQLite (`SQLITE_TRANSIENT`); nil leaves the parameter NULL.
  private func bind(_ text: String?, _ index: Int32) {
    guard var text else { return }
    text.withUTF8 { bytes in
      _ = sqlite3_bind_text(
        statement.sqliteStatement, index, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
        Int32(bytes.count), TransferWriter.transient)
    }
  }

  /// SQLite's `SQLITE_TRANSIENT` destructor, a macro Swift cannot import.
  private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}

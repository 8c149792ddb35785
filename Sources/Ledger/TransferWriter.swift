import GRDB
import GRDBSQLite

/// Inserts one journal's transfers of one kind through one prepared statement, binding with
/// SQLite's C API: closing a month posts a transfer per qualified order (a million or more), and
/// GRDB's argument arrays cost more than the insert itself there. The journal, kind and source
/// period are bound once; each row binds only what changes, text without a copy.
struct TransferWriter {
  private let statement: Statement
  private let connection: OpaquePointer?

  init(_ db: Database, journal: Int64, kind: String, sourcePeriod: String) throws {
    statement = try db.makeStatement(
      sql: """
        INSERT INTO transfers (journal_id, kind, debit_account, credit_account, amount, source_period, order_id, line,
          rate_day, reference)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    connection = db.sqliteConnection
    let handle = statement.sqliteStatement
    sqlite3_bind_int64(handle, 1, journal)
    TransferWriter.bindCopy(kind, 2, handle)
    TransferWriter.bindCopy(sourcePeriod, 6, handle)
  }

  /// Inserts one transfer and returns its id.
  /// - Throws: `DatabaseError` with SQLite's message (a CHECK that fails, a full disk).
  func insert(
    debit: Int64, credit: Int64, amount: Int64, orderID: String? = nil, line: Int? = nil, rateDay: String? = nil,
    reference: String? = nil
  ) throws -> Int64 {
    let handle = statement.sqliteStatement
    sqlite3_bind_int64(handle, 3, debit)
    sqlite3_bind_int64(handle, 4, credit)
    sqlite3_bind_int64(handle, 5, amount)
    if let line { sqlite3_bind_int64(handle, 8, Int64(line)) } else { sqlite3_bind_null(handle, 8) }
    // Text is bound without a copy (SQLITE_STATIC): the bytes stay valid until the step returns.
    let status = TransferWriter.withText(orderID, 7, handle) {
      TransferWriter.withText(rateDay, 9, handle) {
        TransferWriter.withText(reference, 10, handle) { sqlite3_step(handle) }
      }
    }
    sqlite3_reset(handle)
    guard status == SQLITE_DONE else {
      let message = sqlite3_errmsg(connection).map { String(cString: $0) }
      throw DatabaseError(resultCode: ResultCode(rawValue: status), message: message)
    }
    return sqlite3_last_insert_rowid(connection)
  }

  private static func withText(_ text: String?, _ index: Int32, _ handle: OpaquePointer, _ body: () -> Int32) -> Int32 {
    guard var text else {
      sqlite3_bind_null(handle, index)
      return body()
    }
    return text.withUTF8 { bytes in
      sqlite3_bind_text(
        handle, index, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self), Int32(bytes.count),
        nil)
      return body()
    }
  }

  /// Binds text that SQLite copies (`SQLITE_TRANSIENT`): for the values bound once.
  private static func bindCopy(_ text: String, _ index: Int32, _ handle: OpaquePointer) {
    var text = text
    text.withUTF8 { bytes in
      _ = sqlite3_bind_text(
        handle, index, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self), Int32(bytes.count),
        StatementRows.transient)
    }
  }
}

import Dates
import GRDB
import GRDBSQLite
import Money

/// The rows of a prepared statement, read with SQLite's C API column by index: an affiliate's
/// history is read on every preview request, and GRDB's `Row` (a copy of each row, its columns
/// found by a lower-cased name) cost more there than the queries themselves.
struct StatementRows {
  private let handle: OpaquePointer

  /// Steps through `statement`'s rows with `text` bound to its one parameter (copied by SQLite),
  /// calling `body` for each; the statement is reset before and after, so a cached one can be
  /// used again.
  /// - Throws: `DatabaseError` with SQLite's message when a step fails; what `body` throws.
  static func forEach(
    _ statement: Statement, in db: Database, binding text: String, _ body: (StatementRows) throws -> Void
  ) throws {
    let handle = statement.sqliteStatement
    sqlite3_reset(handle)
    defer { sqlite3_reset(handle) }
    var text = text
    text.withUTF8 { bytes in
      _ = sqlite3_bind_text(
        handle, 1, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self), Int32(bytes.count),
        transient)
    }
    let rows = StatementRows(handle: handle)
    while true {
      let status = sqlite3_step(handle)
      guard status == SQLITE_ROW else {
        guard status == SQLITE_DONE else {
          let message = sqlite3_errmsg(db.sqliteConnection).map { String(cString: $0) }
          throw DatabaseError(resultCode: ResultCode(rawValue: status), message: message)
        }
        return
      }
      try body(rows)
    }
  }

  func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

  func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

  /// The column's text as UTF-8 bytes (empty for NULL), valid only inside `body`.
  func withText<Result>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
    // sqlite3_column_text before sqlite3_column_bytes: the count is of the text as converted.
    let start = sqlite3_column_text(handle, column)
    let count = Int(sqlite3_column_bytes(handle, column))
    return try body(UnsafeBufferPointer(start: start, count: start == nil ? 0 : count))
  }

  func string(_ column: Int32) -> String { withText(column) { String(decoding: $0, as: UTF8.self) } }

  /// Whether the column's text is exactly `expected`, compared without making a String.
  func text(_ column: Int32, equals expected: StaticString) -> Bool {
    withText(column) { bytes in
      bytes.elementsEqual(UnsafeBufferPointer(start: expected.utf8Start, count: expected.utf8CodeUnitCount))
    }
  }

  /// - Throws: `CurrencyError` quoting the text when it is not an ISO 4217 code.
  func currency(_ column: Int32) throws -> Currency {
    if let currency = withText(column, { Currency.lookup($0) }) { return currency }
    throw CurrencyError(code: string(column))
  }

  /// - Throws: `MonthError` quoting the text when it is not `YYYY-MM`.
  func month(_ column: Int32) throws -> Month {
    if let month = withText(column, { Month(utf8: $0) }) { return month }
    throw MonthError(text: string(column))
  }

  /// SQLite's `SQLITE_TRANSIENT` destructor, a macro Swift cannot import: SQLite copies the value.
  static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}

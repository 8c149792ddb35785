import CSV
import Dates
import Money
import Rates

#if canImport(Glibc)
  import Glibc
#endif

/// `settle convert --batch`: converts each CSV row on its own; a bad row gets its `error` filled
/// and the others still convert. Output on stdout: the input columns plus `result`, `rate_date`, `error`.
struct BatchConversion {
  let table: RateTable

  /// Converts every row of `path` and writes the result CSV to standard output.
  /// - Returns: the number of rows that failed.
  func run(path: String) throws -> Int {
    let reader = try CSVReader(path: path)
    var output = OutputBuffer()
    var columns: Columns?
    var failedRows = 0
    var cache = ConversionCache()
    try reader.forEachRecord { record in
      switch record {
      case .malformed(let line, let reason):
        guard columns != nil else {
          throw BatchError(description: "\(path):\(line): the header row is not well-formed CSV: \(reason)")
        }
        failedRows += 1
        output.append(
          row: [], width: columns?.width ?? 4, result: "", rateDate: "", error: "\(path):\(line): \(reason)")
      case .record(let row):
        guard let knownColumns = columns else {
          let header = try Columns(header: row, path: path)
          columns = header
          output.appendHeader(names: header.names)
          return
        }
        let fields = (0..<row.count).map { row.string($0) }
        do {
          let (result, rateDay) = try convert(row: row, columns: knownColumns, cache: &cache)
          output.append(
            row: fields, width: knownColumns.width, result: result.amountText, rateDate: "\(rateDay)", error: "")
        } catch {
          failedRows += 1
          output.append(
            row: fields, width: knownColumns.width, result: "", rateDate: "", error: "line \(row.line): \(error)")
        }
      }
      output.flushIfFull()
    }
    if columns == nil { throw BatchError(description: "\(path): empty; expected a header amount,from,to,date") }
    output.flush()
    if failedRows > 0 {
      printError("settle: \(failedRows) rows of \(path) could not be converted; see the error column")
    }
    return failedRows
  }

  private func convert(row: CSVRow, columns: Columns, cache: inout ConversionCache) throws -> (Money, Day) {
    guard row.count == columns.width else {
      throw BatchError(description: "expected \(columns.width) fields, found \(row.count)")
    }
    guard let source = Currency.lookup(row.field(columns.from)) else { throw currencyError(row.string(columns.from)) }
    guard let target = Currency.lookup(row.field(columns.to)) else { throw currencyError(row.string(columns.to)) }
    guard let day = Day.parse(row.field(columns.date)) else { throw DayError(text: row.string(columns.date)) }
    var mode = RoundingMode.halfEven
    if let roundingColumn = columns.rounding, row.field(roundingColumn).count > 0 {
      let name = row.string(roundingColumn)
      guard let named = RoundingMode(rawValue: name) else {
        throw BatchError(description: "rounding \"\(name)\" is not a rounding mode")
      }
      mode = named
    }
    let minorUnits: Int64
    switch Money.parseMinorUnits(row.field(columns.amount), currency: source) {
    case .success(let value): minorUnits = value
    case .failure(let problem):
      throw MoneyError(.badAmount(text: row.string(columns.amount), problem: problem), operation: "parse")
    }
    let rated = try cache.conversion(table: table, from: source, to: target, on: day)
    let result = try rated.conversion.convert(Money(minorUnits: minorUnits, currency: source), rounding: mode)
    return (result, rated.publicationDay)
  }

  private func currencyError(_ code: String) -> CurrencyError { CurrencyError(code: code) }

  /// Where the named columns are in the header.
  struct Columns {
    let amount: Int, from: Int, to: Int, date: Int
    let rounding: Int?
    let width: Int
    /// The header's names, a byte order mark left out.
    let names: [String]

    init(header: CSVRow, path: String) throws {
      var names = (0..<header.count).map { header.string($0) }
      // A UTF-8 byte order mark before the first name is not part of it.
      if let first = names.first, first.utf8.starts(with: [0xEF, 0xBB, 0xBF]) { names[0] = String(first.dropFirst()) }
      func index(_ name: String) throws -> Int {
        guard let position = names.firstIndex(of: name) else {
          throw BatchError(
            description: "\(path):1: the header has no \"\(name)\" column (expected amount,from,to,date)")
        }
        return position
      }
      amount = try index("amount")
      from = try index("from")
      to = try index("to")
      date = try index("date")
      rounding = names.firstIndex(of: "rounding")
      width = names.count
      self.names = names
    }
  }
}

/// Conversions already built, by pair and day: a batch usually repeats them.
struct ConversionCache {
  private var entries: [Key: RatedConversion] = [:]
  /// Most entries kept; the cache is emptied when it is full.
  static let entriesMax = 100_000

  struct Key: Hashable {
    let source: Currency, target: Currency, day: Day
  }

  mutating func conversion(table: RateTable, from source: Currency, to target: Currency, on day: Day) throws
    -> RatedConversion
  {
    let key = Key(source: source, target: target, day: day)
    if let cached = entries[key] { return cached }
    let rated = try table.conversion(from: source, to: target, on: day)
    if entries.count >= ConversionCache.entriesMax { entries.removeAll(keepingCapacity: true) }
    entries[key] = rated
    return rated
  }
}

struct BatchError: Error, CustomStringConvertible {
  let description: String
}

/// CSV output to standard output, buffered.
struct OutputBuffer {
  private var bytes: [UInt8] = []
  static let flushBytes = 1 << 20

  mutating func appendHeader(names: [String]) {
    appendLine(names + ["result", "rate_date", "error"])
  }

  mutating func append(row: [String], width: Int, result: String, rateDate: String, error: String) {
    var fields = row
    if fields.count < width { fields += Array(repeating: "", count: width - fields.count) }
    appendLine(fields + [result, rateDate, error])
  }

  private mutating func appendLine(_ fields: [String]) {
    CSVEscaping.appendRecord(fields, to: &bytes)
  }

  mutating func flushIfFull() {
    if bytes.count >= OutputBuffer.flushBytes { flush() }
  }

  mutating func flush() {
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let written = write(STDOUT_FILENO, raw.baseAddress.map { $0 + offset }, raw.count - offset)
        if written <= 0 { return }
        offset += written
      }
    }
    bytes.removeAll(keepingCapacity: true)
  }
}

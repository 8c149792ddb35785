import CSV
import FuzzSupport

/// `CSVReader`, the RFC 4180 reader under every orders, affiliates and audit file.
///
/// Invariants: reading never traps and ends having consumed every byte; records and malformed
/// stretches come in strictly increasing line order, each record with 1 to `fieldsMax` fields; the
/// well-formed records, written again with `CSVEscaping` and read back, are the same fields.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = inputBytes(data, size)
  let records = readRecords(bytes, name: "input.csv")
  var rewritten: [UInt8] = []
  var wellFormed: [[[UInt8]]] = []
  for record in records {
    guard case .fields(let fields) = record else { continue }
    wellFormed.append(fields)
    for (index, field) in fields.enumerated() {
      if index > 0 { rewritten.append(UInt8(ascii: ",")) }
      field.withUnsafeBufferPointer { CSVEscaping.append($0, to: &rewritten) }
    }
    rewritten.append(UInt8(ascii: "\n"))
  }
  let reread = readRecords(rewritten, name: "rewritten.csv")
  let rereadFields = reread.compactMap { record -> [[UInt8]]? in
    if case .fields(let fields) = record { return fields }
    return nil
  }
  invariant(
    reread.count == rereadFields.count && rereadFields == wellFormed,
    "the \(wellFormed.count) well-formed records, written again, read back as \(reread.count) records: \(reread)")
  return 0
}

/// A record's fields, copied out of the reader's buffer, or a malformed stretch.
private enum Record: CustomStringConvertible {
  case fields([[UInt8]])
  case malformed(String)

  var description: String {
    switch self {
    case .fields(let fields): fields.map { String(decoding: $0, as: UTF8.self).debugDescription }.joined(separator: ",")
    case .malformed(let reason): "malformed: \(reason)"
    }
  }
}

/// Reads `bytes` from a scratch file, checking line order, field counts and that every byte is consumed.
private func readRecords(_ bytes: [UInt8], name: String) -> [Record] {
  let path = ScratchFile.store(bytes, name: name)
  var records: [Record] = []
  var previousLine = 0
  do {
    let reader = try CSVReader(path: path)
    try reader.forEachRecord { record in
      switch record {
      case .record(let row):
        invariant(row.line > previousLine, "record at line \(row.line) after line \(previousLine)")
        invariant(row.count >= 1 && row.count <= CSVReader.fieldsMax, "line \(row.line) has \(row.count) fields")
        previousLine = row.line
        records.append(.fields((0..<row.count).map { Array(row.field($0)) }))
      case .malformed(let line, let reason):
        invariant(line > previousLine, "malformed stretch at line \(line) after line \(previousLine)")
        invariant(!reason.isEmpty, "line \(line) is malformed for no stated reason")
        previousLine = line
        records.append(.malformed(reason))
      }
    }
    invariant(reader.bytesRead == bytes.count, "read \(reader.bytesRead) of \(bytes.count) bytes")
  } catch {
    invariant(false, "reading a regular file threw \(error)")
  }
  return records
}

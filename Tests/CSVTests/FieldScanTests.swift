import CSV
import Foundation
import Testing

/// The tokenizer passes unquoted fields eight bytes at a time: whatever the field lengths and
/// bytes around the delimiters (values just under and over the comma, bytes of 128 and up), every
/// field comes back exactly, and a quote anywhere inside an unquoted field is still found.
@Suite struct FieldScanTests {
  /// Bytes a field may hold unquoted, weighted towards those next to the comma (44) and the
  /// quote (34), and the high bytes whose top bit the scan masks.
  static let plainBytes: [UInt8] = [
    43, 45, 46, 33, 35, 32, 9, 0, 1, 0x2C + 0x80, 0x80, 0xFF, 0xAD, 65, 97, 48, 57, 126,
  ]

  /// `records` rows of 1 to 12 fields of 0 to 40 bytes from `plainBytes`, some quoted around a
  /// comma, a quote, a line feed or CR LF inside them.
  static func records(seed: UInt64, count: Int) -> [[[UInt8]]] {
    var state = seed
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    return (0..<count).map { _ in
      (0..<(1 + next(12))).map { _ in
        var field = (0..<next(41)).map { _ in plainBytes[next(plainBytes.count)] }
        if next(5) == 0 { field.insert([44, 34, 10, 13, 10][next(5)], at: next(field.count + 1)) }
        return field
      }
    }
  }

  static func csv(_ records: [[[UInt8]]], crlf: Bool) -> [UInt8] {
    var bytes: [UInt8] = []
    for record in records {
      for (index, field) in record.enumerated() {
        if index > 0 { bytes.append(44) }
        field.withUnsafeBufferPointer { CSVEscaping.append($0, to: &bytes) }
      }
      bytes += crlf ? [13, 10] : [10]
    }
    return bytes
  }

  @Test(arguments: [false, true]) func everyFieldComesBackExactly(crlf: Bool) throws {
    for seed in 1...8 as ClosedRange<UInt64> {
      let records = FieldScanTests.records(seed: seed, count: 500)
      let path = try LimitsTests.file(FieldScanTests.csv(records, crlf: crlf))
      defer { try? FileManager.default.removeItem(atPath: path) }
      var read: [[[UInt8]]] = []
      try CSVReader(path: path).forEachRecord { record in
        guard case .record(let row) = record else {
          Issue.record("seed \(seed): \(record)")
          return
        }
        read.append((0..<row.count).map { Array(row.field($0)) })
        for field in 0..<row.count where row.fieldIsEmpty(field) != row.field(field).isEmpty {
          Issue.record("seed \(seed), line \(row.line), field \(field): fieldIsEmpty disagrees")
        }
      }
      // Fields with a CR are quoted by the writer, so every field comes back as written.
      #expect(read.count == records.count, "seed \(seed)")
      let first = zip(read, records).enumerated().first { $0.element.0 != $0.element.1 }?.offset
      #expect(first == nil, "seed \(seed): record \(first ?? 0) differs")
    }
  }

  /// `fieldIsEmpty` compares a field's start and end: true for an empty field, quoted or not, and
  /// false for a field of one escaped quote, which is copied out with a start of its own.
  @Test func emptyFieldsQuotedOrNot() throws {
    let text = "\"\",a,\"\"\"\",,\"x\"\"y\",\r\n,\"\"\r\n\"\"\"\",\n"
    let path = try LimitsTests.file(Array(text.utf8))
    defer { try? FileManager.default.removeItem(atPath: path) }
    var empties: [[Bool]] = []
    try CSVReader(path: path).forEachRecord { record in
      guard case .record(let row) = record else {
        Issue.record("\(record)")
        return
      }
      empties.append((0..<row.count).map { row.fieldIsEmpty($0) })
      for field in 0..<row.count { #expect(row.fieldIsEmpty(field) == row.field(field).isEmpty) }
    }
    #expect(empties == [[true, false, false, true, false, true], [true, true], [false, true]])
  }

  @Test func aQuoteAtAnyPlaceInALongUnquotedFieldIsFound() throws {
    for position in 1..<40 {
      var field = [UInt8](repeating: 65, count: 40)
      field[position] = 34
      let path = try LimitsTests.file(Array("a,".utf8) + field + Array(",b\nnext,line\n".utf8))
      defer { try? FileManager.default.removeItem(atPath: path) }
      #expect(
        try LimitsTests.read(path) == ["1: malformed: a quote inside an unquoted field", "2: next|line"],
        "quote at \(position)")
    }
  }
}

import CSV
import Dispatch
import Foundation
import TestScratch
import Testing

/// The reader's limits, each exactly at the limit (read) and one past it (refused, naming it):
/// the longest record, the most fields, the largest file.
@Suite struct LimitsTests {
  /// What the reader handed over: `line: fields joined by |`, or `line: malformed: reason`.
  static func read(_ path: String, fileBytesMax: Int = CSVReader.fileBytesMax) throws -> [String] {
    let reader = try CSVReader(path: path, fileBytesMax: fileBytesMax)
    var seen: [String] = []
    try reader.forEachRecord { record in
      switch record {
      case .record(let row):
        let fields = (0..<row.count).map { row.string($0) }
        // Long fields are shown by their length only.
        seen.append(
          "\(row.line): " + fields.map { $0.utf8.count > 64 ? "<\($0.utf8.count) bytes>" : $0 }.joined(separator: "|"))
      case .malformed(let line, let reason):
        seen.append("\(line): malformed: \(reason)")
      }
    }
    return seen
  }

  static func file(_ bytes: [UInt8]) throws -> String {
    let path = try TestScratch.newPath("csv-limits") + ".csv"
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
      throw CocoaError(.fileWriteUnknown)
    }
    return path
  }

  static func file(_ text: String) throws -> String { try file(Array(text.utf8)) }

  static let limit = CSVReader.lineBytesMax

  // MARK: Longest record

  @Test("a record of exactly lineBytesMax bytes is read, with LF or CRLF after it or nothing at the end")
  func recordAtLimit() throws {
    let field = String(repeating: "a", count: Self.limit - 2)
    for lineEnd in ["\n", "\r\n"] {
      let path = try Self.file("h\(lineEnd)1,\(field)\(lineEnd)2,b\(lineEnd)")
      #expect(try Self.read(path) == ["1: h", "2: 1|<\(Self.limit - 2) bytes>", "3: 2|b"])
    }
    let last = try Self.file("h\n1,\(field)")
    #expect(try Self.read(last) == ["1: h", "2: 1|<\(Self.limit - 2) bytes>"])
  }

  @Test("a record one byte past lineBytesMax is malformed, naming the limit, and the next one is read")
  func recordPastLimit() throws {
    let field = String(repeating: "a", count: Self.limit - 1)
    for lineEnd in ["\n", "\r\n"] {
      let path = try Self.file("h\(lineEnd)1,\(field)\(lineEnd)2,b\(lineEnd)")
      #expect(try Self.read(path) == ["1: h", "2: malformed: longer than 1048576 bytes", "3: 2|b"])
    }
    let last = try Self.file("h\n1,\(field)")
    #expect(try Self.read(last) == ["1: h", "2: malformed: longer than 1048576 bytes"])
  }

  @Test("a quoted record spanning lines counts every byte; past the limit all its lines are skipped")
  func quotedRecordAcrossLines() throws {
    let half = String(repeating: "q", count: Self.limit / 2)
    // "x" + quote + half + LF + half - 4 bytes + quote = limit - 1 bytes, then one more.
    let atLimit = "1,\"\(half)\n\(String(repeating: "q", count: Self.limit / 2 - 5))\""
    #expect(atLimit.utf8.count == Self.limit)
    let pastLimit = "1,\"\(half)\n\(String(repeating: "q", count: Self.limit / 2 - 4))\""
    let accepted = try Self.file("h\n\(atLimit)\n2,b\n")
    #expect(try Self.read(accepted) == ["1: h", "2: 1|<\(Self.limit - 4) bytes>", "4: 2|b"])
    let refused = try Self.file("h\n\(pastLimit)\n2,b\n")
    #expect(try Self.read(refused) == ["1: h", "2: malformed: longer than 1048576 bytes", "4: 2|b"])
  }

  @Test("a record past the limit with no line end in reach is malformed and reading goes on at the next line")
  func unendedRecordPastLimit() throws {
    let path = try Self.file("h\n" + String(repeating: "z", count: 3 * Self.limit) + "\n2,b\n")
    #expect(try Self.read(path) == ["1: h", "2: malformed: longer than 1048576 bytes", "3: 2|b"])
  }

  // MARK: Most fields

  @Test("a record of exactly fieldsMax fields is read; one more field is malformed and the next record is read")
  func fields() throws {
    let atLimit = Array(repeating: "f", count: CSVReader.fieldsMax).joined(separator: ",")
    let accepted = try Self.file("\(atLimit)\n2,b\n")
    let read = try Self.read(accepted)
    #expect(read.count == 2)
    #expect(read.first?.split(separator: "|").count == 256)
    let refused = try Self.file("\(atLimit),f\n2,b\n")
    #expect(try Self.read(refused) == ["1: malformed: more than 256 fields", "2: 2|b"])
    let quoted = try Self.file(atLimit + ",\"f\"\n2,b\n")
    #expect(try Self.read(quoted) == ["1: malformed: more than 256 fields", "2: 2|b"])
  }

  // MARK: Largest file

  @Test("a file of exactly fileBytesMax bytes is read; one byte more is refused before any record")
  func fileSize() throws {
    let text = "h\n1,a\n2,b\n"
    let path = try Self.file(text)
    #expect(try Self.read(path, fileBytesMax: text.utf8.count) == ["1: h", "2: 1|a", "3: 2|b"])
    var records = 0
    do {
      let reader = try CSVReader(path: path, fileBytesMax: text.utf8.count - 1)
      try reader.forEachRecord { _ in records += 1 }
      Issue.record("a file past its limit was read")
    } catch {
      #expect("\(error)" == "\(path): cannot read: is 10 bytes, more than the limit of 9 bytes")
    }
    #expect(records == 0)
  }

  @Test("the split readers of one file are bound by the whole file's size")
  func fileSizeInRanges() throws {
    let text = "h\n1,a\n2,b\n"
    let path = try Self.file(text)
    #expect(throws: (any Error).self) { try CSVReader(path: path, byteRange: 6..<10, firstLine: 3, fileBytesMax: 9) }
    let reader = try CSVReader(path: path, byteRange: 6..<10, firstLine: 3, fileBytesMax: 10)
    var lines: [Int] = []
    try reader.forEachRecord { record in if case .record(let row) = record { lines.append(row.line) } }
    #expect(lines == [3])
  }

  @Test("a pipe is bound as it is read: exactly the limit is read, one byte more stops the reading")
  func pipeSize() throws {
    let text = "h\n1,a\n2,b\n"
    for (limit, fits) in [(10, true), (9, false)] {
      let path = try TestScratch.newPath("csv-fifo")
      #expect(mkfifo(path, 0o600) == 0)
      DispatchQueue.global().async {
        let descriptor = open(path, O_WRONLY)
        _ = text.withCString { write(descriptor, $0, strlen($0)) }
        close(descriptor)
      }
      if fits {
        #expect(try Self.read(path, fileBytesMax: limit) == ["1: h", "2: 1|a", "3: 2|b"])
      } else {
        let error = #expect(throws: (any Error).self) { try Self.read(path, fileBytesMax: limit) }
        #expect("\(error.map { "\($0)" } ?? "")" == "\(path): cannot read: more than the limit of 9 bytes")
      }
      unlink(path)
    }
  }
}

import Commissions
import Dates
import Files
import Foundation
import Rates
import Testing

/// A file read on two threads in many small chunks settles to exactly the bytes of a
/// single-threaded run: line numbers, the order of the audit, duplicates and the first rejection
/// of `--strict` all follow the file, whichever thread read each chunk.
@Suite struct ChunkedReadTests {
  /// The three outputs of a run, or the error it stopped with.
  struct Run {
    let files: [String: String]
    let error: String?
  }

  /// Settles `ordersPath` on one thread (`chunkBytes` nil) or on two in chunks of `chunkBytes`.
  static func run(
    _ ordersPath: String, chunkBytes: Int?, program: Program = .alibaba, strict: Bool = false,
    period: String = "2026-10"
  ) throws -> Run {
    let out = try SettlementFixtures.temporaryDirectory() + "/out"
    var options = try SettlementFixtures.options(orders: ordersPath, out: out, strict: strict)
    options.parallelBytesMin = chunkBytes == nil ? Int.max : 0
    options.chunkBytes = chunkBytes ?? options.chunkBytes
    let settlement = PeriodSettlement(
      program: program, rates: try SettlementFixtures.rates(), period: try SettlementFixtures.month(period))
    do {
      _ = try settlement.run(options)
    } catch {
      #expect(try SettlementFixtures.contents(of: out).isEmpty, "a failed run leaves nothing behind")
      return Run(files: [:], error: "\(error)")
    }
    var files: [String: String] = [:]
    for name in ["commissions.csv", "orders.csv", "summary.json"] {
      let text = try SettlementFixtures.text(out + "/" + name)
      // The summary names the output directory, which differs between two runs.
      files[name] = text.split(separator: "\n").filter { !$0.contains("\"out\"") }.joined(separator: "\n")
    }
    #expect(try SettlementFixtures.contents(of: out) == ["commissions.csv", "orders.csv", "summary.json"])
    return Run(files: files, error: nil)
  }

  /// Generated orders, with `change` applied to the lines (header first), in a fresh directory.
  static func file(count: Int, _ change: (inout [String]) -> Void = { _ in }) throws -> String {
    let path = try SettlementFixtures.temporaryDirectory() + "/orders.csv"
    let generator = try OrderGenerator(count: count, seed: 23, period: try SettlementFixtures.month("2026-10"))
    var bytes: [UInt8] = []
    generator.write { bytes.append(contentsOf: $0) }
    var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    change(&lines)
    try SettlementFixtures.write(lines.joined(separator: "\n") + "\n", to: path)
    return path
  }

  /// Settles `path` on one thread and in chunks of each size, and expects the same outcome.
  /// - Returns: the single-threaded run.
  @discardableResult
  static func expectSame(
    _ path: String, chunkBytes: [Int], program: Program = .alibaba, strict: Bool = false, period: String = "2026-10"
  ) throws -> Run {
    let whole = try run(path, chunkBytes: nil, program: program, strict: strict, period: period)
    for size in chunkBytes {
      let chunked = try run(path, chunkBytes: size, program: program, strict: strict, period: period)
      #expect(chunked.error == whole.error, "chunks of \(size) bytes")
      for name in ["commissions.csv", "orders.csv", "summary.json"] {
        #expect(chunked.files[name] == whole.files[name], "\(name), chunks of \(size) bytes")
      }
    }
    return whole
  }

  @Test func manySmallChunksGiveTheSameBytesAsOneThread() throws {
    // About 100 bytes a row: chunks of one row, of a few rows, and of thousands.
    let path = try ChunkedReadTests.file(count: 3_000)
    try ChunkedReadTests.expectSame(path, chunkBytes: [1, 250, 4096, 100_000, 1 << 30])
  }

  @Test func duplicatesAndRejectionsInEveryChunkAreFoundInFileOrder() throws {
    let path = try ChunkedReadTests.file(count: 2_000) { lines in
      for index in stride(from: 7, to: lines.count, by: 97) {
        lines[index] = lines[index].replacingOccurrences(of: ",completed,", with: ",shipped,")
      }
      for index in stride(from: 50, to: lines.count, by: 301) { lines.append(lines[index]) }
      lines.insert(lines[1900], at: 3)
    }
    try ChunkedReadTests.expectSame(path, chunkBytes: [1, 700, 9000])
    try ChunkedReadTests.expectSame(path, chunkBytes: [1, 700, 9000], strict: true)
    let strict = try ChunkedReadTests.run(path, chunkBytes: 700, strict: true)
    #expect(strict.error?.contains("orders.csv:4: duplicate_order_id") == false)
    #expect(strict.error?.contains("First: ") == true)
  }

  /// A chunk is the lines that start in its bytes: a line longer than several chunks leaves the
  /// chunks it runs through empty, and a last line without its line feed ends the last chunk.
  @Test func linesLongerThanChunksAndALastLineWithoutItsLineFeed() throws {
    let path = try ChunkedReadTests.file(count: 400) { lines in
      for index in [1, 2, 150, 151, 399, 400] {
        var fields = lines[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[7] = String(repeating: "machinery-", count: 60 + index % 7)
        lines[index] = fields.joined(separator: ",")
      }
    }
    let text = try SettlementFixtures.text(path)
    try SettlementFixtures.write(String(text.dropLast()), to: path)
    for size in [1, 97, 256, 600, 5000] {
      let chunked = try ChunkedReadTests.run(path, chunkBytes: size)
      #expect(chunked.files["orders.csv"]?.split(separator: "\n").count == 401, "chunks of \(size) bytes")
    }
    try ChunkedReadTests.expectSame(path, chunkBytes: [1, 97, 256, 600, 5000])
  }

  @Test func quotedLineBreaksAcrossChunkBoundariesFallBackToOneThread() throws {
    let path = try ChunkedReadTests.file(count: 1_500) { lines in
      for index in [3, 400, 401, 1200] {
        var fields = lines[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[7] = "\"" + String(repeating: "home\n", count: 40) + "\""
        lines[index] = fields.joined(separator: ",")
      }
    }
    try ChunkedReadTests.expectSame(path, chunkBytes: [1, 64, 5000])
  }

  @Test func aMissingRateStopsTheRunWithTheFirstSuchDayInTheFile() throws {
    // Settled as November, when the rates stop after the 6th: orders without a usable rate in
    // several chunks, and a single-threaded run names the first one it meets.
    let path = try ChunkedReadTests.file(count: 2_000) { lines in
      for (index, day) in [(900, "20"), (1800, "25")] {
        var fields = lines[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[2] = "2026-11-\(day)T00:00:00Z"
        fields[3] = "2026-11-\(day)T12:00:00Z"
        fields[4] = "completed"
        fields[5] = "US"
        fields[7] = "electronics"
        fields[8] = "10.00"
        fields[9] = "GBP"
        lines[index] = fields.joined(separator: ",")
      }
    }
    let whole = try ChunkedReadTests.expectSame(path, chunkBytes: [1, 333, 8192], period: "2026-11")
    // The generated month also holds November orders past the 6th (out of October's period): the
    // first of them, or of these two, stops the run, and every chunked run names the same one.
    #expect(whole.error?.hasPrefix("no ECB rate for ") == true)
  }

  @Test func tieredProgramsRewriteTheChunkedAuditTheSame() throws {
    let program = try SettlementFixtures.tieredProgram()
    let path = try ChunkedReadTests.file(count: 2_500)
    try ChunkedReadTests.expectSame(path, chunkBytes: [1, 4096], program: program)
  }
}

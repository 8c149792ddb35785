import Commissions
import Dates
@testable import Files
import Foundation
import Rates
import Testing

/// A file read on two threads, in chunks, settles to exactly the bytes of a single-threaded run,
/// and falls back to one thread when a split would change the outcome.
@Suite struct ParallelReadTests {
  /// Settles `ordersPath` on one thread or on two in chunks of 64 KiB (about 650 rows), returning
  /// the three output files.
  static func outputs(_ ordersPath: String, inHalves: Bool) throws -> [String: [UInt8]] {
    let out = try SettlementFixtures.temporaryDirectory() + "/out"
    var options = try SettlementFixtures.options(orders: ordersPath, out: out)
    options.parallelBytesMin = inHalves ? 0 : Int.max
    options.chunkBytes = 64 << 10
    let settlement = PeriodSettlement(
      program: .alibaba, rates: try SettlementFixtures.rates(), period: try SettlementFixtures.month("2026-10"))
    _ = try settlement.run(options)
    var files: [String: [UInt8]] = [:]
    for name in ["commissions.csv", "orders.csv", "summary.json"] {
      files[name] = try SettlementFixtures.bytes(out + "/" + name)
    }
    #expect(try SettlementFixtures.contents(of: out) == ["commissions.csv", "orders.csv", "summary.json"])
    return files
  }

  /// Generated orders written to a file in a fresh directory.
  static func generatedFile(count: Int) throws -> String {
    let path = try SettlementFixtures.temporaryDirectory() + "/orders.csv"
    let generator = try OrderGenerator(count: count, seed: 11, period: try SettlementFixtures.month("2026-10"))
    var bytes: [UInt8] = []
    generator.write { bytes.append(contentsOf: $0) }
    try AtomicFile.write(bytes, to: path)
    return path
  }

  /// The summary with the output directory, which differs between two runs, left out.
  static func comparable(_ summary: [UInt8]?) -> String {
    String(decoding: summary ?? [], as: UTF8.self).split(separator: "\n").filter { !$0.contains("\"parameters\"") }
      .joined(separator: "\n")
  }

  /// The outputs of a read on two threads, expected to be those of a read on one thread.
  static func sameOutputsInHalvesAndWhole(_ path: String) throws -> [String: [UInt8]] {
    let whole = try ParallelReadTests.outputs(path, inHalves: false)
    let halves = try ParallelReadTests.outputs(path, inHalves: true)
    #expect(halves["commissions.csv"] == whole["commissions.csv"])
    #expect(halves["orders.csv"] == whole["orders.csv"])
    #expect(ParallelReadTests.comparable(halves["summary.json"]) == ParallelReadTests.comparable(whole["summary.json"]))
    return halves
  }

  @Test func twoHalvesGiveTheSameBytesAsOneThread() throws {
    let path = try ParallelReadTests.generatedFile(count: 20_000)
    let halves = try ParallelReadTests.sameOutputsInHalvesAndWhole(path)
    let auditLines = String(decoding: halves["orders.csv"] ?? [], as: UTF8.self).split(separator: "\n")
    #expect(auditLines.count == 20_001)
    #expect(auditLines.last?.hasPrefix("20001,") == true)
  }

  /// An audit several times the direct writes' staging: buffers written in the background while
  /// the next fills, in order, the tail under a block through the page cache, on both reads.
  @Test func anAuditOfSeveralStagingBuffersIsWrittenWhole() throws {
    let path = try ParallelReadTests.generatedFile(count: 90_000)
    let halves = try ParallelReadTests.sameOutputsInHalvesAndWhole(path)
    let audit = halves["orders.csv"] ?? []
    #expect(audit.count > 2 * DirectWrites.stagingBytes)
    #expect(audit.count % DirectWrites.blockBytes != 0, "a tail under a block")
    #expect(audit.filter { $0 == 10 }.count == 90_001)
  }

  @Test func anOrderIDInBothHalvesIsStillADuplicate() throws {
    // The last row repeats the first order id: only a read that sees both halves rejects it.
    let path = try ParallelReadTests.generatedFile(count: 2_000)
    var text = try SettlementFixtures.text(path)
    let lines = text.split(separator: "\n")
    let firstID = lines[1].split(separator: ",")[0]
    let repeated = lines[2].split(separator: ",", omittingEmptySubsequences: false).dropFirst()
    text += firstID + "," + repeated.joined(separator: ",") + "\n"
    try SettlementFixtures.write(text, to: path)
    let halves = try ParallelReadTests.outputs(path, inHalves: true)
    let whole = try ParallelReadTests.outputs(path, inHalves: false)
    #expect(halves["orders.csv"] == whole["orders.csv"])
    let audit = String(decoding: halves["orders.csv"] ?? [], as: UTF8.self)
    #expect(audit.contains("2002,\(firstID),"))
    #expect(audit.contains("duplicate_order_id"))
  }

  @Test func repeatedOrderIDsWithinAndAcrossHalvesAreDuplicates() throws {
    // 20,000 rows spill their hashes in many blocks; repeats within the first half, within the
    // second, and across the two, with the rows otherwise unchanged.
    let path = try ParallelReadTests.generatedFile(count: 20_000)
    var lines = try SettlementFixtures.text(path).split(separator: "\n").map(String.init)
    func withID(of source: Int, on target: Int) {
      let id = lines[source].split(separator: ",", omittingEmptySubsequences: false)[0]
      var fields = lines[target].split(separator: ",", omittingEmptySubsequences: false)
      fields[0] = id
      lines[target] = fields.joined(separator: ",")
    }
    withID(of: 10, on: 5_000)
    withID(of: 12_000, on: 19_000)
    withID(of: 3, on: 15_000)
    withID(of: 3, on: 20_000)
    try SettlementFixtures.write(lines.joined(separator: "\n") + "\n", to: path)
    let halves = try ParallelReadTests.sameOutputsInHalvesAndWhole(path)
    let duplicateLines = String(decoding: halves["orders.csv"] ?? [], as: UTF8.self).split(separator: "\n")
      .filter { $0.contains("duplicate_order_id") }.map { $0.split(separator: ",")[0] }
    // Line numbers count the header: row 5,000 is on line 5,001.
    #expect(duplicateLines == ["5001", "15001", "19001", "20001"])
  }

  @Test func aQuotedLineBreakAcrossTheSplitFallsBackToOneThread() throws {
    // One long quoted category holding line breaks sits across the middle of the file.
    let path = try ParallelReadTests.generatedFile(count: 2_000)
    let text = try SettlementFixtures.text(path)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let middle = lines.count / 2
    var fields = lines[middle].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    fields[7] = "\"" + String(repeating: "home\n", count: 4_000) + "\""
    lines[middle] = fields.joined(separator: ",")
    try SettlementFixtures.write(lines.joined(separator: "\n"), to: path)
    let halves = try ParallelReadTests.outputs(path, inHalves: true)
    let whole = try ParallelReadTests.outputs(path, inHalves: false)
    #expect(halves["orders.csv"] == whole["orders.csv"])
    #expect(halves["commissions.csv"] == whole["commissions.csv"])
  }
}

import Money
import Testing

@testable import Commissions

/// An audit line's number is most often the last one's plus one, made by adding one to its digits:
/// across every carry, a jump, a number that gains a digit and one past eight digits, each line
/// still reads its own number.
struct AuditLineNumberTests {
  /// The line numbers the writer is given: runs across each power of ten up to 10^9, with jumps.
  static let lines: [Int] = {
    var lines: [Int] = Array(1...1_205) + [1_207, 1_208, 5, 6, 7]
    var power = 10_000
    while power <= 1_000_000_000 {
      lines += Array((power - 12)...(power + 12))
      power *= 10
    }
    return lines + [19, 20, 99_999_999, 100_000_000, 100_000_001, 100_000_002, 3, 4]
  }()

  @Test func eachLineReadsItsOwnNumber() throws {
    let writer = AuditWriter(file: nil, settlementCurrency: try Currency(code: "USD"), tierCount: 1)
    let id = Array("O1".utf8)
    for line in AuditLineNumberTests.lines {
      try id.withUnsafeBufferPointer { id in
        try writer.row(line: line, orderID: id, affiliateID: id, outcome: .outOfPeriod, reason: "")
      }
    }
    let lines = writer.handOverLines(goingOnIn: nil)
    let numbers = String(decoding: lines.bytes, as: UTF8.self).split(separator: "\n").map {
      String($0.prefix { $0 != "," })
    }
    #expect(numbers == AuditLineNumberTests.lines.map(String.init))
  }

  @Test func digitsPlusOneCarryPastNinesAndRefuseAllNines() {
    func word(_ text: String) -> UInt64 {
      text.utf8.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }
    #expect(AuditWriter.incremented(word("1"), count: 1) == word("2"))
    #expect(AuditWriter.incremented(word("19"), count: 2) == word("20"))
    #expect(AuditWriter.incremented(word("1299"), count: 4) == word("1300"))
    #expect(AuditWriter.incremented(word("12345678"), count: 8) == word("12345679"))
    #expect(AuditWriter.incremented(word("89999999"), count: 8) == word("90000000"))
    #expect(AuditWriter.incremented(word("9"), count: 1) == nil)
    #expect(AuditWriter.incremented(word("99999999"), count: 8) == nil)
  }
}

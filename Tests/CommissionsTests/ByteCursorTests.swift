import CSV
import Testing

@testable import Commissions

/// The audit's and report's numbers are written two digits at a time from a table: every digit
/// count, every power of ten and its neighbours, and amounts at every scale must read as the
/// plain decimal text.
struct ByteCursorTests {
  static func written(_ body: (inout ByteCursor) -> Void) -> String {
    var bytes = [UInt8](repeating: 0, count: 128)
    return bytes.withUnsafeMutableBufferPointer { buffer -> String in
      guard let base = buffer.baseAddress else { return "" }
      var cursor = ByteCursor(base: base, capacity: buffer.count)
      body(&cursor)
      return String(decoding: UnsafeBufferPointer(start: base, count: cursor.count), as: UTF8.self)
    }
  }

  /// Values around each power of ten, 0 and the largest, and some at random.
  static let values: [UInt64] = {
    var values: [UInt64] = [0, 1, 9, UInt64.max, UInt64.max - 1, UInt64(Int64.max), UInt64(Int64.max) + 1]
    var power: UInt64 = 1
    for _ in 0..<19 {
      power *= 10
      values += [power - 1, power, power + 1, power / 2, power + power / 3]
    }
    var random = SplitMix64(state: 3)
    values += (0..<2_000).map { _ in random.next() >> (random.next() % 64) }
    return values
  }()

  @Test func decimalsAndDigitCounts() {
    for value in ByteCursorTests.values {
      #expect(ByteCursorTests.written { $0.appendDecimal(value) } == String(value))
      #expect(ByteCursor.decimalDigitCount(value) == String(value).count, "\(value)")
      let width = String(value).count + Int(value % 3)
      let padded = String(repeating: "0", count: width - String(value).count) + String(value)
      #expect(ByteCursorTests.written { $0.appendDigits(value, width: width) } == padded)
    }
  }

  @Test func amountsAtEveryScale() {
    for value in ByteCursorTests.values where value <= UInt64(Int64.max) {
      for negative in [false, true] {
        let minorUnits = negative ? -Int64(value) : Int64(value)
        for scale in 0...4 {
          let digits = String(value)
          let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
          let expected =
            (negative && value != 0 ? "-" : "")
            + (scale == 0 ? padded : padded.dropLast(scale) + "." + padded.suffix(scale))
          #expect(
            ByteCursorTests.written { $0.appendMinorUnits(minorUnits, scale: scale) } == expected,
            "\(minorUnits) at scale \(scale)")
        }
      }
    }
    #expect(ByteCursorTests.written { $0.appendMinorUnits(Int64.min, scale: 2) } == "-92233720368547758.08")
  }

  /// Fields of 8 to 16 bytes take a path of their own (two words, tested and stored whole): every
  /// length around it, with a comma, quote, line break or other byte below 45 at each position,
  /// must be escaped as `CSVEscaping` escapes it.
  @Test func escapedFieldsOfEveryLengthAndSpecialByte() {
    for length in 0...20 {
      let plain = (0..<length).map { UInt8(ascii: "A") + UInt8($0 % 26) }
      var fields = [plain]
      for position in 0..<length {
        for special: UInt8 in [44, 34, 10, 13, 32, 45, 0x80 + 44] {
          var field = plain
          field[position] = special
          fields.append(field)
        }
      }
      for field in fields {
        var expected: [UInt8] = []
        field.withUnsafeBufferPointer { CSVEscaping.append($0, to: &expected) }
        let written = ByteCursorTests.written { cursor in field.withUnsafeBufferPointer { cursor.appendEscaped($0) } }
        #expect(written == String(decoding: expected, as: UTF8.self), "\(field)")
      }
    }
  }
}

import CSV
import Testing

/// The word-at-a-time tests answer as byte loops do: every byte value at every place of strings
/// of 0 to 24 bytes (one word, overlapping halves, overlapping last words), alone and in pairs.
@Suite struct ByteScanTests {
  static func check(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { buffer in
      #expect(ByteScan.containsByteBelow45(buffer) == bytes.contains { $0 < 45 }, "\(bytes)")
      #expect(ByteScan.containsZeroOrHighByte(buffer) == bytes.contains { $0 == 0 || $0 >= 0x80 }, "\(bytes)")
    }
  }

  @Test func everyByteValueAtEveryPlace() {
    ByteScanTests.check([])
    for length in 1...24 {
      for place in 0..<length {
        for value in 0...255 {
          var bytes = [UInt8](repeating: UInt8(ascii: "A"), count: length)
          bytes[place] = UInt8(value)
          ByteScanTests.check(bytes)
        }
      }
    }
  }

  @Test func pairsOfBytesAroundTheLimits() {
    // A high byte next to a low one, whose borrow could hide or fake a hit in the word tests.
    let values: [UInt8] = [0, 1, 10, 13, 34, 44, 45, 46, 127, 128, 172, 173, 255]
    for length in [7, 8, 9, 15, 16, 17] {
      for first in 0..<length {
        for second in 0..<length where second != first {
          for a in values {
            for b in values {
              var bytes = [UInt8](repeating: 0x7A, count: length)
              bytes[first] = a
              bytes[second] = b
              ByteScanTests.check(bytes)
            }
          }
        }
      }
    }
  }
}

/// `equalBytes` compares a word at a time, the last word overlapping the one before: a
/// difference at any position of a string of any length is seen.
struct EqualBytesTests {
  @Test func equalBytesSeesADifferenceAtEveryPositionOfEveryLength() {
    for count in 0...40 {
      let first = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
      first.withUnsafeBytes { firstBytes in
        #expect(ByteScan.equalBytes(firstBytes.baseAddress!, firstBytes.baseAddress!, count: count))
      }
      for position in 0..<count {
        var second = first
        second[position] ^= 0x01
        let equal = first.withUnsafeBytes { firstBytes in
          second.withUnsafeBytes { secondBytes in
            ByteScan.equalBytes(firstBytes.baseAddress!, secondBytes.baseAddress!, count: count)
          }
        }
        #expect(!equal, "length \(count), position \(position)")
      }
    }
  }
}

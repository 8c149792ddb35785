import Testing

@testable import Commissions

/// Entries are compared a word at a time (`ByteScan.equalBytes`): no entry is taken for another.
struct ByteStringTableTests {
  @Test func keysOfEveryLengthSharingPrefixesAreNumberedOnce() {
    var table = ByteStringTable(capacity: 16)
    var keys: [[UInt8]] = []
    for length in 0...24 {
      for last in [UInt8(ascii: "a"), UInt8(ascii: "b"), 0, 255] {
        keys.append(Array(repeating: UInt8(ascii: "x"), count: max(0, length - 1)) + (length > 0 ? [last] : []))
      }
    }
    var unique: [[UInt8]] = []
    for key in keys where !unique.contains(key) { unique.append(key) }
    var seen: Set<[UInt8]> = []
    for _ in 0..<2 {
      for key in keys {
        let (index, inserted) = key.withUnsafeBufferPointer { table.insert($0) }
        #expect(index == unique.firstIndex(of: key), "\(key)")
        #expect(inserted == !seen.contains(key), "\(key)")
        #expect(Array(table.bytes(at: index)) == key)
        seen.insert(key)
      }
    }
    #expect(table.count == unique.count)
  }
}

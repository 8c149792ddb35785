import Testing

@testable import Commissions

/// An id held in a slot is named by two words and its length: ids that share those words' bytes
/// but differ in length or in any one byte keep their own numbers, through the table's growth.
struct AffiliateNumberCacheTests {
  /// Ids of 1 to 40 bytes, each byte position changed in turn, and runs of one byte whose words
  /// are equal at several lengths (`AAAA` and `AAAAA` are both the word `AAAAAAAA`).
  static func ids() -> [[UInt8]] {
    var ids: [[UInt8]] = []
    for length in 1...40 {
      let base = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
      ids.append(base)
      for position in 0..<length {
        var changed = base
        changed[position] = UInt8(ascii: "Z")
        ids.append(changed)
      }
      ids.append(Array(repeating: UInt8(ascii: "A"), count: length))
      ids.append(Array(repeating: 0, count: length))
      ids.append(Array(repeating: 0xFF, count: length))
    }
    var unique: [[UInt8]] = []
    var seen: Set<[UInt8]> = []
    for id in ids where seen.insert(id).inserted { unique.append(id) }
    return unique
  }

  @Test func eachIdIsNumberedOnceAndKeepsItsNumberThroughGrowth() {
    let cache = AffiliateNumberCache(slotCount: 2)
    let ids = AffiliateNumberCacheTests.ids()
    var given: [[UInt8]] = []
    for round in 0..<2 {
      for (index, id) in ids.enumerated() {
        let number = id.withUnsafeBufferPointer { bytes in
          cache.number(bytes) { new in
            #expect(round == 0, "\(id) numbered again")
            given.append(Array(new))
            return given.count - 1 + 1_000
          }
        }
        #expect(number == index + 1_000, "\(id)")
      }
    }
    #expect(given == ids)
    #expect(cache.count == ids.count)
  }

  @Test func theWordsOfAnIdCoverEveryByte() {
    for length in 1...AffiliateNumberCache.inlineBytesMax {
      let zeros = [UInt8](repeating: 0, count: length)
      for position in 0..<length {
        var one = zeros
        one[position] = 1
        let plain = zeros.withUnsafeBytes { AffiliateNumberCache.words($0.baseAddress!, count: length) }
        let changed = one.withUnsafeBytes { AffiliateNumberCache.words($0.baseAddress!, count: length) }
        #expect(plain != changed, "byte \(position) of \(length)")
      }
    }
  }
}

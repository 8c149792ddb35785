import Files
import Testing

@testable import Commissions

/// Order id hashes spilled to a scratch file by partition: every repeated hash is found, within a
/// part or across parts, whatever the blocks, partitions and writes, and nothing else is.
struct OrderIDHashesTests {
  let folder: String

  init() throws {
    folder = try SettlementFixtures.temporaryDirectory()
  }

  /// Hashes made small: blocks of `blockBytes`, spilled `spillWriteBytes` at a time, and enough
  /// partitions that one holds `partitionBytesMax` of the hashes `bytes` of rows can have.
  func hashes(
    bytes: Int = 19 * 10_000, bytesMax: Int = 19 * 10_000, partitionBytesMax: Int = 4_096, blockBytes: Int = 16,
    spillWriteBytes: Int = 64
  ) throws -> OrderIDHashes {
    try OrderIDHashes(
      scratchDirectory: folder, bytes: bytes, bytesMax: bytesMax, partitionBytesMax: partitionBytesMax,
      blockBytes: blockBytes, spillWriteBytes: spillWriteBytes)
  }

  /// `count` distinct random hashes from `seed`.
  static func distinct(count: Int, seed: UInt64) -> [UInt64] {
    var generator = SplitMix64(state: seed)
    var seen: Set<UInt64> = []
    while seen.count < count { seen.insert(generator.next()) }
    var ordered: [UInt64] = []
    var replay = SplitMix64(state: seed)
    var taken: Set<UInt64> = []
    while ordered.count < count {
      let value = replay.next()
      if seen.contains(value), taken.insert(value).inserted { ordered.append(value) }
    }
    return ordered
  }

  /// The repeats the check finds in these parts.
  func repeats(_ parts: [[UInt64]], make: () throws -> OrderIDHashes) throws -> Set<UInt64> {
    let spilled = try parts.map { values in
      let part = try make()
      for value in values { part.append(value) }
      return part
    }
    return try OrderIDCheck.repeatedHashes(spilled)
  }

  @Test func partitionsEnoughForTheLargestFile() throws {
    let configurations: [(bytes: Int, partitions: Int)] = [
      (0, 1), (19, 1), (19 * 524_287 + 18, 1), (19 * 524_288, 2), (1_021_537_145, 128),
      (PeriodSettlement.ordersFileBytesMax, 2_048), (Int(Int32.max) * 16, 4_096),
    ]
    for (bytes, partitions) in configurations {
      let hashes = try OrderIDHashes(scratchDirectory: folder, bytes: bytes, bytesMax: bytes)
      #expect(hashes.partitionCount == partitions, "\(bytes) bytes")
    }
  }

  @Test func findsRepeatsWithinAPartAcrossBlocksAndPartitions() throws {
    let values = Self.distinct(count: 5_000, seed: 1)
    // Repeats right after, far after, and three times; with partitions by the top bits.
    let part = values + [values[0], values[4_999], values[2_500], values[2_500], values[17]]
    for (partitionBytesMax, blockBytes, spillWriteBytes) in [(4_096, 16, 64), (64, 8, 8), (1 << 20, 4_096, 1 << 20)] {
      let found = try repeats([part]) {
        try hashes(partitionBytesMax: partitionBytesMax, blockBytes: blockBytes, spillWriteBytes: spillWriteBytes)
      }
      #expect(found == [values[0], values[4_999], values[2_500], values[17]], "\(partitionBytesMax) \(blockBytes)")
    }
  }

  /// Hashes go to their partitions a few thousand at a time: repeats within one gathering, across
  /// gatherings, and in the last one (moved when the spill finishes) are all found.
  @Test func findsRepeatsAcrossGatheringsOfRecentHashes() throws {
    let gathering = OrderIDHashes.recentHashesMax
    let values = Self.distinct(count: 3 * gathering + 17, seed: 7)
    var part = values
    part.insert(values[5], at: 9)  // within the first gathering
    part.insert(values[10], at: gathering + 3)  // across the first and the second
    part.append(values[3 * gathering + 1])  // within the last, moved by finishSpilling
    let spilled = try hashes(bytes: 19 * 100_000, bytesMax: 19 * 100_000)
    for value in part { spilled.append(value) }
    #expect(try OrderIDCheck.repeatedHashes([spilled]) == [values[5], values[10], values[3 * gathering + 1]])
    #expect(spilled.count == part.count)
  }

  @Test func findsRepeatsAcrossParts() throws {
    let values = Self.distinct(count: 6_000, seed: 2)
    let first = Array(values[0..<3_000])
    let second = Array(values[3_000...]) + [values[0], values[2_999]]
    #expect(try repeats([first, second]) { try hashes() } == [values[0], values[2_999]])
    #expect(try repeats([second, first]) { try hashes() } == [values[0], values[2_999]])
  }

  @Test func findsRepeatsOfHashesThatShareTheirTopBits() throws {
    // Hashes of one partition only, differing in their last bits, as colliding ids would.
    let values = (0..<3_000).map { UInt64(0xABCD) << 48 | UInt64($0) }
    let found = try repeats([values + [0xABCD_0000_0000_0000], [0xABCD_0000_0000_0BB8, 0xABCD_0000_0000_0BB8]]) {
      try hashes()
    }
    #expect(found == [0xABCD_0000_0000_0000, 0xABCD_0000_0000_0BB8])
  }

  @Test func findsRepeatsOfHashesThatShareTheirLastBits() throws {
    // Equal last bits land on one slot of the check's table: each probes past the others.
    let values = (1..<2_000).map { UInt64($0) << 40 | 0x5A5A }
    let found = try repeats([values + [values[0], values[1_998]], [values[999]]]) { try hashes() }
    #expect(found == [values[0], values[1_998], values[999]])
  }

  @Test func theHashZeroIsARepeatOnlyTwice() throws {
    let values = Self.distinct(count: 1_000, seed: 5).filter { $0 != 0 }
    #expect(try repeats([values + [0]]) { try hashes() } == [])
    #expect(try repeats([values + [0], [0]]) { try hashes() } == [0])
  }

  @Test func anyNumberOfThreadsFindsTheSameRepeats() throws {
    let values = Self.distinct(count: 5_000, seed: 6)
    let parts = try [Array(values[0..<2_500]) + [values[3_000]], Array(values[2_500...]) + [values[7]]].map {
      values in
      let part = try hashes()
      for value in values { part.append(value) }
      return part
    }
    #expect(parts[0].partitionCount > 3)
    for threads in [1, 2, 3, 64] {
      #expect(try OrderIDCheck.repeatedHashes(parts, threads: threads) == [values[3_000], values[7]], "\(threads)")
    }
  }

  @Test func findsNoRepeatsWhereThereAreNone() throws {
    let values = Self.distinct(count: 6_000, seed: 3)
    #expect(try repeats([Array(values[0..<3_000]), Array(values[3_000...])]) { try hashes() } == [])
    #expect(try repeats([[]]) { try hashes() } == [])
    #expect(try OrderIDCheck.repeatedHashes([]) == [])
  }

  @Test func aSpillPastTheScratchLimit_Fails() throws {
    // 190 bytes hold at most 11 rows: the 88 bytes of their hashes bound the scratch file.
    let part = try hashes(bytes: 190, bytesMax: 190, blockBytes: 16, spillWriteBytes: 16)
    for value in Self.distinct(count: 100, seed: 4) { part.append(value) }
    let expected = FileError(
      path: folder, operation: "append 16 bytes to a scratch file of 80 bytes here",
      reason: "larger than the limit of 88 bytes")
    #expect(throws: expected) { try OrderIDCheck.repeatedHashes([part]) }
  }

  @Test func aScratchDirectoryThatIsMissing_Fails() throws {
    let missing = folder + "/missing"
    let error = #expect(throws: FileError.self) {
      try OrderIDHashes(scratchDirectory: missing, bytes: 1_000, bytesMax: 1_000)
    }
    #expect(error?.description == "\(missing): cannot create a scratch file here: No such file or directory")
  }

  /// The hash reads every byte of keys of every length, and nothing past them: a key and the same
  /// key with any one byte changed, or one byte longer (a zero byte), hash apart.
  @Test func theHashDependsOnEveryByteAndTheLength() {
    let hash = { (id: [UInt8]) in id.withUnsafeBufferPointer { ByteStringTable.hash($0) } }
    var seen: Set<UInt64> = []
    var keys = 0
    for length in 0...40 {
      let key = (0..<length).map { UInt8(truncatingIfNeeded: 31 &* $0 &+ 7) }
      #expect(seen.insert(hash(key)).inserted, "length \(length)")
      #expect(seen.insert(hash(key + [0])).inserted, "length \(length) and a zero byte")
      keys += 2
      for position in 0..<length {
        var changed = key
        changed[position] ^= 0x01
        #expect(seen.insert(hash(changed)).inserted, "length \(length), byte \(position)")
        keys += 1
      }
    }
    #expect(seen.count == keys)
  }

  /// Sequential ids, as order ids often are, spread evenly over the low bits (table slots) and the
  /// top bits (partitions): no bucket of 256 gets more than twice its share.
  @Test func sequentialIDsSpreadOverLowAndTopBits() {
    var low = [Int](repeating: 0, count: 256)
    var top = [Int](repeating: 0, count: 256)
    for number in 0..<100_000 {
      let hash = Array("O\(7_000_000 + number)".utf8).withUnsafeBufferPointer { ByteStringTable.hash($0) }
      low[Int(hash & 0xFF)] += 1
      top[Int(hash >> 56)] += 1
    }
    #expect(low.max() ?? 0 < 2 * 100_000 / 256)
    #expect(top.max() ?? 0 < 2 * 100_000 / 256)
    #expect(low.min() ?? 0 > 100_000 / 256 / 2)
    #expect(top.min() ?? 0 > 100_000 / 256 / 2)
  }

  /// Suspects are compared exactly: two ids whose hashes are both suspects (as two colliding ids
  /// would be) are both first sightings, and only a real repeat is not.
  @Test func suspectsAreComparedByTheirBytes() {
    let ids = ["A-000001", "A-000002", "A-000003"].map { Array($0.utf8) }
    let hash = { (id: [UInt8]) in id.withUnsafeBufferPointer { ByteStringTable.hash($0) } }
    var check = OrderIDCheck(.suspects([hash(ids[0]), hash(ids[1])]))
    let sightings = [ids[0], ids[1], ids[2], ids[0], ids[2], ids[1]].map { id in
      id.withUnsafeBufferPointer { check.isFirstSighting($0) }
    }
    // The third id is no suspect: taken as new each time, as the collecting read found it once.
    #expect(sightings == [true, true, true, false, true, false])
  }
}

import CSV

/// A set of byte strings, each numbered in order of first insertion: order ids seen, affiliates.
///
/// Open addressing over one contiguous arena of bytes, so inserting a short id costs a hash and
/// a compare, not a `String` and a `Set` node. Memory per entry: its bytes, a 4-byte offset, and
/// two 4-byte slots (the table stays at most half full).
struct ByteStringTable {
  /// Entry index + 1 per slot; 0 is empty. The count is a power of two.
  private var slots: [UInt32]
  /// Start of each entry in `arena`; entry i spans offsets[i] ..< offsets[i + 1].
  private var offsets: [UInt32] = [0]
  private var arena: [UInt8] = []
  private var mask: Int

  /// Most entries, and most arena bytes, a table holds (32-bit offsets).
  static let entriesMax = Int(UInt32.max / 2)

  init(capacity: Int = 1 << 12) {
    var slotCount = 16
    while slotCount < capacity * 2 { slotCount <<= 1 }
    slots = [UInt32](repeating: 0, count: slotCount)
    mask = slotCount - 1
  }

  var count: Int { offsets.count - 1 }

  /// The bytes of entry `index`.
  func bytes(at index: Int) -> ArraySlice<UInt8> {
    arena[Int(offsets[index])..<Int(offsets[index + 1])]
  }

  /// Calls `body` with the bytes of entry `index`.
  func withBytes<Result>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
    try arena.withUnsafeBufferPointer { stored in
      try body(UnsafeBufferPointer(rebasing: stored[Int(offsets[index])..<Int(offsets[index + 1])]))
    }
  }

  /// Whether any entry holds a 0 byte.
  var containsZeroByte: Bool { arena.contains(0) }

  /// Each entry's position when the entries are sorted by their bytes (a prefix first).
  func ranksInByteOrder() -> [Int] {
    arena.withUnsafeBufferPointer { stored in
      func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: stored[Int(offsets[index])..<Int(offsets[index + 1])])
      }
      let sorted = (0..<count).sorted { bytes($0).lexicographicallyPrecedes(bytes($1)) }
      var ranks = [Int](repeating: 0, count: count)
      for (rank, index) in sorted.enumerated() { ranks[index] = rank }
      return ranks
    }
  }

  /// Inserts `key` unless present. Returns its entry index and whether it was new.
  /// - Precondition: fewer than `entriesMax` entries and arena bytes.
  mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> (index: Int, inserted: Bool) {
    var slot = Int(truncatingIfNeeded: ByteStringTable.hash(key)) & mask
    while true {
      let entry = slots[slot]
      if entry == 0 { break }
      if matches(Int(entry) - 1, key) { return (Int(entry) - 1, false) }
      slot = (slot + 1) & mask
    }
    precondition(count < ByteStringTable.entriesMax && arena.count + key.count < Int(UInt32.max), "table is full")
    let index = count
    arena.append(contentsOf: key)
    offsets.append(UInt32(arena.count))
    slots[slot] = UInt32(index + 1)
    if count * 2 > slots.count { grow() }
    return (index, true)
  }

  @inline(__always)
  private func matches(_ index: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
    let start = Int(offsets[index])
    let end = Int(offsets[index + 1])
    guard end - start == key.count else { return false }
    return arena.withUnsafeBufferPointer { stored in
      guard let storedBase = stored.baseAddress, let keyBase = key.baseAddress else { return true }
      return ByteScan.equalBytes(
        UnsafeRawPointer(storedBase + start), UnsafeRawPointer(keyBase), count: key.count)
    }
  }

  private mutating func grow() {
    let slotCount = slots.count * 2
    slots = [UInt32](repeating: 0, count: slotCount)
    mask = slotCount - 1
    arena.withUnsafeBufferPointer { stored in
      for index in 0..<count {
        let key = UnsafeBufferPointer(rebasing: stored[Int(offsets[index])..<Int(offsets[index + 1])])
        var slot = Int(truncatingIfNeeded: ByteStringTable.hash(key)) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = UInt32(index + 1)
      }
    }
  }

  /// A 64-bit hash read eight bytes at a time: each word is mixed in by a multiply, the last
  /// one or two loads overlapping the word before so that no byte outside the key is read, and
  /// the length is in the seed; then murmur3's final mix, so that the low bits (table slots) and
  /// the top bits (`OrderIDHashes` partitions) each depend on every byte. Byte at a time (FNV-1a),
  /// hashing took 3 % of a settlement.
  @inline(__always)
  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let count = key.count
    var hash = 0x9E37_79B9_7F4A_7C15 &* UInt64(truncatingIfNeeded: count &+ 1)
    if let base = key.baseAddress, count > 0 {
      let raw = UnsafeRawPointer(base)
      var offset = 0
      while count &- offset > 8 {
        hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 29
        offset &+= 8
      }
      let last: UInt64
      if count >= 8 {
        last = raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
      } else if count >= 4 {
        last =
          UInt64(raw.loadUnaligned(as: UInt32.self))
          | UInt64(raw.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)) << 32
      } else {
        var bytes: UInt64 = 0
        for index in 0..<count { bytes |= UInt64(base[index]) << (8 &* UInt64(index)) }
        last = bytes
      }
      hash = (hash ^ last) &* 0xc4ce_b9fe_1a85_ec53
    }
    hash ^= hash >> 33
    hash = hash &* 0xff51_afd7_ed55_8ccd
    hash ^= hash >> 33
    hash = hash &* 0xc4ce_b9fe_1a85_ec53
    return hash ^ (hash >> 33)
  }
}

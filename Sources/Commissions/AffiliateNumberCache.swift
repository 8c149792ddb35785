import CSV

/// One thread's copy of the affiliate numbers it has met: an id's bytes → the number the shared
/// `AffiliateMarketTotals` gave it, so that the shared table (and its lock) is asked only on an
/// id's first sighting on this thread.
///
/// An id of at most `inlineBytesMax` bytes (nearly every one) is held in its slot as two words
/// and its length, so looking it up is a hash of those words and one comparison, with no arena or
/// offsets to read: through a `ByteStringTable` and a separate array of numbers it took 5 % of a
/// settlement. Longer ids go through a `ByteStringTable` of their own.
final class AffiliateNumberCache {
  /// An id's words (`words(of:)`), its length (0: the slot is empty) and its number.
  private struct Slot {
    var low: UInt64
    var high: UInt64
    var count: UInt32
    var number: UInt32
  }

  /// Longest id held in a slot, in bytes.
  static let inlineBytesMax = 16
  /// Largest affiliate number a slot holds.
  static let numberMax = Int(UInt32.max)

  private var slots: UnsafeMutablePointer<Slot>
  private var slotCount: Int
  /// 64 minus the base-2 logarithm of the slot count: a hash shifted right by this is a slot.
  private var slotShift: UInt64
  /// Ids held in slots.
  private var inlineCount = 0
  private var longIDs = ByteStringTable(capacity: 16)
  private var numberOfLongID: [Int] = []

  init(slotCount: Int = 1 << 12) {
    precondition(slotCount >= 2 && slotCount & (slotCount - 1) == 0, "a power of two slots, not \(slotCount)")
    self.slotCount = slotCount
    slotShift = UInt64(64 - slotCount.trailingZeroBitCount)
    slots = .allocate(capacity: slotCount)
    slots.initialize(repeating: Slot(low: 0, high: 0, count: 0, number: 0), count: slotCount)
  }

  deinit {
    slots.deallocate()
  }

  /// Ids known: held in slots and long.
  var count: Int { inlineCount + numberOfLongID.count }

  /// The number of affiliate id `id`; on its first sighting here, the one `numberOfNew` gives.
  /// - Precondition: `id` is not empty (a row without an affiliate is rejected before its totals).
  @inline(__always)
  func number(_ id: UnsafeBufferPointer<UInt8>, numberOfNew: (UnsafeBufferPointer<UInt8>) -> Int) -> Int {
    let count = id.count
    guard count <= AffiliateNumberCache.inlineBytesMax, let base = id.baseAddress else {
      return numberOfLong(id, numberOfNew: numberOfNew)
    }
    precondition(count > 0, "an affiliate id is not empty")
    let (low, high) = AffiliateNumberCache.words(UnsafeRawPointer(base), count: count)
    let mask = slotCount &- 1
    var slot = Int(truncatingIfNeeded: AffiliateNumberCache.hash(low, high, count) >> slotShift)
    while true {
      let held = slots[slot]
      if held.count == 0 { break }
      if held.low == low && held.high == high && Int(held.count) == count { return Int(held.number) }
      slot = (slot &+ 1) & mask
    }
    let number = numberOfNew(id)
    precondition(number >= 0 && number <= AffiliateNumberCache.numberMax, "affiliate number \(number) fits 32 bits")
    slots[slot] = Slot(low: low, high: high, count: UInt32(count), number: UInt32(number))
    inlineCount += 1
    if inlineCount * 2 > slotCount { grow() }
    return number
  }

  private func numberOfLong(_ id: UnsafeBufferPointer<UInt8>, numberOfNew: (UnsafeBufferPointer<UInt8>) -> Int)
    -> Int
  {
    let (index, inserted) = longIDs.insert(id)
    if inserted { numberOfLongID.append(numberOfNew(id)) }
    return numberOfLongID[index]
  }

  /// The 1 to 16 bytes at `base` as two words, which with the count name them: eight bytes or
  /// more are the first eight and the last eight (overlapping below sixteen), four to seven are
  /// the first four and the last four in one word, fewer are one word of their bytes.
  @inline(__always)
  static func words(_ base: UnsafeRawPointer, count: Int) -> (low: UInt64, high: UInt64) {
    if count >= 8 {
      return (base.loadUnaligned(as: UInt64.self), base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
    }
    if count >= 4 {
      let first = UInt64(base.loadUnaligned(as: UInt32.self))
      let last = UInt64(base.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
      return (first | last << 32, 0)
    }
    var word: UInt64 = 0
    for index in 0..<count { word |= UInt64(base.load(fromByteOffset: index, as: UInt8.self)) << (8 &* UInt64(index)) }
    return (word, 0)
  }

  /// A hash whose top bits choose a slot: each word multiplied by its own odd constant, then
  /// folded and multiplied again so that the top bits depend on every byte.
  @inline(__always)
  private static func hash(_ low: UInt64, _ high: UInt64, _ count: Int) -> UInt64 {
    var hash = (low &* 0x9E37_79B9_7F4A_7C15) ^ (high &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(truncatingIfNeeded: count)
    hash ^= hash >> 29
    return hash &* 0xBF58_476D_1CE4_E5B9
  }

  /// Twice the slots, every id placed again.
  private func grow() {
    let old = slots
    let oldCount = slotCount
    slotCount *= 2
    slotShift -= 1
    slots = .allocate(capacity: slotCount)
    slots.initialize(repeating: Slot(low: 0, high: 0, count: 0, number: 0), count: slotCount)
    let mask = slotCount - 1
    for index in 0..<oldCount where old[index].count != 0 {
      let held = old[index]
      var slot = Int(truncatingIfNeeded: AffiliateNumberCache.hash(held.low, held.high, Int(held.count)) >> slotShift)
      while slots[slot].count != 0 { slot = (slot + 1) & mask }
      slots[slot] = held
    }
    old.deallocate()
  }
}

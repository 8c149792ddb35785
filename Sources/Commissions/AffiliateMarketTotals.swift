import Countries

/// Qualifying totals per affiliate and market, in flat arrays: no `String`, dictionary node or
/// array per group.
///
/// Affiliate ids are numbered by a `ByteStringTable`; a group is found by the 64-bit key
/// (affiliate number, market code) in an open-addressing table of group numbers. Memory per group:
/// its key, market, orders, sales and `tierCount` commissions, and two 4-byte slots (the table
/// stays at most half full), about 40 bytes with one tier.
struct AffiliateMarketTotals {
  /// Affiliate ids, numbered in order of first sighting.
  private(set) var affiliates = ByteStringTable(capacity: 1 << 12)
  /// Per group: affiliate number << 16 | the market's packed code.
  private var keys: [UInt64] = []
  private(set) var markets: [Country] = []
  private(set) var orders: [Int] = []
  private(set) var sales: [Int64] = []
  /// `tierCount` per group: the commission at each tier level.
  private(set) var commissions: [Int64] = []
  let tierCount: Int
  /// Group number + 1 per slot; 0 is empty. The count is a power of two.
  private var slots: [UInt32]
  /// 64 minus the base-2 logarithm of the slot count: a key's hash shifted right by this is its slot.
  private var slotShift: UInt64

  /// Most groups the 32-bit slots can number.
  static let groupsMax = Int(UInt32.max / 2)

  init(tierCount: Int) {
    self.tierCount = tierCount
    slots = [UInt32](repeating: 0, count: 1 << 12)
    slotShift = 64 - 12
  }

  var count: Int { keys.count }

  /// The affiliate number of group `group`.
  func affiliate(ofGroup group: Int) -> Int { Int(truncatingIfNeeded: keys[group] >> 16) }

  /// The number of the group of this affiliate id and market, made on first use.
  mutating func group(affiliateID: UnsafeBufferPointer<UInt8>, market: Country) -> Int {
    group(affiliate: affiliates.insert(affiliateID).index, market: market)
  }

  /// Adds one qualifying order, or several orders' sums: false when a sum would pass 64 bits
  /// (the group is then left as it was).
  mutating func add(
    group: Int, orders addedOrders: Int, sales addedSales: Int64,
    commissions addedCommissions: UnsafeBufferPointer<Int64>
  ) -> Bool {
    let (newSales, salesOverflow) = sales[group].addingReportingOverflow(addedSales)
    guard !salesOverflow else { return false }
    let base = group * tierCount
    for tier in 0..<tierCount {
      guard !commissions[base + tier].addingReportingOverflow(addedCommissions[tier]).overflow else { return false }
    }
    for tier in 0..<tierCount { commissions[base + tier] &+= addedCommissions[tier] }
    sales[group] = newSales
    orders[group] += addedOrders
    return true
  }

  /// Adds every group of `later` (another part of the same file) to these totals.
  /// - Returns: the affiliate id and market of a group whose sums would pass 64 bits, or nil.
  mutating func absorb(_ later: AffiliateMarketTotals) -> (affiliateID: String, market: Country)? {
    precondition(later.tierCount == tierCount, "both parts settle the same program")
    var affiliateHere = [Int](repeating: 0, count: later.affiliates.count)
    for affiliate in 0..<later.affiliates.count {
      affiliateHere[affiliate] = later.affiliates.withBytes(at: affiliate) { affiliates.insert($0).index }
    }
    return later.commissions.withUnsafeBufferPointer { laterCommissions in
      for laterGroup in 0..<later.count {
        let group = group(
          affiliate: affiliateHere[later.affiliate(ofGroup: laterGroup)], market: later.markets[laterGroup])
        let added = UnsafeBufferPointer(
          rebasing: laterCommissions[(laterGroup * tierCount)..<((laterGroup + 1) * tierCount)])
        guard
          add(
            group: group, orders: later.orders[laterGroup], sales: later.sales[laterGroup], commissions: added)
        else { return (affiliateID(ofGroup: group), markets[group]) }
      }
      return nil
    }
  }

  /// The affiliate id of group `group`, as text.
  func affiliateID(ofGroup group: Int) -> String {
    affiliates.withBytes(at: affiliate(ofGroup: group)) { String(decoding: $0, as: UTF8.self) }
  }

  /// The group numbers in the order of `commissions.csv`: by the bytes of the affiliate id followed
  /// by a 0 byte and the market code, as one key.
  func groupsInFileOrder() -> [Int] {
    guard !affiliates.containsZeroByte else {
      // A 0 byte inside an id can put one affiliate's markets between another's: compare whole keys.
      return (0..<count).sorted { first, second in
        affiliates.withBytes(at: affiliate(ofGroup: first)) { firstID in
          affiliates.withBytes(at: affiliate(ofGroup: second)) { secondID in
            let firstKey = Array(firstID) + [0] + AffiliateMarketTotals.codeBytes(markets[first])
            let secondKey = Array(secondID) + [0] + AffiliateMarketTotals.codeBytes(markets[second])
            return firstKey.lexicographicallyPrecedes(secondKey)
          }
        }
      }
    }
    // Without 0 bytes the order is the affiliates' byte order, then the market's: a counting sort
    // by affiliate rank, then each affiliate's few markets on their own.
    let rankOfAffiliate = affiliates.ranksInByteOrder()
    var starts = [Int](repeating: 0, count: affiliates.count + 1)
    for group in 0..<count { starts[rankOfAffiliate[affiliate(ofGroup: group)] + 1] += 1 }
    for rank in 0..<affiliates.count { starts[rank + 1] += starts[rank] }
    var next = starts
    var ordered = [Int](repeating: 0, count: count)
    for group in 0..<count {
      let rank = rankOfAffiliate[affiliate(ofGroup: group)]
      ordered[next[rank]] = group
      next[rank] += 1
    }
    for rank in 0..<affiliates.count where starts[rank + 1] - starts[rank] > 1 {
      ordered[starts[rank]..<starts[rank + 1]].sort { markets[$0].packedCode < markets[$1].packedCode }
    }
    return ordered
  }

  private static func codeBytes(_ market: Country) -> [UInt8] {
    [UInt8(truncatingIfNeeded: market.packedCode >> 8), UInt8(truncatingIfNeeded: market.packedCode)]
  }

  private mutating func group(affiliate: Int, market: Country) -> Int {
    let key = UInt64(affiliate) << 16 | UInt64(market.packedCode)
    var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> slotShift)
    let mask = slots.count - 1
    while true {
      let entry = slots[slot]
      if entry == 0 { break }
      if keys[Int(entry) - 1] == key { return Int(entry) - 1 }
      slot = (slot + 1) & mask
    }
    precondition(count < AffiliateMarketTotals.groupsMax, "more than \(AffiliateMarketTotals.groupsMax) groups")
    let group = count
    keys.append(key)
    markets.append(market)
    orders.append(0)
    sales.append(0)
    commissions.append(contentsOf: repeatElement(0, count: tierCount))
    slots[slot] = UInt32(group + 1)
    if count * 2 > slots.count { grow() }
    return group
  }

  private mutating func grow() {
    slots = [UInt32](repeating: 0, count: slots.count * 2)
    slotShift -= 1
    let mask = slots.count - 1
    for group in 0..<count {
      var slot = Int(truncatingIfNeeded: (keys[group] &* 0x9E37_79B9_7F4A_7C15) >> slotShift)
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = UInt32(group + 1)
    }
  }
}

import Countries

/// Qualifying totals per affiliate and market, in flat arrays: no `String`, dictionary node or
/// array per group.
///
/// Affiliate ids are numbered by a `ByteStringTable`; a group is found by the 64-bit key
/// (affiliate number, market code) in an open-addressing table of group numbers. A group's key
/// and sums sit side by side in one record, so adding an order to a group reads two places in
/// memory (its slot and its record) rather than one per figure: with hundreds of thousands of
/// groups each of those is a cache miss. Memory per group: its record (`3 + tierCount` 8-byte
/// words), its market, and 1⅓ to 2⅔ 4-byte slots (the table stays at most three quarters full),
/// 39 to 44 bytes with one tier.
struct AffiliateMarketTotals {
  /// Affiliate ids, numbered in order of first sighting.
  private(set) var affiliates = ByteStringTable(capacity: 1 << 12)
  /// `recordWords` per group: the key (affiliate number << 16 | the market's packed code), the
  /// orders, the sales, then the commission at each tier level.
  private var records: [Int64] = []
  private(set) var markets: [Country] = []
  let tierCount: Int
  /// Words per record: key, orders, sales, then `tierCount` commissions.
  private let recordWords: Int
  /// Group number + 1 per slot; 0 is empty. The count is a power of two.
  private var slots: [UInt32]
  /// 64 minus the base-2 logarithm of the slot count: a key's hash shifted right by this is its slot.
  private var slotShift: UInt64

  /// Orders queued by `enqueue`, not yet added: key, market, sales, and `tierCount` commissions each.
  private var pendingKeys: [UInt64] = []
  private var pendingMarkets: [Country] = []
  private var pendingSales: [Int64] = []
  private var pendingCommissions: [Int64] = []
  /// Scratch for `addPending`, kept so that it allocates once.
  private var pendingGroups: [Int] = []
  /// Orders queued before they are added together.
  static let pendingMax = 32

  /// Most groups the 32-bit slots can number.
  static let groupsMax = Int(UInt32.max / 2)

  private static let keyWord = 0
  private static let ordersWord = 1
  private static let salesWord = 2
  private static let commissionsWord = 3

  init(tierCount: Int) {
    self.tierCount = tierCount
    recordWords = AffiliateMarketTotals.commissionsWord + tierCount
    slots = [UInt32](repeating: 0, count: 1 << 12)
    slotShift = 64 - 12
  }

  var count: Int { markets.count }

  /// The affiliate number of group `group`.
  func affiliate(ofGroup group: Int) -> Int {
    Int(truncatingIfNeeded: UInt64(bitPattern: records[group * recordWords]) >> 16)
  }

  func orders(ofGroup group: Int) -> Int { Int(records[group * recordWords + AffiliateMarketTotals.ordersWord]) }

  func sales(ofGroup group: Int) -> Int64 { records[group * recordWords + AffiliateMarketTotals.salesWord] }

  func commission(ofGroup group: Int, tier: Int) -> Int64 {
    records[group * recordWords + AffiliateMarketTotals.commissionsWord + tier]
  }

  /// Queues one qualifying order for the group of this affiliate id and market (made on first
  /// use); every `pendingMax` orders the queue is added.
  ///
  /// With hundreds of thousands of groups, a group's slot and record are rarely in cache. Looked
  /// up one order at a time, each lookup waits for its own two misses; looked up together, the
  /// queue's slots are read in one loop and then its records in another, so their misses overlap.
  /// - Returns: nil, or the affiliate id and market of a group whose sums would pass 64 bits.
  mutating func enqueue(
    affiliateID: UnsafeBufferPointer<UInt8>, market: Country, sales addedSales: Int64,
    commissions addedCommissions: UnsafeBufferPointer<Int64>
  ) -> (affiliateID: String, market: Country)? {
    let affiliate = affiliates.insert(affiliateID).index
    pendingKeys.append(UInt64(affiliate) << 16 | UInt64(market.packedCode))
    pendingMarkets.append(market)
    pendingSales.append(addedSales)
    pendingCommissions.append(contentsOf: addedCommissions)
    return pendingKeys.count >= AffiliateMarketTotals.pendingMax ? addPending() : nil
  }

  /// Adds the queued orders to their groups; done before any total is read.
  /// - Returns: nil, or the affiliate id and market of a group whose sums would pass 64 bits.
  mutating func addPending() -> (affiliateID: String, market: Country)? {
    defer {
      pendingKeys.removeAll(keepingCapacity: true)
      pendingMarkets.removeAll(keepingCapacity: true)
      pendingSales.removeAll(keepingCapacity: true)
      pendingCommissions.removeAll(keepingCapacity: true)
    }
    let pending = pendingKeys.count
    // Taken out (not copied), so that emptying it keeps its storage instead of allocating anew.
    var known: [Int] = []
    swap(&known, &pendingGroups)
    known.removeAll(keepingCapacity: true)
    defer { pendingGroups = known }
    let recordWords = recordWords
    let slotShift = slotShift
    // First the slot of each key, then the key of the record it names: loads that do not wait on
    // one another, so the processor has them all under way at once.
    slots.withUnsafeBufferPointer { slots in
      records.withUnsafeBufferPointer { records in
        for index in 0..<pending {
          let key = pendingKeys[index]
          known.append(Int(slots[Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> slotShift)]) - 1)
        }
        for index in 0..<pending where known[index] >= 0 {
          if UInt64(bitPattern: records[known[index] * recordWords]) != pendingKeys[index] { known[index] = -1 }
        }
      }
    }
    for index in 0..<pending {
      let key = pendingKeys[index]
      // A group found above keeps its number; any other (a later slot, or new) is looked up again.
      let group =
        known[index] >= 0
        ? known[index] : group(affiliate: Int(truncatingIfNeeded: key >> 16), market: pendingMarkets[index])
      let added = pendingCommissions.withUnsafeBufferPointer { commissions in
        add(
          group: group, orders: 1, sales: pendingSales[index],
          commissions: UnsafeBufferPointer(rebasing: commissions[(index * tierCount)..<((index + 1) * tierCount)]))
      }
      guard added else { return (affiliateID(ofGroup: group), markets[group]) }
    }
    return nil
  }

  /// Adds one qualifying order, or several orders' sums: false when a sum would pass 64 bits
  /// (the group is then left as it was).
  private mutating func add(
    group: Int, orders addedOrders: Int, sales addedSales: Int64,
    commissions addedCommissions: UnsafeBufferPointer<Int64>
  ) -> Bool {
    let base = group * recordWords
    let recordWords = recordWords
    return records.withUnsafeMutableBufferPointer { records in
      let (newSales, salesOverflow) = records[base + AffiliateMarketTotals.salesWord].addingReportingOverflow(
        addedSales)
      guard !salesOverflow else { return false }
      let commissions = base + AffiliateMarketTotals.commissionsWord
      for tier in 0..<(recordWords - AffiliateMarketTotals.commissionsWord) {
        guard !records[commissions + tier].addingReportingOverflow(addedCommissions[tier]).overflow else {
          return false
        }
      }
      for tier in 0..<(recordWords - AffiliateMarketTotals.commissionsWord) {
        records[commissions + tier] &+= addedCommissions[tier]
      }
      records[base + AffiliateMarketTotals.salesWord] = newSales
      records[base + AffiliateMarketTotals.ordersWord] += Int64(addedOrders)
      return true
    }
  }

  /// Adds every group of `later` (another part of the same file) to these totals.
  /// - Returns: the affiliate id and market of a group whose sums would pass 64 bits, or nil.
  mutating func absorb(_ later: AffiliateMarketTotals) -> (affiliateID: String, market: Country)? {
    precondition(later.tierCount == tierCount, "both parts settle the same program")
    precondition(pendingKeys.isEmpty && later.pendingKeys.isEmpty, "queued orders are added before totals are read")
    var affiliateHere = [Int](repeating: 0, count: later.affiliates.count)
    for affiliate in 0..<later.affiliates.count {
      affiliateHere[affiliate] = later.affiliates.withBytes(at: affiliate) { affiliates.insert($0).index }
    }
    return later.records.withUnsafeBufferPointer { laterRecords in
      for laterGroup in 0..<later.count {
        let group = group(
          affiliate: affiliateHere[later.affiliate(ofGroup: laterGroup)], market: later.markets[laterGroup])
        let commissions = laterGroup * recordWords + AffiliateMarketTotals.commissionsWord
        let added = UnsafeBufferPointer(rebasing: laterRecords[commissions..<(commissions + tierCount)])
        guard
          add(
            group: group, orders: later.orders(ofGroup: laterGroup), sales: later.sales(ofGroup: laterGroup),
            commissions: added)
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
    precondition(pendingKeys.isEmpty, "queued orders are added before totals are read")
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
    let recordWords = recordWords
    let found: Int? = slots.withUnsafeBufferPointer { slots in
      records.withUnsafeBufferPointer { records in
        while true {
          let entry = slots[slot]
          if entry == 0 { return nil }
          if UInt64(bitPattern: records[(Int(entry) - 1) * recordWords]) == key { return Int(entry) - 1 }
          slot = (slot + 1) & mask
        }
      }
    }
    if let found { return found }
    precondition(count < AffiliateMarketTotals.groupsMax, "more than \(AffiliateMarketTotals.groupsMax) groups")
    let group = count
    records.append(Int64(bitPattern: key))
    records.append(contentsOf: repeatElement(0, count: recordWords - 1))
    markets.append(market)
    slots[slot] = UInt32(group + 1)
    if count * 4 > slots.count * 3 { grow() }
    return group
  }

  private mutating func grow() {
    slots = [UInt32](repeating: 0, count: slots.count * 2)
    slotShift -= 1
    let mask = slots.count - 1
    for group in 0..<count {
      let key = UInt64(bitPattern: records[group * recordWords])
      var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> slotShift)
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = UInt32(group + 1)
    }
  }
}

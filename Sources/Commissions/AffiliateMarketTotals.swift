import Countries
import Files

/// Qualifying totals per affiliate and market, in flat storage: no `String`, dictionary node or
/// array per group. One per read of the orders, shared by the threads that read it: each adds its
/// orders through its own `TotalsQueue`, a batch at a time, under the table's lock.
///
/// Affiliate ids are numbered by a `ByteStringTable`; a group is found by the 64-bit key
/// (affiliate number, market code) in an open-addressing table of group numbers, each slot also
/// holding 32 bits of its key's hash, so that a probe passes other groups' slots without reading
/// their records. A group's key and sums sit side by side in one record, so adding an order to a
/// group reads two places in memory (its slot and its record) rather than one per figure: with
/// hundreds of thousands of groups each of those is a cache miss. The records lie one after
/// another in address space reserved up front for the most groups the run can make
/// (`ReservedMemory`): they are never moved or copied, and a record's address is one multiply
/// from its number. (In pages of 16,384 records, finding a record took a division, an array's
/// bounds check and an exclusivity check; without them the batch's record loads overlap better,
/// and 10 M orders took 6 % less CPU.) A group's market is the low 16 bits of its key, kept
/// nowhere else. Memory per group: its record (`3 + tierCount` 8-byte words) and
/// 1⅓ to 2⅔ 8-byte slots (the table stays at most three quarters full), 43 to 53 bytes with one
/// tier.
///
/// Unchecked: every change happens under `lock` (`affiliateNumber`, `add`); the totals are read
/// only once every queue has been added, after the threads have finished.
final class AffiliateMarketTotals: @unchecked Sendable {
  /// Affiliate ids, numbered in order of first sighting.
  private(set) var affiliates = ByteStringTable(capacity: 1 << 12)
  /// `recordWords` per group: the key (affiliate number << 16 | the market's packed code), the
  /// orders, the sales, then the commission at each tier level.
  private let reserved: ReservedMemory
  private let records: UnsafeMutablePointer<Int64>
  /// The most groups the records have room for.
  let groupCapacity: Int
  /// Groups made so far.
  private(set) var count = 0
  let tierCount: Int
  /// Words per record: key, orders, sales, then `tierCount` commissions.
  private let recordWords: Int
  /// Per slot, 0 when empty, else the group's tag (`tag(ofHash:)`) in the high 32 bits and its
  /// number + 1 in the low 32. `slotCount` slots, a power of two.
  private var slots: UnsafeMutablePointer<UInt64>
  private var slotCount: Int
  /// 64 minus the base-2 logarithm of the slot count: a key's hash shifted right by this is its slot.
  private var slotShift: UInt64
  private let lock = BatchLock()

  /// Most groups a slot's 32 bits can number.
  static let slotGroupsMax = Int(UInt32.max / 2)

  private static let keyWord = 0
  private static let ordersWord = 1
  private static let salesWord = 2
  private static let commissionsWord = 3

  /// - Parameter groupsMax: the most groups the run can make (each needs an order: the rows its
  ///   orders can hold), whose records' address space is reserved.
  /// - Throws: `SettlementError` when the system will not reserve that much address space.
  init(tierCount: Int, groupsMax: Int) throws(SettlementError) {
    precondition(groupsMax > 0, "room for \(groupsMax) groups")
    self.tierCount = tierCount
    recordWords = AffiliateMarketTotals.commissionsWord + tierCount
    groupCapacity = min(groupsMax, AffiliateMarketTotals.slotGroupsMax)
    let bytes = groupCapacity * recordWords * 8
    guard let reserved = ReservedMemory(bytes: bytes) else {
      throw SettlementError(
        "cannot reserve \(bytes) bytes of address space for the totals of up to \(groupCapacity) affiliate-market groups"
      )
    }
    self.reserved = reserved
    records = reserved.base.bindMemory(to: Int64.self, capacity: groupCapacity * recordWords)
    slotCount = 1 << 12
    slots = .allocate(capacity: slotCount)
    slots.initialize(repeating: 0, count: slotCount)
    slotShift = 64 - 12
  }

  deinit {
    slots.deallocate()
  }

  @inline(__always)
  private static func hash(_ key: UInt64) -> UInt64 { key &* 0x9E37_79B9_7F4A_7C15 }

  /// 32 bits of a key's hash below those that choose its slot (for tables of up to 2²⁴ slots),
  /// kept in the slot.
  @inline(__always)
  private static func tag(ofHash hash: UInt64) -> UInt64 { (hash >> 8) & 0xFFFF_FFFF }

  /// The first word of group `group`'s record.
  @inline(__always)
  private func record(_ group: Int) -> UnsafeMutablePointer<Int64> {
    records + group &* recordWords
  }

  /// The affiliate number of group `group`.
  func affiliate(ofGroup group: Int) -> Int {
    Int(truncatingIfNeeded: UInt64(bitPattern: record(group)[AffiliateMarketTotals.keyWord]) >> 16)
  }

  func orders(ofGroup group: Int) -> Int { Int(record(group)[AffiliateMarketTotals.ordersWord]) }

  func sales(ofGroup group: Int) -> Int64 { record(group)[AffiliateMarketTotals.salesWord] }

  /// The two letters of group `group`'s market, packed: the low 16 bits of its key.
  func marketCode(ofGroup group: Int) -> UInt16 {
    UInt16(truncatingIfNeeded: record(group)[AffiliateMarketTotals.keyWord])
  }

  /// The market of group `group`.
  func market(ofGroup group: Int) -> Country {
    let code = marketCode(ofGroup: group)
    let found = withUnsafeBytes(of: code.bigEndian) { Country.lookup($0.assumingMemoryBound(to: UInt8.self)) }
    guard let found else { preconditionFailure("group \(group)'s key ends in an assigned country's letters") }
    return found
  }

  func commission(ofGroup group: Int, tier: Int) -> Int64 {
    record(group)[AffiliateMarketTotals.commissionsWord + tier]
  }

  /// The affiliate id of group `group`, as text.
  func affiliateID(ofGroup group: Int) -> String {
    affiliates.withBytes(at: affiliate(ofGroup: group)) { String(decoding: $0, as: UTF8.self) }
  }

  /// The number of this affiliate id, given on first sighting.
  func affiliateNumber(_ affiliateID: UnsafeBufferPointer<UInt8>) -> Int {
    lock.withLock { affiliates.insert(affiliateID).index }
  }

  /// Why orders could not be added: the orders before the one that failed were added, the rest not.
  enum Problem: Equatable {
    /// A group whose sums would pass 64 bits.
    case overflow(affiliateID: String, market: Country)
    /// A new group past `groupCapacity` (the orders grew while they were read).
    case tooManyGroups(Int)
  }

  /// What adding a queue's orders came to.
  enum Added {
    case added
    /// Another thread held the lock and the caller would not wait: nothing was added.
    case busy
    case failed(Problem)
  }

  /// Adds queued orders to their groups (made on first use): `keys[i]` (affiliate number << 16 |
  /// the market's packed code), `sales[i]`, and `commissions[i * tierCount ..< (i + 1) * tierCount]`.
  ///
  /// With hundreds of thousands of groups, a group's slot and record are rarely in cache. Looked
  /// up one order at a time, each lookup waits for its own two misses; looked up together, the
  /// batch's slots are read in one loop and then its records in another, so their misses overlap.
  /// - Parameter waiting: whether to wait for the lock, or return `busy` when another thread holds it.
  func add(
    keys: UnsafeBufferPointer<UInt64>, sales: UnsafeBufferPointer<Int64>, commissions: UnsafeBufferPointer<Int64>,
    waiting: Bool
  ) -> Added {
    precondition(
      sales.count == keys.count && commissions.count == keys.count * tierCount, "a figure of each kind per queued order"
    )
    if waiting {
      return lock.withLock { addLocked(keys: keys, sales: sales, commissions: commissions) }
    }
    return lock.withLockIfAvailable { addLocked(keys: keys, sales: sales, commissions: commissions) } ?? .busy
  }

  private func addLocked(
    keys: UnsafeBufferPointer<UInt64>, sales: UnsafeBufferPointer<Int64>, commissions: UnsafeBufferPointer<Int64>
  ) -> Added {
    let queued = keys.count
    let slots = slots
    let mask = slotCount - 1
    // First each key's home slot, then the group whose tag matches there (or a few slots on) and
    // that group's key: loads that do not wait on one another, so the processor has them all
    // under way at once. A group found keeps its number if its key is the order's.
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: queued) { known in
      withUnsafeTemporaryAllocation(of: UInt64.self, capacity: queued) { homeWords in
        for index in 0..<queued {
          let slot = Int(truncatingIfNeeded: AffiliateMarketTotals.hash(keys[index]) >> slotShift)
          known[index] = slot
          homeWords[index] = slots[slot]
        }
        for index in 0..<queued {
          let tag = AffiliateMarketTotals.tag(ofHash: AffiliateMarketTotals.hash(keys[index]))
          var slot = known[index]
          var word = homeWords[index]
          known[index] = -1
          while word != 0 {
            if word >> 32 == tag {
              let group = Int(truncatingIfNeeded: word & 0xFFFF_FFFF) - 1
              if UInt64(bitPattern: record(group)[AffiliateMarketTotals.keyWord]) == keys[index] {
                known[index] = group
              }
              break
            }
            slot = (slot + 1) & mask
            word = slots[slot]
          }
        }
      }
      for index in 0..<queued {
        // A group not found above (new, or behind another with the same tag) is looked up again.
        guard let group = known[index] >= 0 ? known[index] : group(key: keys[index]) else {
          return .failed(.tooManyGroups(groupCapacity))
        }
        let added = UnsafeBufferPointer(rebasing: commissions[(index * tierCount)..<((index + 1) * tierCount)])
        guard add(group: group, sales: sales[index], commissions: added) else {
          return .failed(.overflow(affiliateID: affiliateID(ofGroup: group), market: market(ofGroup: group)))
        }
      }
      return .added
    }
  }

  /// Adds one qualifying order: false when a sum would pass 64 bits (the group is then left as it was).
  private func add(group: Int, sales addedSales: Int64, commissions addedCommissions: UnsafeBufferPointer<Int64>)
    -> Bool
  {
    let sums = record(group)
    let (newSales, salesOverflow) = sums[AffiliateMarketTotals.salesWord].addingReportingOverflow(addedSales)
    guard !salesOverflow else { return false }
    let commissions = sums + AffiliateMarketTotals.commissionsWord
    for tier in 0..<tierCount {
      guard !commissions[tier].addingReportingOverflow(addedCommissions[tier]).overflow else { return false }
    }
    for tier in 0..<tierCount { commissions[tier] &+= addedCommissions[tier] }
    sums[AffiliateMarketTotals.salesWord] = newSales
    sums[AffiliateMarketTotals.ordersWord] += 1
    return true
  }

  /// The group numbers in the order of `commissions.csv`: by the bytes of the affiliate id followed
  /// by a 0 byte and the market code, as one key.
  func groupsInFileOrder() -> [UInt32] {
    guard !affiliates.containsZeroByte else {
      // A 0 byte inside an id can put one affiliate's markets between another's: compare whole keys.
      return (0..<UInt32(count)).sorted { first, second in
        affiliates.withBytes(at: affiliate(ofGroup: Int(first))) { firstID in
          affiliates.withBytes(at: affiliate(ofGroup: Int(second))) { secondID in
            let firstKey = Array(firstID) + [0] + AffiliateMarketTotals.codeBytes(marketCode(ofGroup: Int(first)))
            let secondKey = Array(secondID) + [0] + AffiliateMarketTotals.codeBytes(marketCode(ofGroup: Int(second)))
            return firstKey.lexicographicallyPrecedes(secondKey)
          }
        }
      }
    }
    // Without 0 bytes the order is the affiliates' byte order, then the market's: two counting
    // sorts, by market code and then (keeping that order within each affiliate) by affiliate rank.
    // Linear in the groups, where sorting each affiliate's markets took 20 ms of 643 k groups.
    // Each group's key is read from its record once, in group order (the records lie in that
    // order), not once per group in market order, a cache miss each.
    let rankOfAffiliate = affiliates.ranksInByteOrder()
    var rankOfGroup = [UInt32](repeating: 0, count: count)
    var marketSlotOfGroup = [UInt16](repeating: 0, count: count)
    for group in 0..<count {
      rankOfGroup[group] = UInt32(rankOfAffiliate[affiliate(ofGroup: group)])
      marketSlotOfGroup[group] = AffiliateMarketTotals.marketSlot(marketCode(ofGroup: group))
    }
    let byMarket = AffiliateMarketTotals.countingSort(
      Array(0..<UInt32(count)), keyCount: 26 * 26, key: { group in Int(marketSlotOfGroup[Int(group)]) })
    return AffiliateMarketTotals.countingSort(
      byMarket, keyCount: affiliates.count, key: { group in Int(rankOfGroup[Int(group)]) })
  }

  /// A market's two capital letters (packed) as a number below 26².
  private static func marketSlot(_ code: UInt16) -> UInt16 {
    ((code >> 8) &- 65) &* 26 &+ ((code & 0xFF) &- 65)
  }

  /// `groups` ordered by `key` (each below `keyCount`), groups of equal key in their order in `groups`.
  private static func countingSort(_ groups: [UInt32], keyCount: Int, key: (UInt32) -> Int) -> [UInt32] {
    var starts = [Int](repeating: 0, count: keyCount + 1)
    for group in groups { starts[key(group) + 1] += 1 }
    for index in 0..<keyCount { starts[index + 1] += starts[index] }
    var ordered = [UInt32](repeating: 0, count: groups.count)
    for group in groups {
      let slot = key(group)
      ordered[starts[slot]] = group
      starts[slot] += 1
    }
    return ordered
  }

  private static func codeBytes(_ code: UInt16) -> [UInt8] {
    [UInt8(truncatingIfNeeded: code >> 8), UInt8(truncatingIfNeeded: code)]
  }

  /// The group of `key`, made (with zero sums) when new; nil when new past `groupCapacity`.
  private func group(key: UInt64) -> Int? {
    let hash = AffiliateMarketTotals.hash(key)
    let tag = AffiliateMarketTotals.tag(ofHash: hash)
    var slot = Int(truncatingIfNeeded: hash >> slotShift)
    let mask = slotCount - 1
    while slots[slot] != 0 {
      if slots[slot] >> 32 == tag {
        let group = Int(truncatingIfNeeded: slots[slot] & 0xFFFF_FFFF) - 1
        if UInt64(bitPattern: record(group)[AffiliateMarketTotals.keyWord]) == key { return group }
      }
      slot = (slot + 1) & mask
    }
    guard count < groupCapacity else { return nil }
    let group = count
    let fresh = record(group)
    fresh.initialize(repeating: 0, count: recordWords)
    fresh[AffiliateMarketTotals.keyWord] = Int64(bitPattern: key)
    count += 1
    slots[slot] = tag << 32 | UInt64(group + 1)
    if count * 4 > slotCount * 3 { grow() }
    return group
  }

  /// Twice the slots, every group placed again.
  private func grow() {
    slots.deallocate()
    slotCount *= 2
    slotShift -= 1
    slots = .allocate(capacity: slotCount)
    slots.initialize(repeating: 0, count: slotCount)
    let mask = slotCount - 1
    for group in 0..<count {
      let hash = AffiliateMarketTotals.hash(UInt64(bitPattern: record(group)[AffiliateMarketTotals.keyWord]))
      var slot = Int(truncatingIfNeeded: hash >> slotShift)
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = AffiliateMarketTotals.tag(ofHash: hash) << 32 | UInt64(group + 1)
    }
  }
}

/// One thread's orders on their way to the shared `AffiliateMarketTotals`: queued, then added a
/// batch at a time, so the table's lock is taken once per `batchOrders` orders.
///
/// When another thread holds the lock the queue keeps growing and tries again at the next batch;
/// only at `queuedMax` orders does it wait. Affiliate ids are numbered through this thread's
/// `AffiliateNumberCache`, which asks the shared table (under its lock) only on an id's first
/// sighting here.
/// The queue is fixed storage of `queuedMax` orders, so queueing one is three stores.
struct TotalsQueue {
  let totals: AffiliateMarketTotals
  /// `totals.tierCount`, held here: the shared table's fields share cache lines with the ones
  /// each batch changes, and reading it there on every order waited for the other core's writes
  /// (a third of the time spent queueing an order).
  private let tierCount: Int
  /// The shared number of each affiliate this thread has met.
  private let affiliateNumbers = AffiliateNumberCache()
  private let storage: Storage
  /// Orders queued.
  private var queued = 0

  /// Orders queued before the lock is tried.
  static let batchOrders = 32
  /// Orders queued at most: past this the queue waits for the lock. Room for about half a
  /// millisecond of orders (96 KiB with one tier), so that a thread waits only when the other was
  /// descheduled holding the lock: at 256, the two threads slept on it some 40 times a run (60 ms
  /// in all at 10 M orders), at 4,096 about 3 times.
  static let queuedMax = 4_096

  /// The queued orders' keys, sales and commissions (`tierCount` each), `queuedMax` of each.
  private final class Storage {
    let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: TotalsQueue.queuedMax)
    let sales = UnsafeMutablePointer<Int64>.allocate(capacity: TotalsQueue.queuedMax)
    let commissions: UnsafeMutablePointer<Int64>

    init(tierCount: Int) {
      commissions = .allocate(capacity: TotalsQueue.queuedMax * tierCount)
    }

    deinit {
      keys.deallocate()
      sales.deallocate()
      commissions.deallocate()
    }
  }

  init(totals: AffiliateMarketTotals) {
    self.totals = totals
    tierCount = totals.tierCount
    storage = Storage(tierCount: totals.tierCount)
  }

  /// Queues one qualifying order for the group of this affiliate id and market.
  /// - Returns: nil, or why the queued orders could not all be added.
  mutating func enqueue(
    affiliateID: UnsafeBufferPointer<UInt8>, market: Country, sales addedSales: Int64,
    commissions addedCommissions: UnsafeBufferPointer<Int64>
  ) -> AffiliateMarketTotals.Problem? {
    precondition(queued < TotalsQueue.queuedMax, "a full queue is added before another order is queued")
    let tierCount = tierCount
    precondition(addedCommissions.count == tierCount, "a commission per tier level")
    let totals = totals
    let affiliate = affiliateNumbers.number(affiliateID) { totals.affiliateNumber($0) }
    (storage.keys + queued).initialize(to: UInt64(affiliate) << 16 | UInt64(market.packedCode))
    (storage.sales + queued).initialize(to: addedSales)
    for tier in 0..<tierCount {
      (storage.commissions + queued * tierCount + tier).initialize(to: addedCommissions[tier])
    }
    queued += 1
    guard queued % TotalsQueue.batchOrders == 0 else { return nil }
    return add(waiting: queued >= TotalsQueue.queuedMax)
  }

  /// Adds every queued order: done before any total is read.
  /// - Returns: nil, or why the queued orders could not all be added.
  mutating func addQueued() -> AffiliateMarketTotals.Problem? {
    add(waiting: true)
  }

  private mutating func add(waiting: Bool) -> AffiliateMarketTotals.Problem? {
    guard queued > 0 else { return nil }
    let added = totals.add(
      keys: UnsafeBufferPointer(start: storage.keys, count: queued),
      sales: UnsafeBufferPointer(start: storage.sales, count: queued),
      commissions: UnsafeBufferPointer(start: storage.commissions, count: queued * tierCount), waiting: waiting)
    switch added {
    case .busy: return nil
    case .added:
      queued = 0
      return nil
    case .failed(let problem): return problem
    }
  }
}

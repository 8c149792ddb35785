import Countries
import Synchronization

/// Qualifying totals per affiliate and market, in flat storage: no `String`, dictionary node or
/// array per group. One per read of the orders, shared by the threads that read it: each adds its
/// orders through its own `TotalsQueue`, a batch at a time, under the table's lock.
///
/// Affiliate ids are numbered by a `ByteStringTable`; a group is found by the 64-bit key
/// (affiliate number, market code) in an open-addressing table of group numbers. A group's key
/// and sums sit side by side in one record, so adding an order to a group reads two places in
/// memory (its slot and its record) rather than one per figure: with hundreds of thousands of
/// groups each of those is a cache miss. Records live in pages of `pageGroups`, which are added
/// as groups are, never copied. Memory per group: its record (`3 + tierCount` 8-byte words), its
/// market, and 1⅓ to 2⅔ 4-byte slots (the table stays at most three quarters full), 39 to 44
/// bytes with one tier.
///
/// Unchecked: every change happens under `lock` (`affiliateNumber`, `add`); the totals are read
/// only once every queue has been added, after the threads have finished.
final class AffiliateMarketTotals: @unchecked Sendable {
  /// Affiliate ids, numbered in order of first sighting.
  private(set) var affiliates = ByteStringTable(capacity: 1 << 12)
  /// `recordWords` per group: the key (affiliate number << 16 | the market's packed code), the
  /// orders, the sales, then the commission at each tier level; `pageGroups` records a page.
  private var pages: [UnsafeMutablePointer<Int64>] = []
  private(set) var markets: [Country] = []
  let tierCount: Int
  /// Words per record: key, orders, sales, then `tierCount` commissions.
  private let recordWords: Int
  /// Group number + 1 per slot; 0 is empty. The count is a power of two.
  private var slots: [UInt32]
  /// 64 minus the base-2 logarithm of the slot count: a key's hash shifted right by this is its slot.
  private var slotShift: UInt64
  private let lock = Mutex(())

  /// Groups in a page of records: 16,384 (512 KiB with one tier).
  static let pageGroups = 1 << 14
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

  deinit {
    for page in pages { page.deallocate() }
  }

  var count: Int { markets.count }

  /// The first word of group `group`'s record.
  @inline(__always)
  private func record(_ group: Int) -> UnsafeMutablePointer<Int64> {
    pages[group / AffiliateMarketTotals.pageGroups] + (group % AffiliateMarketTotals.pageGroups) * recordWords
  }

  /// The affiliate number of group `group`.
  func affiliate(ofGroup group: Int) -> Int {
    Int(truncatingIfNeeded: UInt64(bitPattern: record(group)[AffiliateMarketTotals.keyWord]) >> 16)
  }

  func orders(ofGroup group: Int) -> Int { Int(record(group)[AffiliateMarketTotals.ordersWord]) }

  func sales(ofGroup group: Int) -> Int64 { record(group)[AffiliateMarketTotals.salesWord] }

  func commission(ofGroup group: Int, tier: Int) -> Int64 {
    record(group)[AffiliateMarketTotals.commissionsWord + tier]
  }

  /// The affiliate id of group `group`, as text.
  func affiliateID(ofGroup group: Int) -> String {
    affiliates.withBytes(at: affiliate(ofGroup: group)) { String(decoding: $0, as: UTF8.self) }
  }

  /// The number of this affiliate id, given on first sighting.
  func affiliateNumber(_ affiliateID: UnsafeBufferPointer<UInt8>) -> Int {
    lock.withLock { _ in affiliates.insert(affiliateID).index }
  }

  /// What adding a queue's orders came to.
  enum Added {
    case added
    /// Another thread held the lock and the caller would not wait: nothing was added.
    case busy
    /// A group whose sums would pass 64 bits: the orders before it were added, the rest not.
    case overflow(affiliateID: String, market: Country)
  }

  /// Adds queued orders to their groups (made on first use): `keys[i]` (affiliate number << 16 |
  /// market code), `markets[i]`, `sales[i]`, and `commissions[i * tierCount ..< (i + 1) * tierCount]`.
  ///
  /// With hundreds of thousands of groups, a group's slot and record are rarely in cache. Looked
  /// up one order at a time, each lookup waits for its own two misses; looked up together, the
  /// batch's slots are read in one loop and then its records in another, so their misses overlap.
  /// - Parameter waiting: whether to wait for the lock, or return `busy` when another thread holds it.
  func add(
    keys: UnsafeBufferPointer<UInt64>, markets addedMarkets: UnsafeBufferPointer<Country>,
    sales: UnsafeBufferPointer<Int64>, commissions: UnsafeBufferPointer<Int64>, waiting: Bool
  ) -> Added {
    precondition(
      addedMarkets.count == keys.count && sales.count == keys.count && commissions.count == keys.count * tierCount,
      "a figure of each kind per queued order")
    if waiting {
      return lock.withLock { _ in addLocked(keys: keys, markets: addedMarkets, sales: sales, commissions: commissions) }
    }
    return lock.withLockIfAvailable { _ in
      addLocked(keys: keys, markets: addedMarkets, sales: sales, commissions: commissions)
    } ?? .busy
  }

  private func addLocked(
    keys: UnsafeBufferPointer<UInt64>, markets addedMarkets: UnsafeBufferPointer<Country>,
    sales: UnsafeBufferPointer<Int64>, commissions: UnsafeBufferPointer<Int64>
  ) -> Added {
    let queued = keys.count
    let slotShift = slotShift
    // First the slot of each key, then the key of the record it names: loads that do not wait on
    // one another, so the processor has them all under way at once.
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: queued) { known in
      slots.withUnsafeBufferPointer { slots in
        for index in 0..<queued {
          known[index] = Int(slots[Int(truncatingIfNeeded: (keys[index] &* 0x9E37_79B9_7F4A_7C15) >> slotShift)]) - 1
        }
      }
      for index in 0..<queued where known[index] >= 0 {
        if UInt64(bitPattern: record(known[index])[AffiliateMarketTotals.keyWord]) != keys[index] { known[index] = -1 }
      }
      for index in 0..<queued {
        // A group found above keeps its number; any other (a later slot, or new) is looked up again.
        let group = known[index] >= 0 ? known[index] : group(key: keys[index], market: addedMarkets[index])
        let added = UnsafeBufferPointer(rebasing: commissions[(index * tierCount)..<((index + 1) * tierCount)])
        guard add(group: group, sales: sales[index], commissions: added) else {
          return .overflow(affiliateID: affiliateID(ofGroup: group), market: markets[group])
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
            let firstKey = Array(firstID) + [0] + AffiliateMarketTotals.codeBytes(markets[Int(first)])
            let secondKey = Array(secondID) + [0] + AffiliateMarketTotals.codeBytes(markets[Int(second)])
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
    var ordered = [UInt32](repeating: 0, count: count)
    for group in 0..<count {
      let rank = rankOfAffiliate[affiliate(ofGroup: group)]
      ordered[next[rank]] = UInt32(group)
      next[rank] += 1
    }
    for rank in 0..<affiliates.count where starts[rank + 1] - starts[rank] > 1 {
      ordered[starts[rank]..<starts[rank + 1]].sort { markets[Int($0)].packedCode < markets[Int($1)].packedCode }
    }
    return ordered
  }

  private static func codeBytes(_ market: Country) -> [UInt8] {
    [UInt8(truncatingIfNeeded: market.packedCode >> 8), UInt8(truncatingIfNeeded: market.packedCode)]
  }

  /// The group of `key`, made (with zero sums) when new.
  private func group(key: UInt64, market: Country) -> Int {
    var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> slotShift)
    let mask = slots.count - 1
    let found: Int? = slots.withUnsafeBufferPointer { slots -> Int? in
      while true {
        let entry = slots[slot]
        if entry == 0 { return nil }
        if UInt64(bitPattern: record(Int(entry) - 1)[AffiliateMarketTotals.keyWord]) == key { return Int(entry) - 1 }
        slot = (slot + 1) & mask
      }
    }
    if let found { return found }
    precondition(count < AffiliateMarketTotals.groupsMax, "more than \(AffiliateMarketTotals.groupsMax) groups")
    let group = count
    if group % AffiliateMarketTotals.pageGroups == 0 {
      pages.append(.allocate(capacity: AffiliateMarketTotals.pageGroups * recordWords))
    }
    let fresh = record(group)
    fresh.initialize(repeating: 0, count: recordWords)
    fresh[AffiliateMarketTotals.keyWord] = Int64(bitPattern: key)
    markets.append(market)
    slots[slot] = UInt32(group + 1)
    if count * 4 > slots.count * 3 { grow() }
    return group
  }

  private func grow() {
    slots = [UInt32](repeating: 0, count: slots.count * 2)
    slotShift -= 1
    let mask = slots.count - 1
    for group in 0..<count {
      let key = UInt64(bitPattern: record(group)[AffiliateMarketTotals.keyWord])
      var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> slotShift)
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = UInt32(group + 1)
    }
  }
}

/// One thread's orders on their way to the shared `AffiliateMarketTotals`: queued, then added a
/// batch at a time, so the table's lock is taken once per `batchOrders` orders.
///
/// When another thread holds the lock the queue keeps growing and tries again at the next batch;
/// only at `queuedMax` orders does it wait. Affiliate ids are numbered through a table of this
/// thread's own, which asks the shared table (under its lock) only on an id's first sighting here.
/// The queue is fixed storage of `queuedMax` orders, so queueing one is four stores.
struct TotalsQueue {
  let totals: AffiliateMarketTotals
  /// This thread's affiliates, and the shared number of each.
  private var localAffiliates = ByteStringTable(capacity: 1 << 12)
  private var sharedNumberOfLocal: [Int] = []
  private let storage: Storage
  /// Orders queued.
  private var queued = 0

  /// Orders queued before the lock is tried.
  static let batchOrders = 32
  /// Orders queued at most: past this the queue waits for the lock.
  static let queuedMax = 256

  /// The queued orders' keys, markets, sales and commissions (`tierCount` each), `queuedMax` of each.
  private final class Storage {
    let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: TotalsQueue.queuedMax)
    let markets = UnsafeMutablePointer<Country>.allocate(capacity: TotalsQueue.queuedMax)
    let sales = UnsafeMutablePointer<Int64>.allocate(capacity: TotalsQueue.queuedMax)
    let commissions: UnsafeMutablePointer<Int64>

    init(tierCount: Int) {
      commissions = .allocate(capacity: TotalsQueue.queuedMax * tierCount)
    }

    deinit {
      keys.deallocate()
      markets.deallocate()
      sales.deallocate()
      commissions.deallocate()
    }
  }

  init(totals: AffiliateMarketTotals) {
    self.totals = totals
    storage = Storage(tierCount: totals.tierCount)
  }

  /// Queues one qualifying order for the group of this affiliate id and market.
  /// - Returns: nil, or the affiliate id and market of a group whose sums would pass 64 bits.
  mutating func enqueue(
    affiliateID: UnsafeBufferPointer<UInt8>, market: Country, sales addedSales: Int64,
    commissions addedCommissions: UnsafeBufferPointer<Int64>
  ) -> (affiliateID: String, market: Country)? {
    precondition(queued < TotalsQueue.queuedMax, "a full queue is added before another order is queued")
    let tierCount = totals.tierCount
    precondition(addedCommissions.count == tierCount, "a commission per tier level")
    let (local, inserted) = localAffiliates.insert(affiliateID)
    if inserted { sharedNumberOfLocal.append(totals.affiliateNumber(affiliateID)) }
    (storage.keys + queued).initialize(to: UInt64(sharedNumberOfLocal[local]) << 16 | UInt64(market.packedCode))
    (storage.markets + queued).initialize(to: market)
    (storage.sales + queued).initialize(to: addedSales)
    for tier in 0..<tierCount {
      (storage.commissions + queued * tierCount + tier).initialize(to: addedCommissions[tier])
    }
    queued += 1
    guard queued % TotalsQueue.batchOrders == 0 else { return nil }
    return add(waiting: queued >= TotalsQueue.queuedMax)
  }

  /// Adds every queued order: done before any total is read.
  /// - Returns: nil, or the affiliate id and market of a group whose sums would pass 64 bits.
  mutating func addQueued() -> (affiliateID: String, market: Country)? {
    add(waiting: true)
  }

  private mutating func add(waiting: Bool) -> (affiliateID: String, market: Country)? {
    guard queued > 0 else { return nil }
    let added = totals.add(
      keys: UnsafeBufferPointer(start: storage.keys, count: queued),
      markets: UnsafeBufferPointer(start: storage.markets, count: queued),
      sales: UnsafeBufferPointer(start: storage.sales, count: queued),
      commissions: UnsafeBufferPointer(start: storage.commissions, count: queued * totals.tierCount), waiting: waiting)
    switch added {
    case .busy: return nil
    case .added:
      queued = 0
      return nil
    case .overflow(let affiliateID, let market): return (affiliateID, market)
    }
  }
}

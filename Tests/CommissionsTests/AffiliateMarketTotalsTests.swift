import Countries
import Dispatch
import Testing

@testable import Commissions

/// One table of totals fed by several threads' queues: every order is added once, whatever the
/// interleaving; groups spill over record pages; a sum past 64 bits is reported, not wrapped.
struct AffiliateMarketTotalsTests {
  static let markets = ["US", "DE", "JP", "BR", "ZA", "AU", "FR"].compactMap { try? Country(code: $0) }

  /// Order `index`'s affiliate, market, sales and commissions at two tier levels.
  static func order(_ index: Int, affiliates: Int) -> (id: String, market: Country, sales: Int64, commissions: [Int64])
  {
    let market = markets[(index / affiliates) % markets.count]
    let sales = Int64(index % 997 + 1)
    return ("AFF\(index % affiliates)", market, sales, [sales / 10, sales / 5])
  }

  /// Enqueues orders `range` through one queue, then adds what is still queued.
  static func enqueue(_ range: Range<Int>, affiliates: Int, into totals: AffiliateMarketTotals) {
    var queue = TotalsQueue(totals: totals)
    for index in range {
      let order = order(index, affiliates: affiliates)
      var id = order.id
      let overflow = id.withUTF8 { id in
        order.commissions.withUnsafeBufferPointer { commissions in
          queue.enqueue(affiliateID: id, market: order.market, sales: order.sales, commissions: commissions)
        }
      }
      #expect(overflow == nil)
    }
    #expect(queue.addQueued() == nil)
  }

  /// The sums per group, read back, by "affiliate/market".
  static func sums(_ totals: AffiliateMarketTotals) -> [String: [Int64]] {
    var sums: [String: [Int64]] = [:]
    for group in 0..<totals.count {
      sums["\(totals.affiliateID(ofGroup: group))/\(totals.market(ofGroup: group))"] = [
        Int64(totals.orders(ofGroup: group)), totals.sales(ofGroup: group),
        totals.commission(ofGroup: group, tier: 0), totals.commission(ofGroup: group, tier: 1),
      ]
    }
    return sums
  }

  @Test func twoThreadsAddEveryOrderOnce() throws {
    let orderCount = 200_000
    let affiliates = 4_001
    let sequential = try AffiliateMarketTotals(tierCount: 2, groupsMax: 1 << 20)
    Self.enqueue(0..<orderCount, affiliates: affiliates, into: sequential)
    let shared = try AffiliateMarketTotals(tierCount: 2, groupsMax: 1 << 20)
    // Interleaved slices, so both threads meet the same groups and contend for the lock.
    DispatchQueue.concurrentPerform(iterations: 2) { thread in
      for slice in stride(from: thread * 1_000, to: orderCount, by: 2_000) {
        Self.enqueue(slice..<min(slice + 1_000, orderCount), affiliates: affiliates, into: shared)
      }
    }
    // 4,001 affiliates over 7 markets: 28,007 groups.
    #expect(sequential.count == affiliates * Self.markets.count)
    #expect(shared.count == sequential.count)
    let expected = Self.sums(sequential)
    #expect(Self.sums(shared) == expected)
    #expect(expected.values.reduce(0) { $0 + $1[0] } == Int64(orderCount))
    #expect(expected["AFF7/US"] == Self.expectedSums(affiliate: 7, market: "US", orderCount, affiliates))
  }

  /// One group's sums worked out from the orders directly.
  static func expectedSums(affiliate: Int, market: String, _ orderCount: Int, _ affiliates: Int) -> [Int64] {
    var sums: [Int64] = [0, 0, 0, 0]
    for index in 0..<orderCount {
      let order = order(index, affiliates: affiliates)
      guard order.id == "AFF\(affiliate)", order.market.code == market else { continue }
      sums[0] += 1
      sums[1] += order.sales
      sums[2] += order.commissions[0]
      sums[3] += order.commissions[1]
    }
    return sums
  }

  @Test func groupsComeInFileOrder() throws {
    let totals = try AffiliateMarketTotals(tierCount: 2, groupsMax: 1 << 20)
    Self.enqueue(0..<5_000, affiliates: 37, into: totals)
    let keys = totals.groupsInFileOrder().map { group in
      Array(totals.affiliateID(ofGroup: Int(group)).utf8) + [0] + Array(totals.market(ofGroup: Int(group)).code.utf8)
    }
    #expect(keys.count == totals.count)
    #expect(zip(keys, keys.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) })
  }

  @Test func aSumPast64BitsIsReported() throws {
    let totals = try AffiliateMarketTotals(tierCount: 1, groupsMax: 1 << 20)
    var queue = TotalsQueue(totals: totals)
    let market = try Country(code: "NL")
    var id = "AFF-BIG"
    let first = id.withUTF8 { id in
      [Int64(1)].withUnsafeBufferPointer {
        queue.enqueue(affiliateID: id, market: market, sales: .max, commissions: $0)
      }
    }
    #expect(first == nil)
    let second = id.withUTF8 { id in
      [Int64(1)].withUnsafeBufferPointer { queue.enqueue(affiliateID: id, market: market, sales: 1, commissions: $0) }
    }
    #expect(second == nil, "queued, not added yet")
    #expect(queue.addQueued() == .overflow(affiliateID: "AFF-BIG", market: market))
    #expect(totals.sales(ofGroup: 0) == .max, "the group is left as it was")
  }

  /// The records' room is reserved for the most groups the orders can make: one more is refused
  /// (the orders grew while they were read), after the orders before it were added.
  @Test func aGroupPastTheReservedRoomIsReported() throws {
    let totals = try AffiliateMarketTotals(tierCount: 1, groupsMax: 3)
    var queue = TotalsQueue(totals: totals)
    let market = try Country(code: "NL")
    for affiliate in 0..<4 {
      var id = "AFF\(affiliate)"
      let problem = id.withUTF8 { id in
        [Int64(5)].withUnsafeBufferPointer { queue.enqueue(affiliateID: id, market: market, sales: 7, commissions: $0) }
      }
      #expect(problem == nil, "queued, not added yet")
    }
    #expect(queue.addQueued() == .tooManyGroups(3))
    #expect(totals.count == 3)
    #expect((0..<3).map { totals.sales(ofGroup: $0) } == [7, 7, 7])
  }
}

/// A slot keeps 32 bits of its key's hash, and a probe passes slots whose tag differs without
/// reading their records: keys whose hashes share their slot and tag (made by inverting the
/// multiplicative hash) must still be told apart by their records.
struct AffiliateMarketTotalsTagTests {
  /// The multiplicative inverse modulo 2⁶⁴ of the hash's odd multiplier (Newton's iteration).
  static func inverse(_ odd: UInt64) -> UInt64 {
    var inverse = odd
    for _ in 0..<6 { inverse = inverse &* (2 &- odd &* inverse) }
    return inverse
  }

  @Test func keysWithTheSameSlotAndTagAreDifferentGroups() throws {
    let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
    let inverse = Self.inverse(multiplier)
    #expect(multiplier &* inverse == 1)
    // Hashes differing only in their lowest 8 bits: same home slot, same tag, different keys.
    let base: UInt64 = 0x1234_5678_9ABC_DE00
    let keys = (0..<6).map { (base | UInt64($0 * 37)) &* inverse }
    #expect(Set(keys).count == keys.count)
    let totals = try AffiliateMarketTotals(tierCount: 1, groupsMax: 1 << 20)
    for round in 1...3 {
      // Each batch holds every key, so the lookups of one batch meet the slots the others made.
      let order = keys.indices.flatMap { index in Array(repeating: keys[index], count: index + 1) }
      let sales = order.map { key in Int64(keys.firstIndex(of: key) ?? 0) + 1 }
      let added = order.withUnsafeBufferPointer { keyBuffer in
        sales.withUnsafeBufferPointer { salesBuffer in
          sales.withUnsafeBufferPointer { commissions in
            totals.add(keys: keyBuffer, sales: salesBuffer, commissions: commissions, waiting: true)
          }
        }
      }
      guard case .added = added else {
        Issue.record("round \(round): \(added)")
        return
      }
      #expect(totals.count == keys.count)
      for group in 0..<totals.count {
        // Key `group` comes `group + 1` times a round, with sales of `group + 1` each.
        #expect(totals.sales(ofGroup: group) == Int64(round * (group + 1) * (group + 1)), "group \(group)")
        #expect(totals.orders(ofGroup: group) == round * (group + 1), "group \(group)")
      }
    }
  }
}

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
      sums["\(totals.affiliateID(ofGroup: group))/\(totals.markets[group])"] = [
        Int64(totals.orders(ofGroup: group)), totals.sales(ofGroup: group),
        totals.commission(ofGroup: group, tier: 0), totals.commission(ofGroup: group, tier: 1),
      ]
    }
    return sums
  }

  @Test func twoThreadsAddEveryOrderOnce() {
    let orderCount = 200_000
    let affiliates = 4_001
    let sequential = AffiliateMarketTotals(tierCount: 2)
    Self.enqueue(0..<orderCount, affiliates: affiliates, into: sequential)
    let shared = AffiliateMarketTotals(tierCount: 2)
    // Interleaved slices, so both threads meet the same groups and contend for the lock.
    DispatchQueue.concurrentPerform(iterations: 2) { thread in
      for slice in stride(from: thread * 1_000, to: orderCount, by: 2_000) {
        Self.enqueue(slice..<min(slice + 1_000, orderCount), affiliates: affiliates, into: shared)
      }
    }
    // 4,001 affiliates over 7 markets: 28,007 groups, past one page of records.
    #expect(sequential.count == affiliates * Self.markets.count)
    #expect(sequential.count > AffiliateMarketTotals.pageGroups)
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
    let totals = AffiliateMarketTotals(tierCount: 2)
    Self.enqueue(0..<5_000, affiliates: 37, into: totals)
    let keys = totals.groupsInFileOrder().map { group in
      Array(totals.affiliateID(ofGroup: Int(group)).utf8) + [0] + Array(totals.markets[Int(group)].code.utf8)
    }
    #expect(keys.count == totals.count)
    #expect(zip(keys, keys.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) })
  }

  @Test func aSumPast64BitsIsReported() throws {
    let totals = AffiliateMarketTotals(tierCount: 1)
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
    let overflow = queue.addQueued()
    #expect(overflow?.affiliateID == "AFF-BIG")
    #expect(overflow?.market == market)
    #expect(totals.sales(ofGroup: 0) == .max, "the group is left as it was")
  }
}

import Money
import Testing

@Suite("Allocation by weights")
struct AllocationTests {
  let usd: Currency

  init() throws { usd = try Currency(code: "USD") }

  private func allocate(_ minorUnits: Int64, _ weights: [UInt64]) -> [Int64] {
    Money(minorUnits: minorUnits, currency: usd).allocated(byWeights: weights).map(\.minorUnits)
  }

  @Test("an even split has no leftover")
  func evenSplit() {
    #expect(allocate(300, [1, 1, 1]) == [100, 100, 100])
    #expect(allocate(1000, [1, 2, 3, 4]) == [100, 200, 300, 400])
  }

  @Test("equal remainders: the leftover goes to the earlier parts")
  func tiesGoEarlier() {
    #expect(allocate(100, [1, 1, 1]) == [34, 33, 33])
    #expect(allocate(101, [1, 1, 1]) == [34, 34, 33])
    #expect(allocate(2, [1, 1, 1, 1]) == [1, 1, 0, 0])
    #expect(allocate(1, [5, 5]) == [1, 0])
  }

  @Test("the leftover goes to the largest remainders, not simply to the first parts")
  func largestRemainder() {
    // 100 × 3/21 = 14 r 6, 100 × 7/21 = 33 r 7, 100 × 11/21 = 52 r 8: one unit left, to the last part.
    #expect(allocate(100, [3, 7, 11]) == [14, 33, 53])
    // 10 × 1/6 = 1 r 4, 10 × 2/6 = 3 r 2, 10 × 3/6 = 5 r 0: one unit left, to the first part.
    #expect(allocate(10, [1, 2, 3]) == [2, 3, 5])
  }

  @Test("a negative amount is split like its magnitude, every part negative or zero")
  func negativeAmount() {
    #expect(allocate(-100, [1, 1, 1]) == [-34, -33, -33])
    #expect(allocate(-100, [3, 7, 11]) == [-14, -33, -53])
    #expect(allocate(-1, [1, 1]) == [-1, 0])
  }

  @Test("a single weight takes everything, at both ends of 64 bits")
  func singleWeight() {
    #expect(allocate(12345, [7]) == [12345])
    #expect(allocate(Int64.max, [1]) == [Int64.max])
    #expect(allocate(Int64.min, [UInt64.max]) == [Int64.min])
  }

  @Test("zero splits into zeros; a weight of zero gets nothing")
  func zeros() {
    #expect(allocate(0, [1, 2, 3]) == [0, 0, 0])
    #expect(allocate(5, [0, 1]) == [0, 5])
    #expect(allocate(5, [1, 0, 1]) == [3, 0, 2])
    #expect(allocate(-5, [0, 0, 3]) == [0, 0, -5])
  }

  @Test("the extremes of 64 bits: the parts still add up without overflowing")
  func extremes() {
    #expect(allocate(Int64.max, [1, 1]) == [4_611_686_018_427_387_904, 4_611_686_018_427_387_903])
    #expect(allocate(Int64.min, [1, 1]) == [-4_611_686_018_427_387_904, -4_611_686_018_427_387_904])
    #expect(
      allocate(Int64.max, [UInt64.max, UInt64.max, UInt64.max]) == [
        3_074_457_345_618_258_603, 3_074_457_345_618_258_602, 3_074_457_345_618_258_602,
      ])
    #expect(allocate(Int64.min, [UInt64.max, 1]).reduce(Int128(0)) { $0 + Int128($1) } == Int128(Int64.min))
  }

  @Test("parts keep the currency")
  func currencyKept() throws {
    let jpy = try Currency(code: "JPY")
    let parts = Money(minorUnits: 19465, currency: jpy).allocated(byWeights: [1, 2])
    #expect(parts.map(\.description) == ["6488 JPY", "12977 JPY"])
  }

  @Test("random splits add up, stay within one minor unit of the exact share, and favour the largest remainders")
  func randomSplits() {
    var generator = SeededGenerator(seed: 0xA110C)
    for _ in 0..<3000 {
      let amount: Int64 =
        Bool.random(using: &generator)
        ? Int64.random(in: -1_000_000...1_000_000, using: &generator)
        : Int64.random(in: Int64.min...Int64.max, using: &generator)
      let count = Int.random(in: 1...20, using: &generator)
      var weights = (0..<count).map { _ in UInt64.random(in: 0...UInt64(UInt32.max), using: &generator) }
      if Int.random(in: 0..<5, using: &generator) == 0 {
        weights = weights.map { $0 % 4 }  // small weights make many equal remainders
      }
      if weights.allSatisfy({ $0 == 0 }) { weights[0] = 1 }
      let weightTotal = weights.reduce(Int128(0)) { $0 + Int128($1) }
      let parts = allocate(amount, weights)

      #expect(parts.count == weights.count)
      #expect(parts.reduce(Int128(0)) { $0 + Int128($1) } == Int128(amount), "\(amount) by \(weights)")
      var remainders: [Int128] = []
      var bumped: [Bool] = []
      for (part, weight) in zip(parts, weights) {
        // |part − amount × weight ÷ total| < 1, in integers: |part × total − amount × weight| < total.
        let exactTimesTotal = Int128(amount) * Int128(weight)
        let gap = Int128(part) * weightTotal - exactTimesTotal
        #expect(gap.magnitude < weightTotal.magnitude, "\(part) of \(amount) by \(weights)")
        #expect(amount >= 0 ? part >= 0 : part <= 0)
        let truncated = exactTimesTotal.magnitude / weightTotal.magnitude
        remainders.append(Int128(exactTimesTotal.magnitude % weightTotal.magnitude))
        bumped.append(UInt128(part.magnitude) != truncated)
      }
      // Every part that got a leftover unit has a larger remainder than every part that did not,
      // or an equal one and an earlier index.
      for winner in parts.indices where bumped[winner] {
        for loser in parts.indices where !bumped[loser] {
          let ranksHigher =
            remainders[winner] > remainders[loser] || (remainders[winner] == remainders[loser] && winner < loser)
          #expect(ranksHigher, "\(amount) by \(weights): part \(winner) bumped before part \(loser)")
        }
      }
    }
  }

  @Test("no weights is a programmer error")
  func noWeights() async {
    await #expect(processExitsWith: .failure) {
      let usd = try Currency(code: "USD")
      _ = Money(minorUnits: 100, currency: usd).allocated(byWeights: [])
    }
  }

  @Test("weights that sum to zero are a programmer error")
  func zeroWeights() async {
    await #expect(processExitsWith: .failure) {
      let usd = try Currency(code: "USD")
      _ = Money(minorUnits: 100, currency: usd).allocated(byWeights: [0, 0])
    }
  }
}

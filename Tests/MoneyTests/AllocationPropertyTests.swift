import Money
import PropertyBased
import Testing

@Suite("Allocation, as properties")
struct AllocationPropertyTests {
  /// Weights: mostly small, some anywhere in 64 bits, some at the edges; at least one above zero.
  static let weights = Gen.frequency(
    (3, Gen.uint64(in: 0...1000)),
    (1, Gen.uint64()),
    (1, MoneyGen.oneOf([0, 1, UInt64.max, UInt64.max - 1]))
  ).array(of: 1...16).filter { weights in weights.contains { $0 > 0 } }

  @Test("the parts add up to the whole, and none is a minor unit or more from its exact share")
  func partsAddUpAndStayNearTheirShares() async {
    var partCount = 0
    await propertyCheck(count: 5000, input: MoneyGen.money, Self.weights) { money, weights in
      let parts = money.allocated(byWeights: weights)
      #expect(parts.count == weights.count)
      #expect(parts.allSatisfy { $0.currency == money.currency })
      #expect(parts.reduce(Int128(0)) { $0 + Int128($1.minorUnits) } == Int128(money.minorUnits))
      // |part - amount × weight ÷ total| < 1, multiplied out: |part × total - amount × weight| < total.
      let total = weights.reduce(BigNatural.zero) { $0 + BigNatural($1) }
      for (part, weight) in zip(parts, weights) {
        #expect(part.minorUnits == 0 || (part.minorUnits < 0) == (money.minorUnits < 0), "\(part) of \(money)")
        let scaledPart = BigNatural(magnitudeOf: part.minorUnits) * total
        let scaledShare = BigNatural(magnitudeOf: money.minorUnits) * BigNatural(weight)
        let distance = scaledPart < scaledShare ? scaledShare - scaledPart : scaledPart - scaledShare
        #expect(distance < total, "\(part) of \(money) by \(weights)")
        partCount += 1
      }
    }
    print("allocation property: 5000 allocations, \(partCount) parts")
  }

  @Test("equal weights give parts at most one minor unit apart, the larger ones first")
  func equalWeights() async {
    await propertyCheck(count: 3000, input: MoneyGen.money, Gen.int(in: 1...40), Gen.uint64(in: 1...UInt64.max)) {
      money, count, weight in
      let parts = money.allocated(byWeights: Array(repeating: weight, count: count)).map { $0.minorUnits.magnitude }
      #expect(zip(parts, parts.dropFirst()).allSatisfy { $0 == $1 || $0 == $1 + 1 }, "\(money) in \(count)")
    }
  }
}

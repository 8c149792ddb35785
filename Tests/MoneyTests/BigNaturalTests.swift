import Money
import PropertyBased
import Testing

/// The test reference's own arithmetic, against Swift's 128-bit integers where those suffice.
@Suite("BigNatural, the tests' wide reference")
struct BigNaturalTests {
  @Test("sums, differences, products, quotients and remainders agree with UInt128 on 64-bit operands")
  func arithmetic() async {
    await propertyCheck(count: 2000, input: Gen.uint64(), Gen.uint64(), Gen.uint64(in: 1...UInt64.max)) {
      first, second, divisor in
      let (big, small) = (max(first, second), min(first, second))
      #expect((BigNatural(first) + BigNatural(second)).description == String(UInt128(first) + UInt128(second)))
      #expect((BigNatural(big) - BigNatural(small)).description == String(big - small))
      let product = UInt128(first) * UInt128(second)
      #expect((BigNatural(first) * BigNatural(second)).description == String(product))
      let (quotient, remainder) = (BigNatural(first) * BigNatural(second))
        .quotientAndRemainder(dividingBy: BigNatural(divisor))
      #expect(quotient.description == String(product / UInt128(divisor)))
      #expect(remainder.description == String(product % UInt128(divisor)))
      #expect((BigNatural(first) < BigNatural(second)) == (first < second))
      #expect(BigNatural(first).uint64 == first)
    }
  }

  @Test("the binary greatest common divisor agrees with Euclid's in 64 bits")
  func greatestCommonDivisor() async {
    await propertyCheck(
      count: 2000, input: Gen.uint64(in: 0...1 << 40), Gen.uint64(in: 0...1 << 40), Gen.uint64(in: 1...1 << 20)
    ) {
      first, second, shared in
      var (a, b) = (first * shared, second * shared)
      while b != 0 { (a, b) = (b, a % b) }
      #expect(
        BigNatural.greatestCommonDivisor(BigNatural(first * shared), BigNatural(second * shared)) == BigNatural(a))
    }
  }

  @Test("powers of ten, halving, and what fits in 64 bits")
  func edges() {
    #expect(BigNatural.powerOfTen(0) == .one)
    #expect(BigNatural.powerOfTen(40).description == "1" + String(repeating: "0", count: 40))
    #expect(BigNatural(UInt64.max).uint64 == UInt64.max)
    #expect((BigNatural(UInt64.max) + .one).uint64 == nil)
    #expect((BigNatural(UInt64.max) + .one).halved == BigNatural(UInt64(1) << 63))
    #expect(BigNatural.signedInt64(magnitude: BigNatural(UInt64(1) << 63), isNegative: true) == Int64.min)
    #expect(BigNatural.signedInt64(magnitude: BigNatural(UInt64(1) << 63), isNegative: false) == nil)
    #expect(BigNatural.signedInt64(magnitude: BigNatural(UInt64(Int64.max)), isNegative: false) == Int64.max)
    #expect(BigNatural.signedInt64(magnitude: .zero, isNegative: true) == 0)
  }

  @Test("rounding a quotient agrees with the Int128 reference in every mode")
  func roundingAgreesWithInt128Reference() async {
    await propertyCheck(
      count: 3000, input: Gen.int64(), Gen.int64(in: 1...Int64.max), Gen<RoundingMode>.case
    ) { numerator, denominator, mode in
      let quotient = ExactQuotient(
        magnitude: BigNatural(magnitudeOf: numerator), over: BigNatural(UInt64(denominator)), isNegative: numerator < 0)
      let expected = referenceRounded(Int128(numerator), over: Int128(denominator), mode)
      #expect(quotient.roundedInt64(mode).map { Int128($0) } == expected)
    }
    // Ties, where the modes part: every odd numerator over 2.
    for mode in RoundingMode.allCases {
      for numerator in Int64(-9)...9 {
        let quotient = ExactQuotient(
          magnitude: BigNatural(magnitudeOf: numerator), over: BigNatural(2), isNegative: numerator < 0)
        #expect(quotient.roundedInt64(mode).map { Int128($0) } == referenceRounded(Int128(numerator), over: 2, mode))
      }
    }
  }
}

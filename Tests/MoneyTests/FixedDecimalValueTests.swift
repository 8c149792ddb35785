import Money
import Testing

@Suite("FixedDecimal values")
struct FixedDecimalValueTests {
  @Test("equality compares values across scales, and equal values hash alike")
  func equalityAcrossScales() throws {
    let short = try FixedDecimal("1.5")
    let long = try FixedDecimal("1.50000")
    #expect(short == long)
    #expect(short.hashValue == long.hashValue)
    #expect(Set([short, long, try FixedDecimal("1.500")]).count == 1)
    #expect(try FixedDecimal("0") == FixedDecimal("0.000000000000000000"))
    #expect(try FixedDecimal("-0.10").hashValue == FixedDecimal("-0.1").hashValue)
    #expect(try FixedDecimal("2").hashValue == FixedDecimal("2.0").hashValue)
    #expect(try FixedDecimal("-300").hashValue == FixedDecimal("-300.000000").hashValue)
  }

  @Test("inequality: values one unit apart in the last place differ")
  func inequality() throws {
    #expect(try FixedDecimal("1.5") != FixedDecimal("1.500001"))
    #expect(try FixedDecimal("1.5") != FixedDecimal("-1.5"))
    #expect(try FixedDecimal("0.000000000000000001") != FixedDecimal("0"))
    #expect(Set([try FixedDecimal("1.5"), try FixedDecimal("1.05")]).count == 2)
  }

  @Test("ordering is by value, sign included, at the extremes of 64 bits")
  func ordering() throws {
    let ascending = [
      FixedDecimal(significand: Int64.min, scale: 0),
      FixedDecimal(significand: Int64.min, scale: 18),  // -9.22…
      FixedDecimal(significand: -1, scale: 0),
      FixedDecimal(significand: -1, scale: 18),
      FixedDecimal(significand: 0, scale: 5),
      FixedDecimal(significand: 1, scale: 18),
      FixedDecimal(significand: Int64.max, scale: 18),  // 9.22…
      FixedDecimal(significand: 10, scale: 0),
      FixedDecimal(significand: Int64.max, scale: 0),
    ]
    for (lowerIndex, lower) in ascending.enumerated() {
      for (higherIndex, higher) in ascending.enumerated() {
        #expect((lower < higher) == (lowerIndex < higherIndex), "\(lower) < \(higher)")
        #expect((lower == higher) == (lowerIndex == higherIndex), "\(lower) == \(higher)")
      }
    }
    #expect(ascending.shuffled().sorted() == ascending)
  }

  @Test("the sign predicates")
  func signPredicates() throws {
    let negative = try FixedDecimal("-0.01")
    let zero = try FixedDecimal("0.00")
    let positive = try FixedDecimal("0.01")
    #expect(negative.isNegative && !negative.isZero && !negative.isPositive)
    #expect(!zero.isNegative && zero.isZero && !zero.isPositive)
    #expect(!positive.isNegative && !positive.isZero && positive.isPositive)
  }

  @Test("description pads with zeros and keeps every scale digit")
  func description() {
    #expect(FixedDecimal(significand: 5, scale: 3).description == "0.005")
    #expect(FixedDecimal(significand: -5, scale: 3).description == "-0.005")
    #expect(FixedDecimal(significand: 1000, scale: 3).description == "1.000")
    #expect(FixedDecimal(significand: 0, scale: 2).description == "0.00")
    #expect(FixedDecimal(significand: Int64.max, scale: 0).description == "9223372036854775807")
    #expect(FixedDecimal(significand: Int64.min, scale: 0).description == "-9223372036854775808")
    #expect(FixedDecimal(significand: Int64.min, scale: 18).description == "-9.223372036854775808")
    #expect(FixedDecimal(significand: 1, scale: 18).description == "0.000000000000000001")
  }

  @Test("appendText appends the description's bytes after what is there, at every scale")
  func appendText() {
    let significands: [Int64] = [0, 1, -1, 9, -10, 12_345, Int64.max, Int64.min]
    for scale in 0...FixedDecimal.scaleMax {
      for significand in significands {
        let decimal = FixedDecimal(significand: significand, scale: scale)
        var bytes = Array("amount=".utf8)
        decimal.appendText(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "amount=" + decimal.description, "\(decimal)")
      }
    }
    var bytes: [UInt8] = []
    FixedDecimal(significand: -5, scale: 3).appendText(to: &bytes)
    #expect(bytes == Array("-0.005".utf8))
  }

  @Test("rescaling up keeps the value; to the same scale is the identity")
  func rescaleUp() throws {
    let rate = try FixedDecimal("1.0845")
    let wider = try #require(rate.rescaled(to: 8))
    #expect(wider.significand == 108_450_000)
    #expect(wider.scale == 8)
    #expect(wider.description == "1.08450000")
    #expect(rate.rescaled(to: 4) == rate)
    #expect(try #require(rate.rescaled(to: 4)).scale == 4)
  }

  @Test("rescaling refuses to overflow 64 bits: one past the limit is nil")
  func rescaleUpOverflow() {
    // 922337203685477580.7 fits at scale 1; 922337203685477580 × 10 = 9223372036854775800 fits too.
    let fits = FixedDecimal(significand: 922_337_203_685_477_580, scale: 0)
    #expect(fits.rescaled(to: 1)?.significand == 9_223_372_036_854_775_800)
    let onePast = FixedDecimal(significand: 922_337_203_685_477_581, scale: 0)
    #expect(onePast.rescaled(to: 1) == nil)
    let negativeFits = FixedDecimal(significand: -922_337_203_685_477_580, scale: 0)
    #expect(negativeFits.rescaled(to: 1)?.significand == -9_223_372_036_854_775_800)
    #expect(FixedDecimal(significand: -922_337_203_685_477_581, scale: 0).rescaled(to: 1) == nil)
    #expect(FixedDecimal(significand: 1, scale: 0).rescaled(to: 18)?.significand == 1_000_000_000_000_000_000)
    #expect(FixedDecimal(significand: 10, scale: 0).rescaled(to: 18) == nil)
  }

  @Test("rescaling down drops only zeros; a nonzero digit makes it nil")
  func rescaleDown() throws {
    #expect(try FixedDecimal("12.500").rescaled(to: 1) == FixedDecimal("12.5"))
    #expect(try FixedDecimal("12.500").rescaled(to: 1)?.description == "12.5")
    #expect(try FixedDecimal("-12.000").rescaled(to: 0)?.description == "-12")
    #expect(try FixedDecimal("12.505").rescaled(to: 2) == nil)
    #expect(try FixedDecimal("-12.001").rescaled(to: 0) == nil)
    #expect(try FixedDecimal("0.000000000000000001").rescaled(to: 17) == nil)
  }
}

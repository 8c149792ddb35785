import Money
import Testing

/// One random conversion case and its exact value, worked out in the test without `Conversion`.
private struct ConversionCase {
  let source: Currency
  let target: Currency
  let rateFrom: FixedDecimal
  let rateTo: FixedDecimal
  let percentage: FixedDecimal?
  let minorUnits: Int64

  /// `minorUnits × rateTo ÷ rateFrom (× percentage ÷ 100)` in target minor units, as `numerator / denominator`.
  ///
  /// Bounds: |minorUnits| < 2^63, rate significands ≤ 10^9, percentage significands ≤ 10^4, and at most
  /// 10^10 from scales on either side, so each side stays below 2^127 (checked, not assumed).
  func exactValue() -> (numerator: Int128, denominator: Int128)? {
    var numerator = Int128(minorUnits) * Int128(rateTo.significand)
    var denominator = Int128(rateFrom.significand)
    var numeratorExponent = Int(target.minorUnits) + Int(rateFrom.scale)
    var denominatorExponent = Int(source.minorUnits) + Int(rateTo.scale)
    if let percentage {
      numerator *= Int128(percentage.significand)
      denominator *= 100
      denominatorExponent += Int(percentage.scale)
    }
    let common = min(numeratorExponent, denominatorExponent)
    numeratorExponent -= common
    denominatorExponent -= common
    guard let numeratorScale = powerOfTen128(numeratorExponent),
      let denominatorScale = powerOfTen128(denominatorExponent)
    else { return nil }
    let (scaledNumerator, numeratorOverflow) = numerator.multipliedReportingOverflow(by: Int128(numeratorScale))
    let (scaledDenominator, denominatorOverflow) = denominator.multipliedReportingOverflow(by: Int128(denominatorScale))
    guard !numeratorOverflow, !denominatorOverflow else { return nil }
    return (scaledNumerator, scaledDenominator)
  }

  /// Whether the exact factor, reduced, fits in 64-bit numerator and denominator.
  func factorFits() -> Bool {
    guard
      let unit = ConversionCase(
        source: source, target: target, rateFrom: rateFrom, rateTo: rateTo, percentage: percentage, minorUnits: 1
      ).exactValue()
    else { return false }
    var (a, b) = (unit.numerator, unit.denominator)
    while b != 0 { (a, b) = (b, a % b) }
    let common = Swift.max(a, 1)
    return unit.numerator / common <= Int128(UInt64.max) && unit.denominator / common <= Int128(UInt64.max)
  }
}

/// A random rate: 1 to 9 significant digits at scale 0 to 6, never zero.
private func randomRate(_ generator: inout SeededGenerator) -> FixedDecimal {
  let digits = Int.random(in: 1...9, using: &generator)
  var upper: Int64 = 1
  for _ in 0..<digits { upper *= 10 }
  return FixedDecimal(
    significand: Int64.random(in: 1..<upper, using: &generator), scale: UInt8.random(in: 0...6, using: &generator))
}

/// A random amount, most of them ordinary, some at the ends of 64 bits.
private func randomMinorUnits(_ generator: inout SeededGenerator, largest: Int64) -> Int64 {
  switch Int.random(in: 0..<10, using: &generator) {
  case 0:
    let edges = [largest, -largest, largest - 1, -largest + 1, 0, 1, -1] + (largest == Int64.max ? [Int64.min] : [])
    return edges.randomElement(using: &generator) ?? 0
  case 1...3: return Int64.random(in: -largest...largest, using: &generator)
  default: return Int64.random(in: -10_000_000...10_000_000, using: &generator)
  }
}

@Suite("Conversion against an independent reference")
struct ConversionPropertyTests {
  @Test("random conversions in every rounding mode match Int128 rational arithmetic")
  func randomConversions() throws {
    let currencies = try ["JPY", "USD", "KWD", "CLF", "EUR", "BHD", "KRW"].map { try Currency(code: $0) }
    var generator = SeededGenerator(seed: 0x5E77_1E00)
    var converted = 0
    var overflowed = 0
    var refusedFactors = 0
    for _ in 0..<5000 {
      let shape = Int.random(in: 0..<20, using: &generator)
      let withPercentage = shape < 5
      // A few rates of 16 to 18 digits: their factors sit on both sides of 64 bits.
      let withHugeRate = shape == 19
      let percentage =
        withPercentage
        ? FixedDecimal(
          significand: Int64.random(in: 0...10_000, using: &generator),
          scale: UInt8.random(in: 0...3, using: &generator))
        : nil
      let rateTo =
        withHugeRate
        ? FixedDecimal(
          significand: Int64.random(in: 1_000_000_000_000_000...999_999_999_999_999_999, using: &generator),
          scale: UInt8.random(in: 0...8, using: &generator))
        : randomRate(&generator)
      let largest: Int64 = withHugeRate ? 1_000_000 : (withPercentage ? 1_000_000_000_000 : Int64.max)
      let testCase = ConversionCase(
        source: currencies.randomElement(using: &generator) ?? currencies[0],
        target: currencies.randomElement(using: &generator) ?? currencies[0],
        rateFrom: randomRate(&generator), rateTo: rateTo, percentage: percentage,
        minorUnits: randomMinorUnits(&generator, largest: largest))
      let exact = try #require(testCase.exactValue(), "reference overflowed for \(testCase)")

      let conversion: Conversion
      do {
        conversion = try Conversion(
          from: testCase.source, rate: testCase.rateFrom, to: testCase.target, rate: testCase.rateTo,
          percentage: testCase.percentage)
      } catch {
        #expect(error.kind == .factorOutOfRange)
        #expect(!testCase.factorFits(), "factor refused although it fits: \(testCase)")
        refusedFactors += 1
        continue
      }
      #expect(testCase.factorFits(), "factor accepted although it does not fit: \(testCase)")

      for mode in RoundingMode.allCases {
        let expected = referenceRounded(exact.numerator, over: exact.denominator, mode)
        let result = conversion.convertedMinorUnits(testCase.minorUnits, rounding: mode)
        if expected >= Int128(Int64.min) && expected <= Int128(Int64.max) {
          #expect(result.map { Int128($0) } == expected, "\(mode): \(testCase)")
          converted += 1
        } else {
          #expect(result == nil, "\(mode): \(testCase) should overflow, gave \(String(describing: result))")
          #expect(throws: MoneyError.self) { try conversion.convert(minorUnits: testCase.minorUnits, rounding: mode) }
          overflowed += 1
        }
      }
    }
    print("random conversions: \(converted) converted, \(overflowed) overflowed, \(refusedFactors) factors refused")
    // The generator must reach all three outcomes, or this test proves little.
    #expect(converted > 20_000)
    #expect(overflowed > 1_000)
    #expect(refusedFactors > 50)
  }

  @Test("converting an amount and its negation gives mirror images under the sign-symmetric modes")
  func symmetry() throws {
    let usd = try Currency(code: "USD")
    let jpy = try Currency(code: "JPY")
    var generator = SeededGenerator(seed: 42)
    for _ in 0..<2000 {
      let conversion = try Conversion(
        from: usd, rate: randomRate(&generator), to: jpy, rate: randomRate(&generator))
      let amount = Int64.random(in: 0...1_000_000_000, using: &generator)
      for mode in [RoundingMode.halfEven, .halfUp, .halfDown, .up, .down] {
        let positive = conversion.convertedMinorUnits(amount, rounding: mode)
        let negative = conversion.convertedMinorUnits(-amount, rounding: mode)
        #expect(negative == positive.map { -$0 })
      }
      // ceiling of −x is −(floor of x).
      let ceilingOfNegative = conversion.convertedMinorUnits(-amount, rounding: .ceiling)
      #expect(ceilingOfNegative == conversion.convertedMinorUnits(amount, rounding: .floor).map { -$0 })
    }
  }
}

import Money
import PropertyBased
import Testing

/// A conversion worked out from its rates in `BigNatural`, without `Conversion`: the exact factor and the exact
/// converted amount, so that nothing the library computes in 64 or 128 bits can overflow the reference.
struct ConversionReference: CustomStringConvertible {
  let source: Currency
  let target: Currency
  let rateFrom: FixedDecimal
  let rateTo: FixedDecimal
  let percentage: FixedDecimal?

  /// Target minor units per source minor unit, not reduced:
  /// `10^(target units) × rateTo × percentage ÷ (10^(source units) × rateFrom × 100)`, each decimal written as
  /// its significand over 10^scale. Rates are positive and the percentage is not negative.
  var factor: (numerator: BigNatural, denominator: BigNatural) {
    var numerator =
      BigNatural(magnitudeOf: rateTo.significand) * .powerOfTen(Int(target.minorUnits) + Int(rateFrom.scale))
    var denominator =
      BigNatural(magnitudeOf: rateFrom.significand) * .powerOfTen(Int(source.minorUnits) + Int(rateTo.scale))
    if let percentage {
      numerator = numerator * BigNatural(magnitudeOf: percentage.significand)
      denominator = denominator * BigNatural(100) * .powerOfTen(Int(percentage.scale))
    }
    return (numerator, denominator)
  }

  /// The factor in lowest terms.
  var reducedFactor: (numerator: BigNatural, denominator: BigNatural) {
    let (numerator, denominator) = factor
    let common = BigNatural.greatestCommonDivisor(numerator, denominator)
    return (numerator / common, denominator / common)
  }

  /// Whether the factor in lowest terms has a numerator and a denominator of 64 bits: what `Conversion` holds.
  var factorFits: Bool {
    let (numerator, denominator) = reducedFactor
    return numerator.uint64 != nil && denominator.uint64 != nil
  }

  /// `minorUnits` converted exactly, before any rounding.
  func exact(_ minorUnits: Int64) -> ExactQuotient {
    let (numerator, denominator) = factor
    return ExactQuotient(
      magnitude: BigNatural(magnitudeOf: minorUnits) * numerator, over: denominator, isNegative: minorUnits < 0)
  }

  func makeConversion() throws(MoneyError) -> Conversion {
    try Conversion(from: source, rate: rateFrom, to: target, rate: rateTo, percentage: percentage)
  }

  /// Expects `Conversion` to refuse exactly the factors whose lowest terms do not fit, to hold the others in lowest
  /// terms, and to convert `minorUnits` as the reference does in every mode.
  func expectConversion(
    of minorUnits: Int64, tally: inout OutcomeTally, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let conversion: Conversion
    do throws(MoneyError) {
      conversion = try makeConversion()
    } catch {
      #expect(error.kind == .factorOutOfRange, "\(self)", sourceLocation: sourceLocation)
      #expect(!factorFits, "refused although the factor fits: \(self)", sourceLocation: sourceLocation)
      tally.count("factor refused")
      return
    }
    #expect(factorFits, "accepted although the factor does not fit: \(self)", sourceLocation: sourceLocation)
    let (numerator, denominator) = reducedFactor
    #expect(BigNatural(conversion.numerator) == numerator, "\(self)", sourceLocation: sourceLocation)
    #expect(BigNatural(conversion.denominator) == denominator, "\(self)", sourceLocation: sourceLocation)
    expectAgreement(conversion, minorUnits: minorUnits, tally: &tally, sourceLocation: sourceLocation)
  }

  /// Expects `conversion` to give the reference's result for `minorUnits` in every mode, or to report overflow
  /// exactly when that result does not fit in 64 bits; counts the outcomes.
  func expectAgreement(
    _ conversion: Conversion, minorUnits: Int64, tally: inout OutcomeTally,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let exact = exact(minorUnits)
    for mode in RoundingMode.allCases {
      let expected = exact.roundedInt64(mode)
      #expect(
        conversion.convertedMinorUnits(minorUnits, rounding: mode) == expected,
        "\(mode) of \(minorUnits) minor units, exactly \(exact): \(self)", sourceLocation: sourceLocation)
      guard let expected else {
        let operation = "convert \(minorUnits) minor units of \(source) to \(target)"
        #expect(throws: MoneyError(.overflow, operation: operation), sourceLocation: sourceLocation) {
          try conversion.convert(minorUnits: minorUnits, rounding: mode)
        }
        tally.count("overflowed")
        continue
      }
      let converted = try? conversion.convert(Money(minorUnits: minorUnits, currency: source), rounding: mode)
      #expect(converted == Money(minorUnits: expected, currency: target), sourceLocation: sourceLocation)
      tally.count(exact.isExact ? "converted exactly" : "converted and rounded")
    }
  }

  var description: String {
    "\(source) at \(rateFrom) to \(target) at \(rateTo)" + (percentage.map { " × \($0) %" } ?? "")
  }
}

/// How often each outcome came up, so that a property cannot pass on cases that never reach it.
struct OutcomeTally: CustomStringConvertible {
  var counts: [String: Int] = [:]
  mutating func count(_ outcome: String) { counts[outcome, default: 0] += 1 }
  subscript(outcome: String) -> Int { counts[outcome, default: 0] }
  var description: String { counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
}

@Suite("Conversion, as properties against a BigNatural reference")
struct ConversionPropertyTests {
  @Test("converting gives the exact rational rounded once, in every rounding mode, or reports overflow")
  func convertsExactly() async {
    let tally = await expectConversions(
      count: 6000, rates: MoneyGen.rate, percentages: MoneyGen.percentage.optional(valueRate: 0.25))
    print("conversion property: \(tally)")
    // 6,000 cases × 7 modes; each outcome must come up, or the property proves little.
    #expect(tally["converted and rounded"] > 10_000, "\(tally)")
    #expect(tally["converted exactly"] > 1000, "\(tally)")
    #expect(tally["overflowed"] > 1000, "\(tally)")
    #expect(tally["factor refused"] > 20, "\(tally)")
  }

  // Conversion used to multiply the power of ten in before reducing the fraction: against that code (simulated),
  // about one case in nine here is refused although its factor fits in lowest terms.
  @Test(
    "rates and percentages written with as many zeros as 18 digits hold: refused only if the lowest terms do not fit")
  func ratesWrittenWithManyZeros() async {
    let tally = await expectConversions(
      count: 3000, rates: MoneyGen.paddedDecimal, percentages: MoneyGen.paddedDecimal.optional(valueRate: 0.5))
    print("conversion property, rates with many zeros: \(tally)")
    #expect(tally["converted and rounded"] > 5000 && tally["overflowed"] > 1000, "\(tally)")
  }

  /// Converts random amounts between random currencies at rates and percentages from the generators, each checked
  /// against the reference, and counts the outcomes.
  private func expectConversions(
    count: Int, rates: Generator<FixedDecimal, some SendableSequenceType>,
    percentages: Generator<FixedDecimal?, some SendableSequenceType>
  ) async -> OutcomeTally {
    var tally = OutcomeTally()
    await propertyCheck(
      count: count, input: MoneyGen.currency, MoneyGen.currency, rates, rates, percentages, MoneyGen.significand
    ) { source, target, rateFrom, rateTo, percentage, minorUnits in
      ConversionReference(source: source, target: target, rateFrom: rateFrom, rateTo: rateTo, percentage: percentage)
        .expectConversion(of: minorUnits, tally: &tally)
    }
    return tally
  }

  @Test("exact ties (an odd number of halves) go where each mode says, for either sign")
  func ties() async {
    let odd = Gen.int64(in: 0...1_000_000).map { 2 * $0 + 1 }
    await propertyCheck(
      count: 3000, input: MoneyGen.currency, odd, Gen.int64(in: -4_000_000_000_000...4_000_000_000_000),
      Gen.int64(in: 1...1_000_000_000), Gen<UInt8>.value(in: 0...6)
    ) { currency, multiplier, amount, common, scale in
      // amount × (common × multiplier) ÷ (2 × common): a tie whenever amount × multiplier is odd.
      let oddAmount = amount | 1
      let reference = ConversionReference(
        source: currency, target: currency, rateFrom: FixedDecimal(significand: 2 * common, scale: scale),
        rateTo: FixedDecimal(significand: common * multiplier, scale: scale), percentage: nil)
      guard let conversion = try? reference.makeConversion() else {
        Issue.record("refused: \(reference)")
        return
      }
      let exact = reference.exact(oddAmount)
      #expect(exact.remainder + exact.remainder == exact.denominator, "not a tie: \(reference)")
      for mode in RoundingMode.allCases {
        #expect(conversion.convertedMinorUnits(oddAmount, rounding: mode) == exact.roundedInt64(mode), "\(mode)")
      }
    }
  }

  @Test("an amount and its negation convert to mirror images under the sign-symmetric modes")
  func symmetry() async {
    await propertyCheck(
      count: 3000, input: MoneyGen.currency, MoneyGen.currency, MoneyGen.rate, MoneyGen.rate,
      Gen.int64(in: 0...Int64.max)
    ) { source, target, rateFrom, rateTo, amount in
      guard let conversion = try? Conversion(from: source, rate: rateFrom, to: target, rate: rateTo) else { return }
      for mode in [RoundingMode.halfEven, .halfUp, .halfDown, .up, .down] {
        let positive = conversion.convertedMinorUnits(amount, rounding: mode)
        #expect(conversion.convertedMinorUnits(-amount, rounding: mode) == positive.map { -$0 }, "\(mode)")
      }
      // The ceiling of −x is −(the floor of x).
      let floorOfPositive = conversion.convertedMinorUnits(amount, rounding: .floor)
      #expect(conversion.convertedMinorUnits(-amount, rounding: .ceiling) == floorOfPositive.map { -$0 })
    }
  }
}

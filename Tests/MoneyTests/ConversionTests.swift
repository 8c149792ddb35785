import Money
import Testing

@Suite("Conversion")
struct ConversionTests {
  let usd: Currency
  let eur: Currency
  let jpy: Currency
  let kwd: Currency
  let clf: Currency
  /// ECB-style rates, units per EUR.
  let usdRate: FixedDecimal
  let jpyRate: FixedDecimal

  init() throws {
    usd = try Currency(code: "USD")
    eur = try Currency(code: "EUR")
    jpy = try Currency(code: "JPY")
    kwd = try Currency(code: "KWD")
    clf = try Currency(code: "CLF")
    usdRate = try FixedDecimal("1.1225")
    jpyRate = try FixedDecimal("176.99")
  }

  private func usdToJPY(percentage: FixedDecimal? = nil) throws -> Conversion {
    try Conversion(from: usd, rate: usdRate, to: jpy, rate: jpyRate, percentage: percentage)
  }

  // MARK: The issue's example

  @Test("123.45 USD at 1.1225 is 19465 JPY at 176.99 (exactly 19464.958…, half-even)")
  func issueExample() throws {
    let conversion = try usdToJPY()
    let amount = try Money(parsing: "123.45", currency: usd)
    let converted = try conversion.convert(amount, rounding: .halfEven)
    #expect(converted == Money(minorUnits: 19465, currency: jpy))
    #expect(converted.description == "19465 JPY")
    #expect(conversion.exactText(of: amount).hasPrefix("19464.958"))
    #expect(conversion.exactText(of: amount) == "19464.958129175946…")
  }

  @Test("the factor is one reduced fraction of minor units, no cross rate rounded")
  func reducedFactor() throws {
    let conversion = try usdToJPY()
    #expect(conversion.source == usd)
    #expect(conversion.target == jpy)
    // 176.99 ÷ 1.1225 × 10^(0 − 2) minor units: 17699 / 11225 × 10^(0 + 4 − 2 − 2).
    #expect(conversion.numerator == 17699)
    #expect(conversion.denominator == 11225)
    let halved = try Conversion(
      from: usd, rate: FixedDecimal("2.00"), to: eur, rate: FixedDecimal("1"))
    #expect(halved.numerator == 1)
    #expect(halved.denominator == 2)
  }

  @Test("every rounding mode on the example, both signs")
  func exampleEveryMode() throws {
    let conversion = try usdToJPY()
    // 19464.958…: only the modes that go towards zero (or towards −∞ for a positive value) truncate.
    let expected: [(RoundingMode, Int64, Int64)] = [
      (.halfEven, 19465, -19465), (.halfUp, 19465, -19465), (.halfDown, 19465, -19465),
      (.up, 19465, -19465), (.down, 19464, -19464), (.ceiling, 19465, -19464), (.floor, 19464, -19465),
    ]
    for (mode, positive, negative) in expected {
      #expect(try conversion.convert(minorUnits: 12345, rounding: mode) == positive, "\(mode)")
      #expect(try conversion.convert(minorUnits: -12345, rounding: mode) == negative, "\(mode)")
    }
  }

  // MARK: Other minor-unit widths

  @Test("into a three-decimal currency: 100.00 USD is 30.788 KWD at 0.3456 per EUR")
  func intoKWD() throws {
    let conversion = try Conversion(from: usd, rate: usdRate, to: kwd, rate: FixedDecimal("0.3456"))
    let amount = try Money(parsing: "100", currency: usd)
    #expect(try conversion.convert(amount, rounding: .halfEven).description == "30.788 KWD")
    #expect(try conversion.convert(amount, rounding: .up).description == "30.789 KWD")
    #expect(conversion.exactText(of: amount) == "30.788418708240…")
  }

  @Test("into a four-decimal currency: 100.00 USD is 2.5746 CLF at 0.0289 per EUR")
  func intoCLF() throws {
    let conversion = try Conversion(from: usd, rate: usdRate, to: clf, rate: FixedDecimal("0.0289"))
    let amount = try Money(parsing: "100", currency: usd)
    #expect(try conversion.convert(amount, rounding: .halfEven).description == "2.5746 CLF")
    #expect(try conversion.convert(amount, rounding: .ceiling).description == "2.5747 CLF")
  }

  @Test("from a zero-decimal currency back to a two-decimal one")
  func fromJPY() throws {
    let conversion = try Conversion(from: jpy, rate: jpyRate, to: usd, rate: usdRate)
    // 19465 × 1.1225 ÷ 176.99 = 123.4526…
    let converted = try conversion.convert(Money(minorUnits: 19465, currency: jpy), rounding: .halfEven)
    #expect(converted.description == "123.45 USD")
    #expect(
      try conversion.convert(Money(minorUnits: -19465, currency: jpy), rounding: .floor).description == "-123.46 USD")
  }

  @Test("negative amounts (refunds) convert to the mirror image under symmetric modes")
  func negativeAmounts() throws {
    let conversion = try usdToJPY()
    for mode in [RoundingMode.halfEven, .halfUp, .halfDown, .up, .down] {
      for minorUnits: Int64 in [1, 99, 12345, 1_000_001, 987_654_321] {
        let positive = try conversion.convert(minorUnits: minorUnits, rounding: mode)
        #expect(try conversion.convert(minorUnits: -minorUnits, rounding: mode) == -positive, "\(mode) \(minorUnits)")
      }
    }
  }

  // MARK: Percentage

  @Test("a commission of 10% is rounded once: 1946 JPY, not 1947 from rounding the conversion first")
  func percentageRoundedOnce() throws {
    let commission = try usdToJPY(percentage: FixedDecimal("10"))
    // 123.45 × 10% × 176.99 ÷ 1.1225 = 1946.4958…
    #expect(try commission.convert(minorUnits: 12345, rounding: .halfUp) == 1946)
    #expect(try commission.convert(minorUnits: 12345, rounding: .halfEven) == 1946)
    #expect(try commission.convert(minorUnits: -12345, rounding: .halfUp) == -1946)
    // Rounding twice would give 19465 JPY, then 1946.5, then 1947 under half-up.
    let converted = try usdToJPY().convert(minorUnits: 12345, rounding: .halfUp)
    let tenPercent = try Conversion(
      from: jpy, rate: FixedDecimal("1"), to: jpy, rate: FixedDecimal("1"), percentage: FixedDecimal("10"))
    #expect(try tenPercent.convert(minorUnits: converted, rounding: .halfUp) == 1947)
    #expect(commission.exactText(of: Money(minorUnits: 12345, currency: usd)) == "1946.495812917594…")
  }

  @Test("a fractional percentage: 2.5% of 123.45 USD is 487 JPY (486.62…)")
  func fractionalPercentage() throws {
    let commission = try usdToJPY(percentage: FixedDecimal("2.5"))
    #expect(try commission.convert(minorUnits: 12345, rounding: .halfEven) == 487)
    #expect(try commission.convert(minorUnits: 12345, rounding: .down) == 486)
  }

  @Test("a percentage of 0 gives zero and of 100 gives the plain conversion")
  func percentageBoundaries() throws {
    let none = try usdToJPY(percentage: FixedDecimal("0"))
    #expect(try none.convert(minorUnits: 12345, rounding: .up) == 0)
    let whole = try usdToJPY(percentage: FixedDecimal("100.00"))
    #expect(whole == (try usdToJPY()))
  }

  @Test("a negative percentage throws")
  func negativePercentage() throws {
    let error = #expect(throws: MoneyError.self) { try usdToJPY(percentage: FixedDecimal("-10")) }
    #expect(error?.description == "rate -10 for JPY is not positive (apply percentage -10)")
  }

  // MARK: Rates that are not positive

  @Test(
    "a rate of zero or below throws and names the currency and the rate",
    arguments: [
      ("0", "1.1225", "rate 0 for USD is not positive (convert USD to JPY)"),
      ("-1.1225", "176.99", "rate -1.1225 for USD is not positive (convert USD to JPY)"),
      ("1.1225", "0.00", "rate 0.00 for JPY is not positive (convert USD to JPY)"),
      ("1.1225", "-0.000001", "rate -0.000001 for JPY is not positive (convert USD to JPY)"),
    ])
  func nonPositiveRate(fromRate: String, toRate: String, message: String) throws {
    let from = try FixedDecimal(fromRate)
    let to = try FixedDecimal(toRate)
    let error = #expect(throws: MoneyError.self) { try Conversion(from: usd, rate: from, to: jpy, rate: to) }
    #expect(error?.description == message)
  }

  @Test("the smallest positive rates are accepted")
  func smallestRates() throws {
    let tiny = FixedDecimal(significand: 1, scale: 18)
    let conversion = try Conversion(from: usd, rate: tiny, to: usd, rate: tiny)
    #expect(try conversion.convert(minorUnits: 1, rounding: .down) == 1)
  }

  // MARK: Factors that do not fit

  @Test("a factor that just fits in 64 bits is accepted; ten times more throws")
  func factorBoundary() throws {
    let largest = try FixedDecimal("999999999999999999")
    let fits = try Conversion(from: jpy, rate: FixedDecimal("0.1"), to: jpy, rate: largest)
    #expect(fits.numerator == 9_999_999_999_999_999_990)
    #expect(fits.denominator == 1)
    let error = #expect(throws: MoneyError.self) {
      try Conversion(from: jpy, rate: FixedDecimal("0.01"), to: jpy, rate: largest)
    }
    #expect(error?.kind == .factorOutOfRange)
    #expect(
      error?.description
        == "cannot convert JPY to JPY: the exact conversion factor does not fit in 64-bit numerator and denominator")
  }

  // Conversion multiplied the power of ten in before reducing the fraction, so a factor whose lowest terms fit was
  // refused when a product on the way passed 128 bits. Rates and percentages written with many zeros do that.
  @Test("a factor that fits in lowest terms is accepted however many zeros its rates are written with")
  func factorFitsOnlyInLowestTerms() throws {
    // 10^19 CLF minor units per yen: 5e14 × 100 × 10^22 passes 128 bits before 5e17 × 100 divides it.
    let large = try Conversion(
      from: jpy, rate: FixedDecimal("0.500000000000000000"), to: clf, rate: FixedDecimal("500000000000000"),
      percentage: FixedDecimal("100"))
    #expect(large.numerator == 10_000_000_000_000_000_000)
    #expect(large.denominator == 1)
    #expect(large.convertedMinorUnits(0, rounding: .halfEven) == 0)
    #expect(large.convertedMinorUnits(1, rounding: .halfEven) == nil)
    // 10^-6 yen per CLF minor unit: 100 × 10^38 in the denominator before 10^34 in the numerator cancels it.
    let small = try Conversion(
      from: clf, rate: FixedDecimal("1"), to: jpy, rate: FixedDecimal("1.00000000000000000"),
      percentage: FixedDecimal("1.00000000000000000"))
    #expect(small.numerator == 1)
    #expect(small.denominator == 1_000_000)
    #expect(small.convertedMinorUnits(1_500_000, rounding: .halfEven) == 2)
    // Ten times the first factor no longer fits.
    let error = #expect(throws: MoneyError.self) {
      try Conversion(
        from: jpy, rate: FixedDecimal("0.050000000000000000"), to: clf, rate: FixedDecimal("500000000000000"),
        percentage: FixedDecimal("100"))
    }
    #expect(error?.kind == .factorOutOfRange)
  }

  @Test("a factor past 128 bits throws rather than wrapping")
  func factorPast128Bits() throws {
    let error = #expect(throws: MoneyError.self) {
      try Conversion(
        from: jpy, rate: FixedDecimal(significand: 1, scale: 18), to: clf, rate: FixedDecimal("999999999999999999"),
        percentage: FixedDecimal("999999999999999999"))
    }
    #expect(
      error?.description
        == "cannot convert JPY to CLF: the exact conversion factor does not fit in 64-bit numerator and denominator")
  }

  // MARK: Results that do not fit

  @Test("the largest amounts that still fit convert exactly; one more overflows to nil and throws")
  func resultBoundary() throws {
    let hundredfold = try Conversion(from: jpy, rate: FixedDecimal("1"), to: usd, rate: FixedDecimal("1"))
    #expect(hundredfold.numerator == 100)
    #expect(hundredfold.convertedMinorUnits(92_233_720_368_547_758, rounding: .halfEven) == 9_223_372_036_854_775_800)
    #expect(hundredfold.convertedMinorUnits(-92_233_720_368_547_758, rounding: .halfEven) == -9_223_372_036_854_775_800)
    #expect(hundredfold.convertedMinorUnits(92_233_720_368_547_759, rounding: .halfEven) == nil)
    #expect(hundredfold.convertedMinorUnits(-92_233_720_368_547_759, rounding: .halfEven) == nil)
    #expect(hundredfold.convertedMinorUnits(Int64.max, rounding: .down) == nil)
    #expect(hundredfold.convertedMinorUnits(Int64.min, rounding: .down) == nil)
    let error = #expect(throws: MoneyError.self) {
      try hundredfold.convert(minorUnits: 92_233_720_368_547_759, rounding: .halfEven)
    }
    #expect(error?.kind == .overflow)
    #expect(
      error?.description
        == "cannot convert 92233720368547759 minor units of JPY to USD: the result does not fit in 64 bits of minor units"
    )
    #expect(throws: MoneyError.self) {
      try hundredfold.convert(Money(minorUnits: Int64.max, currency: jpy), rounding: .up)
    }
  }

  @Test("rounding away from zero at Int64.max overflows for a credit and lands on Int64.min for a refund")
  func roundingAtTheEdge() throws {
    // × 3/2: 6148914691236517205 × 1.5 = 9223372036854775807.5, half a unit past Int64.max.
    let threeHalves = try Conversion(from: jpy, rate: FixedDecimal("2"), to: jpy, rate: FixedDecimal("3"))
    let amount: Int64 = 6_148_914_691_236_517_205
    for mode in RoundingMode.allCases {
      let positive = threeHalves.convertedMinorUnits(amount, rounding: mode)
      let negative = threeHalves.convertedMinorUnits(-amount, rounding: mode)
      let positiveReference = referenceRounded(Int128(amount) * 3, over: 2, mode)
      let negativeReference = referenceRounded(-Int128(amount) * 3, over: 2, mode)
      #expect(
        positive.map { Int128($0) } == (positiveReference <= Int128(Int64.max) ? positiveReference : nil), "\(mode)")
      #expect(
        negative.map { Int128($0) } == (negativeReference >= Int128(Int64.min) ? negativeReference : nil), "\(mode)")
    }
    #expect(threeHalves.convertedMinorUnits(amount, rounding: .down) == Int64.max)
    #expect(threeHalves.convertedMinorUnits(amount, rounding: .up) == nil)
    #expect(threeHalves.convertedMinorUnits(-amount, rounding: .up) == Int64.min)
    #expect(threeHalves.convertedMinorUnits(-amount, rounding: .halfEven) == Int64.min)
    #expect(threeHalves.convertedMinorUnits(-amount, rounding: .ceiling) == -Int64.max)
    #expect(threeHalves.convertedMinorUnits(amount + 1, rounding: .down) == nil)
    #expect(threeHalves.convertedMinorUnits(-(amount + 1), rounding: .down) == nil)
  }

  // MARK: Identity

  @Test("the same rate in and out returns the same minor units, at the ends of 64 bits too")
  func identity() throws {
    let identities = [
      try Conversion(from: usd, rate: usdRate, to: usd, rate: usdRate),
      try Conversion(from: usd, rate: FixedDecimal("1.0845"), to: eur, rate: FixedDecimal("1.08450")),
      try Conversion(from: jpy, rate: jpyRate, to: jpy, rate: jpyRate),
    ]
    for identity in identities {
      #expect(identity.numerator == 1 && identity.denominator == 1)
      for mode in RoundingMode.allCases {
        for minorUnits: Int64 in [0, 1, -1, 12345, -12345, Int64.max, Int64.min] {
          #expect(try identity.convert(minorUnits: minorUnits, rounding: mode) == minorUnits)
        }
      }
    }
  }

  @Test("converting money of another currency than the source throws")
  func wrongSourceCurrency() throws {
    let conversion = try usdToJPY()
    let error = #expect(throws: MoneyError.self) {
      try conversion.convert(Money(minorUnits: 100, currency: eur), rounding: .halfEven)
    }
    #expect(error?.description == "cannot convert EUR and USD: amounts in different currencies")
  }

  // MARK: Exact text

  @Test("the exact text: sign, cut-off mark, exact values without it")
  func exactText() throws {
    let conversion = try usdToJPY()
    #expect(conversion.exactText(of: Money(minorUnits: -12345, currency: usd)) == "-19464.958129175946…")
    #expect(conversion.exactText(of: Money(minorUnits: 12345, currency: usd), fractionDigitsMax: 3) == "19464.958…")
    #expect(conversion.exactText(of: Money(minorUnits: 12345, currency: usd), fractionDigitsMax: 0) == "19464…")
    #expect(conversion.exactText(of: Money.zero(usd)) == "0")
    let halved = try Conversion(from: usd, rate: FixedDecimal("2"), to: usd, rate: FixedDecimal("1"))
    #expect(halved.exactText(of: Money(minorUnits: 1, currency: usd)) == "0.005")
    #expect(halved.exactText(of: Money(minorUnits: -1, currency: usd)) == "-0.005")
    #expect(halved.exactText(of: Money(minorUnits: 200, currency: usd)) == "1")
  }
}

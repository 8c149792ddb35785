import Money
import PropertyBased
import Testing

/// Every operation of the money core, on operands drawn near the ends of 64 bits as often as not: each must report
/// overflow exactly when its exact result, worked out in a wider type in the test, does not fit, and give that exact
/// result otherwise.
@Suite("Overflow, as properties")
struct OverflowPropertyTests {
  @Test("add and subtract: overflow exactly when the Int128 result is outside Int64", arguments: ["add", "subtract"])
  func addAndSubtract(operation: String) async {
    var tally = OutcomeTally()
    await propertyCheck(count: 10_000, input: MoneyGen.currency, MoneyGen.significand, MoneyGen.significand) {
      currency, left, right in
      let (first, second) = (Money(minorUnits: left, currency: currency), Money(minorUnits: right, currency: currency))
      if operation == "add" {
        expectExactOrOverflow(Int128(left) + Int128(right), operation: "add \(second) to \(first)", tally: &tally) {
          () throws(MoneyError) in try first.adding(second)
        }
      } else {
        expectExactOrOverflow(
          Int128(left) - Int128(right), operation: "subtract \(second) from \(first)", tally: &tally
        ) { () throws(MoneyError) in try first.subtracting(second) }
      }
    }
    print("\(operation) property: \(tally)")
    #expect(tally["fits"] > 1000 && tally["overflows"] > 200, "\(tally)")
  }

  @Test("negate: overflow exactly for Int64.min")
  func negate() async {
    var tally = OutcomeTally()
    await propertyCheck(count: 3000, input: MoneyGen.money) { money in
      expectExactOrOverflow(-Int128(money.minorUnits), operation: "negate \(money)", tally: &tally) {
        () throws(MoneyError) in try money.negated()
      }
    }
    print("negate property: \(tally)")
    #expect(tally["fits"] > 1000 && tally["overflows"] > 10, "\(tally)")
  }

  @Test("rescale: nil exactly when a nonzero digit would be dropped or the Int128 significand is outside Int64")
  func rescale() async {
    var tally = OutcomeTally()
    await propertyCheck(count: 10_000, input: MoneyGen.fixedDecimal, MoneyGen.scale) { value, newScale in
      let shift = Int(newScale) - Int(value.scale)
      let power = Int128(powerOfTen128(Int(shift.magnitude)) ?? 0)
      let significand = Int128(value.significand)
      let isExact = shift >= 0 || significand % power == 0
      let exact = shift >= 0 ? significand * power : significand / power
      let rescaled = value.rescaled(to: newScale)
      guard isExact else {
        #expect(rescaled == nil, "\(value) to scale \(newScale)")
        tally.count("drops a digit")
        return
      }
      guard let fitting = Int64(exactly: exact) else {
        #expect(rescaled == nil, "\(value) to scale \(newScale)")
        tally.count("overflows")
        return
      }
      #expect(rescaled?.significand == fitting && rescaled?.scale == newScale, "\(value) to scale \(newScale)")
      tally.count("fits")
    }
    print("rescale property: \(tally)")
    #expect(tally["fits"] > 1000 && tally["overflows"] > 500 && tally["drops a digit"] > 1000, "\(tally)")
  }

  @Test("parse an amount: scaling to the currency's minor units overflows exactly when Int128 says so")
  func parseAmount() async {
    var tally = OutcomeTally()
    let parseable = MoneyGen.significand.filter { $0.magnitude < 1_000_000_000_000_000_000 }
    await propertyCheck(count: 10_000, input: MoneyGen.currency, parseable, Gen<UInt8>.value(in: 0...4)) {
      currency, significand, scale in
      let text = FixedDecimal(significand: significand, scale: scale).description
      let parsed = Result { () throws(MoneyError) in try Money(parsing: text, currency: currency) }
      guard scale <= currency.minorUnits else {
        let problem = Money.AmountProblem.fractionDigits(allowed: currency.minorUnits, currency: currency)
        #expect(parsed == .failure(MoneyError(.badAmount(text: text, problem: problem), operation: "parse")))
        tally.count("too many fraction digits")
        return
      }
      let exact = Int128(significand) * Int128(powerOfTen128(Int(currency.minorUnits - scale)) ?? 0)
      guard let minorUnits = Int64(exactly: exact) else {
        let problem = Money.AmountProblem.outOfRange(currency: currency)
        #expect(parsed == .failure(MoneyError(.badAmount(text: text, problem: problem), operation: "parse")))
        tally.count("overflows")
        return
      }
      #expect(parsed == .success(Money(minorUnits: minorUnits, currency: currency)), "\(text) \(currency)")
      tally.count("fits")
    }
    print("parse amount property: \(tally)")
    #expect(tally["fits"] > 1000 && tally["overflows"] > 200, "\(tally)")
  }

  // MARK: Multiply, divide and quantize: a conversion within one currency

  // A conversion within one currency at rates 1 and the factor multiplies; at the divisor and 1 it divides.
  @Test(
    "multiply and divide by a decimal: overflow exactly when the result does not fit",
    arguments: ["multiply", "divide"])
  func multiplyAndDivide(operation: String) async {
    var tally = OutcomeTally()
    let one = FixedDecimal(significand: 1, scale: 0)
    await propertyCheck(count: 4000, input: MoneyGen.currency, MoneyGen.rate, MoneyGen.significand) {
      currency, operand, minorUnits in
      let isDivision = operation == "divide"
      expectConversionAgreement(
        currency: currency, rateFrom: isDivision ? operand : one, rateTo: isDivision ? one : operand, percentage: nil,
        minorUnits: minorUnits, tally: &tally)
    }
    print("\(operation) property: \(tally)")
    #expect(tally["overflowed"] > 1000 && tally["converted and rounded"] > 1000, "\(tally)")
  }

  @Test("apply a percentage: overflow exactly when the result does not fit")
  func percentage() async {
    var tally = OutcomeTally()
    await propertyCheck(count: 4000, input: MoneyGen.currency, MoneyGen.percentage, MoneyGen.significand) {
      currency, percentage, minorUnits in
      let one = FixedDecimal(significand: 1, scale: 0)
      expectConversionAgreement(
        currency: currency, rateFrom: one, rateTo: one, percentage: percentage, minorUnits: minorUnits, tally: &tally)
    }
    print("percentage property: \(tally)")
    #expect(tally["overflowed"] > 500 && tally["converted and rounded"] > 1000, "\(tally)")
  }

  @Test(
    "quantize by a power of ten (rates 10^k and 1, either way): rounded once, overflow exactly when it does not fit")
  func quantize() async {
    var tally = OutcomeTally()
    await propertyCheck(
      count: 4000, input: MoneyGen.currency, Gen.int(in: 0...18), Gen.bool, MoneyGen.significand
    ) { currency, exponent, isCoarser, minorUnits in
      let one = FixedDecimal(significand: 1, scale: 0)
      let power = FixedDecimal(significand: MoneyGen.powersOfTen[exponent], scale: 0)
      expectConversionAgreement(
        currency: currency, rateFrom: isCoarser ? power : one, rateTo: isCoarser ? one : power, percentage: nil,
        minorUnits: minorUnits, tally: &tally)
    }
    print("quantize property: \(tally)")
    #expect(tally["overflowed"] > 1000 && tally["converted and rounded"] > 1000, "\(tally)")
  }
}

/// Runs `operation` and expects `exact` when it fits in Int64, otherwise exactly `MoneyError.overflow` for `operation`.
private func expectExactOrOverflow(
  _ exact: Int128, operation: String, tally: inout OutcomeTally, sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () throws(MoneyError) -> Money
) {
  let outcome = Result(catching: body)
  guard let fitting = Int64(exactly: exact) else {
    #expect(
      outcome.map(\.minorUnits) == .failure(MoneyError(.overflow, operation: operation)), sourceLocation: sourceLocation
    )
    tally.count("overflows")
    return
  }
  #expect(outcome.map(\.minorUnits) == .success(fitting), "\(operation)", sourceLocation: sourceLocation)
  tally.count("fits")
}

/// A conversion within one currency, expected to agree with the BigNatural reference in every mode.
private func expectConversionAgreement(
  currency: Currency, rateFrom: FixedDecimal, rateTo: FixedDecimal, percentage: FixedDecimal?, minorUnits: Int64,
  tally: inout OutcomeTally, sourceLocation: SourceLocation = #_sourceLocation
) {
  ConversionReference(source: currency, target: currency, rateFrom: rateFrom, rateTo: rateTo, percentage: percentage)
    .expectConversion(of: minorUnits, tally: &tally, sourceLocation: sourceLocation)
}

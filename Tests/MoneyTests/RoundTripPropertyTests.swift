import Money
import PropertyBased
import Testing

/// The text a decimal should print as, worked out by dividing by the power of ten rather than by placing a point
/// among the digits as the library does: sign, whole units, point, the remainder padded to `scale` digits.
private func expectedText(significand: Int64, scale: UInt8) -> String {
  let divisor = powerOfTen128(Int(scale)) ?? 1
  let (units, fraction) = UInt128(significand.magnitude).quotientAndRemainder(dividingBy: divisor)
  var text = (significand < 0 ? "-" : "") + String(units)
  if scale > 0 {
    let digits = String(fraction)
    text += "." + String(repeating: "0", count: Int(scale) - digits.count) + digits
  }
  return text
}

/// 10^18: a decimal of this many significant digits or more prints as text the parser refuses (more than 18 digits).
private let parseableMagnitudeLimit: UInt64 = 1_000_000_000_000_000_000

/// Prints `value`, parses the text back, and expects the same significand and scale, or the documented refusal.
private func expectRoundTrip(_ value: FixedDecimal, sourceLocation: SourceLocation = #_sourceLocation) {
  let text = value.description
  #expect(text == expectedText(significand: value.significand, scale: value.scale), sourceLocation: sourceLocation)
  guard value.significand.magnitude < parseableMagnitudeLimit else {
    #expect(throws: DecimalError(text: text, problem: .tooManyDigits), sourceLocation: sourceLocation) {
      try FixedDecimal(text)
    }
    return
  }
  let parsed = try? FixedDecimal(text)
  #expect(parsed?.significand == value.significand, "\(text)", sourceLocation: sourceLocation)
  #expect(parsed?.scale == value.scale, "\(text)", sourceLocation: sourceLocation)
}

@Suite("Printing and parsing, as properties")
struct RoundTripPropertyTests {
  @Test("a FixedDecimal prints as its exact text and parses back to the same significand and scale")
  func fixedDecimalPrintThenParse() async {
    var aboveDigitsMax = 0
    await propertyCheck(count: 20_000, input: MoneyGen.fixedDecimal) { value in
      expectRoundTrip(value)
      if value.significand.magnitude >= parseableMagnitudeLimit { aboveDigitsMax += 1 }
    }
    print("FixedDecimal print then parse: 20000 cases, \(aboveDigitsMax) of 19 digits (refused as documented)")
    #expect(aboveDigitsMax > 500 && aboveDigitsMax < 15_000)
  }

  @Test("every scale, 0 to 18, with every edge significand", arguments: 0...FixedDecimal.scaleMax)
  func everyScaleAtTheEdges(scale: UInt8) {
    for significand in MoneyGen.edgeSignificands {
      expectRoundTrip(FixedDecimal(significand: significand, scale: scale))
    }
  }

  @Test("a plain decimal text parses to its value and prints in canonical form, or is refused past 18 digits")
  func textParseThenPrint() async {
    var tally = OutcomeTally()
    let digits = Gen<Character>.number.string(of: 1...21)
    let fractionDigits = Gen<Character>.number.string(of: 0...20)
    await propertyCheck(count: 20_000, input: Gen.bool, digits, fractionDigits) { isNegative, units, fraction in
      let text = (isNegative ? "-" : "") + units + (fraction.isEmpty ? "" : "." + fraction)
      let allDigits = units + fraction
      let significantDigits = allDigits.drop { $0 == "0" }
      guard significantDigits.count <= 18, fraction.count <= 18 else {
        let error = #expect(throws: DecimalError.self) { try FixedDecimal(text) }
        #expect(error?.problem == .tooManyDigits || error?.problem == .tooManyFractionDigits, "\(text)")
        tally.count("refused")
        return
      }
      let parsed = try? FixedDecimal(text)
      let magnitude = Int64(significantDigits) ?? 0
      #expect(parsed?.significand == (isNegative ? -magnitude : magnitude), "\(text)")
      #expect(parsed?.scale == UInt8(fraction.count), "\(text)")
      // Canonical: no leading zeros before the units digit, no sign on zero, the fraction digits kept.
      let canonicalUnits = units.drop { $0 == "0" }
      let canonical =
        (isNegative && magnitude != 0 ? "-" : "") + (canonicalUnits.isEmpty ? "0" : String(canonicalUnits))
        + (fraction.isEmpty ? "" : "." + fraction)
      #expect(parsed?.description == canonical, "\(text)")
      tally.count(canonical == text ? "canonical" : "not canonical")
    }
    print("text parse then print: \(tally)")
    #expect(tally["refused"] > 1000 && tally["canonical"] > 1000 && tally["not canonical"] > 300, "\(tally)")
  }

  @Test("an amount prints with its currency's digits and parses back to the same minor units, in every currency")
  func moneyPrintThenParse() async {
    var tally = OutcomeTally()
    await propertyCheck(count: 20_000, input: MoneyGen.money) { money in
      let text = money.amountText
      #expect(text == expectedText(significand: money.minorUnits, scale: money.currency.minorUnits))
      #expect(money.description == text + " " + money.currency.code)
      guard money.minorUnits.magnitude < parseableMagnitudeLimit else {
        let refusal = MoneyError(.badAmount(text: text, problem: .syntax(.tooManyDigits)), operation: "parse")
        #expect(throws: refusal) { try Money(parsing: text, currency: money.currency) }
        tally.count("19 digits, refused")
        return
      }
      #expect((try? Money(parsing: text, currency: money.currency)) == money, "\(text)")
      tally.count("minor units \(money.currency.minorUnits)")
    }
    print("Money print then parse: \(tally)")
    for minorUnits in [0, 2, 3, 4] { #expect(tally["minor units \(minorUnits)"] > 100, "\(tally)") }
  }
}

import Money
import Testing

/// decTest's rounding names, mapped to Settle's. `05up` has no counterpart.
private let roundingModeByDecTestName: [String: RoundingMode] = [
  "half_even": .halfEven, "half_up": .halfUp, "half_down": .halfDown, "up": .up, "down": .down,
  "ceiling": .ceiling, "floor": .floor,
]

/// The conditions a vector may raise and still be in Settle's range: rounding only.
private let roundingConditions: Set<String> = ["inexact", "rounded"]

/// How many vectors of one operation ran, and how many were out of Settle's range and why (exponents, NaN,
/// more than 18 digits, conditions other than rounding). Printed by every test, which also asks for a least number
/// run, so that none can pass on zero vectors.
private struct Tally: CustomStringConvertible {
  let operation: String
  var ran = 0
  var skippedByReason: [String: Int] = [:]

  init(_ operation: String) { self.operation = operation }

  mutating func skip(_ reason: String) { skippedByReason[reason, default: 0] += 1 }

  var skipped: Int { skippedByReason.values.reduce(0, +) }

  var description: String {
    let reasons = skippedByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    return "decTest \(operation): \(ran + skipped) vectors, ran \(ran), out of range \(skipped) (\(reasons))"
  }
}

/// A plain decimal Settle accepts, or nil (exponents, NaN, infinities, `+`, `.5`, more than 18 digits…).
private func settleDecimal(_ text: String) -> FixedDecimal? { try? FixedDecimal(text) }

/// The value of a decTest number as a FixedDecimal, when it fits one.
private func fixedDecimal(_ number: DecTestNumber) -> FixedDecimal? {
  var coefficient = number.coefficient
  var exponent = number.exponent
  while exponent < 0 && coefficient % 10 == 0 && coefficient != 0 {
    coefficient /= 10
    exponent += 1
  }
  if coefficient == 0 { exponent = min(max(exponent, -18), 0) }
  guard exponent >= -18 else { return nil }
  if exponent > 0 {
    guard let scale = powerOfTen128(exponent) else { return nil }
    let (scaled, overflow) = coefficient.multipliedReportingOverflow(by: scale)
    guard !overflow else { return nil }
    coefficient = scaled
    exponent = 0
  }
  guard coefficient <= UInt128(Int64.max) else { return nil }
  let significand = Int64(coefficient)
  return FixedDecimal(significand: number.isNegative ? -significand : significand, scale: UInt8(-exponent))
}

/// Settle prints zero without a sign; decTest keeps it (`-0.00`).
private func withoutSignOfZero(_ text: String) -> String {
  guard text.hasPrefix("-"),
    text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: ".") })
  else { return text }
  return String(text.dropFirst())
}

/// The number of digits in a significand, at least one.
private func digitCount(_ magnitude: UInt64) -> Int { String(magnitude).count }

/// A currency for each minor-unit width, to run exact sums through `Money` too.
private func currency(forScale scale: UInt8) -> Currency? {
  switch scale {
  case 0: try? Currency(code: "JPY")
  case 2: try? Currency(code: "USD")
  case 3: try? Currency(code: "KWD")
  case 4: try? Currency(code: "CLF")
  default: nil
  }
}

@Suite("IBM decTest vectors")
struct DecTestVectorTests {
  // MARK: compare

  @Test("compare: FixedDecimal ordering and equality agree with compare.decTest")
  func compare() throws {
    var tally = Tally("compare")
    for vector in try DecTestFile.vectors(inFile: "compare") where vector.operation == "compare" {
      guard vector.operands.count == 2, vector.conditions.isEmpty,
        let left = settleDecimal(vector.operands[0]), let right = settleDecimal(vector.operands[1])
      else {
        tally.skip("operand not a plain decimal")
        continue
      }
      guard let expected = Int(vector.result) else {
        tally.skip("result not -1, 0 or 1")
        continue
      }
      let actual = left < right ? -1 : (left == right ? 0 : 1)
      #expect(actual == expected, "\(vector)")
      #expect((right < left) == (expected == 1), "\(vector)")
      if expected == 0 { #expect(left.hashValue == right.hashValue, "\(vector)") }
      tally.ran += 1
    }
    print(tally)
    #expect(tally.ran >= 200, "\(tally)")
  }

  // MARK: minus

  @Test("minus: Money.negated agrees with minus.decTest at each currency's scale, and overflows only for Int64.min")
  func minus() throws {
    var tally = Tally("minus")
    for vector in try DecTestFile.vectors(inFile: "minus") where vector.operation == "minus" {
      guard vector.operands.count == 1, vector.conditions.isEmpty, let value = settleDecimal(vector.operands[0]),
        let expected = settleDecimal(vector.result)
      else {
        tally.skip("operand or result not a plain decimal, or a condition")
        continue
      }
      guard let currency = currency(forScale: value.scale) else {
        tally.skip("scale \(value.scale) is no currency's")
        continue
      }
      let negated = try Money(parsing: vector.operands[0], currency: currency).negated()
      #expect(negated.amount == expected, "\(vector)")
      #expect(negated.amountText == withoutSignOfZero(vector.result), "\(vector)")
      tally.ran += 1
    }
    print(tally)
    #expect(tally.ran >= 20, "\(tally)")
    let lowest = Money(minorUnits: Int64.min, currency: try Currency(code: "USD"))
    #expect(throws: MoneyError(.overflow, operation: "negate \(lowest)")) { try lowest.negated() }
  }

  // MARK: add and subtract, exact

  @Test(
    "add and subtract: exact sums at a common scale agree with add.decTest and subtract.decTest",
    arguments: ["add", "subtract"])
  func exactSums(operation: String) throws {
    var tally = Tally(operation)
    var throughMoney = 0
    for file in ["add", "subtract", "rounding"] {
      for vector in try DecTestFile.vectors(inFile: file) where vector.operation == operation {
        guard vector.operands.count == 2,
          let left = settleDecimal(vector.operands[0]), let right = settleDecimal(vector.operands[1])
        else {
          tally.skip("operand not a plain decimal")
          continue
        }
        guard vector.conditions.isEmpty else {
          tally.skip("rounded or other condition")
          continue
        }
        guard let expected = settleDecimal(vector.result) else {
          tally.skip("result not a plain decimal")
          continue
        }
        let commonScale = max(left.scale, right.scale)
        guard let leftScaled = left.rescaled(to: commonScale), let rightScaled = right.rescaled(to: commonScale) else {
          tally.skip("beyond 64 bits at the common scale")
          continue
        }
        let (significand, overflow) =
          operation == "add"
          ? leftScaled.significand.addingReportingOverflow(rightScaled.significand)
          : leftScaled.significand.subtractingReportingOverflow(rightScaled.significand)
        guard !overflow else {
          tally.skip("beyond 64 bits at the common scale")
          continue
        }
        let sum = FixedDecimal(significand: significand, scale: commonScale)
        guard digitCount(significand.magnitude) <= vector.precision else {
          tally.skip("result digits above the precision")
          continue
        }
        #expect(sum == expected, "\(vector)")
        #expect(sum.description == withoutSignOfZero(vector.result), "\(vector)")
        tally.ran += 1

        // The same sum through Money, where the scale is a currency's.
        if let currency = currency(forScale: commonScale),
          let leftMoney = try? Money(parsing: vector.operands[0], currency: currency),
          let rightMoney = try? Money(parsing: vector.operands[1], currency: currency)
        {
          let money = try operation == "add" ? leftMoney.adding(rightMoney) : leftMoney.subtracting(rightMoney)
          #expect(money.amount == expected, "\(vector) through Money")
          throughMoney += 1
        }
      }
    }
    print(tally, "; through Money \(throughMoney)")
    #expect(tally.ran >= (operation == "add" ? 350 : 130), "\(tally)")
    #expect(throughMoney >= (operation == "add" ? 250 : 80))
  }

  // MARK: quantize

  @Test("quantize: rounding a plain decimal to a number of fraction digits agrees with quantize.decTest")
  func quantize() throws {
    var tally = Tally("quantize")
    var modes: Set<RoundingMode> = []
    for vector in try DecTestFile.vectors(inFile: "quantize") where vector.operation == "quantize" {
      guard let mode = roundingModeByDecTestName[vector.rounding] else {
        tally.skip("rounding \(vector.rounding)")
        continue
      }
      guard vector.operands.count == 2, let value = settleDecimal(vector.operands[0]) else {
        tally.skip("operand not a plain decimal")
        continue
      }
      guard let pattern = DecTestNumber(vector.operands[1]), (-18...0).contains(pattern.exponent) else {
        tally.skip("target not 0 to 18 fraction digits")
        continue
      }
      guard vector.conditions.isSubset(of: roundingConditions), let expected = DecTestNumber(vector.result),
        let expectedCoefficient = expected.signedCoefficient
      else {
        tally.skip("invalid operation or other condition")
        continue
      }
      let fractionDigits = UInt8(-pattern.exponent)
      #expect(expected.exponent == pattern.exponent, "\(vector)")
      guard let rounded = roundedThroughMode(value, toFractionDigits: fractionDigits, mode) else {
        tally.skip("beyond 128 bits")
        continue
      }
      #expect(rounded == expectedCoefficient, "\(vector)")
      if let viaConversion = roundedThroughConversion(value, toFractionDigits: fractionDigits, mode) {
        #expect(Int128(viaConversion) == expectedCoefficient, "\(vector) through Conversion")
      }
      // rescaled(to:) is exact or nil: it must agree with decTest on whether digits were lost.
      let rescaled = value.rescaled(to: fractionDigits)
      if vector.conditions.contains("inexact") {
        #expect(rescaled == nil, "\(vector) rescaled although inexact")
      } else if let rescaled {
        #expect(rescaled.description == withoutSignOfZero(vector.result), "\(vector) rescaled")
      } else {
        // Only overflow may refuse an exact rescale, and only a rescale upwards can overflow.
        #expect(fractionDigits > value.scale, "\(vector) exact but not rescaled")
      }
      modes.insert(mode)
      tally.ran += 1
    }
    // quantize.decTest's vectors in Settle's range are all under half_up (its few under down have exponents); the
    // rounding test below rounds to a given exponent, which is quantizing, under all seven modes, through
    // Conversion too, and ConversionCrossCheckTests quantizes with Python's decimal in all seven.
    print(tally, "; modes \(modes.map(\.rawValue).sorted())")
    #expect(tally.ran >= 200, "\(tally)")
    #expect(modes == [.halfUp], "\(modes)")
  }

  // MARK: rounding under every directive

  @Test("rounding: exact results of add, subtract, multiply and divide rounded under each directive agree with decTest")
  func rounding() throws {
    var tally = Tally("rounding")
    var ranByMode: [RoundingMode: Int] = [:]
    var throughConversion = 0
    for file in ["rounding", "add", "subtract", "multiply", "divide"] {
      for vector in try DecTestFile.vectors(inFile: file) {
        guard ["add", "subtract", "multiply", "divide"].contains(vector.operation) else { continue }
        // Exact sums are the add and subtract tests' business; here only what was rounded.
        if vector.operation == "add" || vector.operation == "subtract" {
          guard !vector.conditions.isEmpty else { continue }
        }
        guard let mode = roundingModeByDecTestName[vector.rounding] else {
          tally.skip("rounding \(vector.rounding)")
          continue
        }
        guard vector.operands.count == 2,
          let left = settleDecimal(vector.operands[0]), let right = settleDecimal(vector.operands[1])
        else {
          tally.skip("operand not a plain decimal")
          continue
        }
        guard vector.conditions.isSubset(of: roundingConditions), let expected = DecTestNumber(vector.result),
          let expectedCoefficient = expected.signedCoefficient
        else {
          tally.skip("overflow, underflow, invalid or other condition")
          continue
        }
        guard let exact = exactValue(vector.operation, left, right),
          let scaled = exact.scaled(toExponent: expected.exponent)
        else {
          tally.skip("beyond 128 bits")
          continue
        }
        let rounded = roundedByMode(scaled.numerator, over: scaled.denominator, mode)
        #expect(rounded == expectedCoefficient, "\(vector)")
        if let viaConversion = roundedThroughConversion(scaled.numerator, over: scaled.denominator, mode) {
          #expect(Int128(viaConversion) == expectedCoefficient, "\(vector) through Conversion")
          throughConversion += 1
        }
        ranByMode[mode, default: 0] += 1
        tally.ran += 1
      }
    }
    let perMode = RoundingMode.allCases.map { "\($0.rawValue) \(ranByMode[$0, default: 0])" }.joined(separator: ", ")
    print(tally, "; by mode: \(perMode); through Conversion \(throughConversion)")
    #expect(tally.ran >= 1300, "\(tally)")
    for mode in RoundingMode.allCases {
      #expect(ranByMode[mode, default: 0] >= 80, "only \(ranByMode[mode, default: 0]) vectors for \(mode)")
    }
    #expect(throughConversion >= 1200)
  }

  // MARK: syntax

  @Test("syntax: FixedDecimal accepts exactly the plain decimals among base.decTest's conversions, with their values")
  func syntax() throws {
    var tally = Tally("toSci/toEng")
    var refused = 0
    for vector in try DecTestFile.vectors(inFile: "base") where ["tosci", "toeng"].contains(vector.operation) {
      guard vector.operands.count == 1 else { continue }
      let input = vector.operands[0]
      let parsed = settleDecimal(input)
      #expect((parsed != nil) == isPlainDecimal(input), "\(vector): accepted \(parsed != nil)")
      guard let parsed else {
        refused += 1
        tally.ran += 1
        continue
      }
      guard vector.conditions.isSubset(of: roundingConditions), let expected = DecTestNumber(vector.result) else {
        tally.skip("result not a finite number")
        continue
      }
      if vector.conditions.isEmpty {
        #expect(fixedDecimal(expected) == parsed, "\(vector)")
        if !vector.result.contains("E") {
          #expect(parsed.description == withoutSignOfZero(vector.result), "\(vector)")
        }
      }
      tally.ran += 1
    }
    print(tally, "; refused \(refused), accepted \(tally.ran - refused)")
    #expect(tally.ran >= 1000, "\(tally)")
    #expect(refused >= 800 && tally.ran - refused >= 200)
  }

  // MARK: the parser itself

  @Test("the decTest reader: quotes, doubled quotes, comments, directives")
  func reader() {
    #expect(DecTestFile.tokenize("addx001 add '1' \"2\" -> 3 -- comment") == ["addx001", "add", "1", "2", "->", "3"])
    #expect(DecTestFile.tokenize("x tosci 'it''s' -> ''") == ["x", "tosci", "it's", "->", ""])
    let vectors = DecTestFile.parse(
      "precision: 5\nrounding: Half_Even\n-- c\nt1 add 1 2 -> 3 Inexact Rounded\n", file: "inline")
    #expect(vectors.count == 1)
    #expect(vectors.first?.precision == 5)
    #expect(vectors.first?.rounding == "half_even")
    #expect(vectors.first?.conditions == ["inexact", "rounded"])
    #expect(DecTestNumber("1.23E+5") == DecTestNumber("123E+3"))
    #expect(DecTestNumber("-0.050")?.exponent == -3)
    #expect(DecTestNumber("NaN") == nil)
    #expect(DecTestNumber("Inf") == nil)
    #expect(DecTestNumber("#7E000000") == nil)
  }
}

// MARK: Helpers

/// Whether `text` is a plain decimal in Settle's sense, decided from the characters alone:
/// an optional `-`, digits, optionally `.` and digits; at most 18 digits after leading zeros
/// and at most 18 fraction digits.
private func isPlainDecimal(_ text: String) -> Bool {
  var bytes = Array(text.utf8)[...]
  if bytes.first == UInt8(ascii: "-") { bytes.removeFirst() }
  let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
  guard parts.count == 1 || parts.count == 2,
    parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= 48 && $0 <= 57 } })
  else { return false }
  let digits = parts.joined()
  let significant = digits.drop { $0 == UInt8(ascii: "0") }.count
  let fraction = parts.count == 2 ? parts[1].count : 0
  return significant <= 18 && fraction <= 18
}

/// An exact result `numerator ÷ denominator × 10^exponent`.
private struct ExactValue {
  var numerator: Int128
  var denominator: UInt128
  var exponent: Int

  /// The same value as a count of `10^target`: `numerator ÷ denominator`, or nil past 128 bits.
  func scaled(toExponent target: Int) -> (numerator: Int128, denominator: UInt128)? {
    let shift = exponent - target
    guard let factor = powerOfTen128(Int(shift.magnitude)) else { return nil }
    if shift >= 0 {
      guard factor <= UInt128(Int128.max) else { return nil }
      let (product, overflow) = numerator.multipliedReportingOverflow(by: Int128(factor))
      return overflow ? nil : (product, denominator)
    }
    let (product, overflow) = denominator.multipliedReportingOverflow(by: factor)
    return overflow ? nil : (numerator, product)
  }
}

/// The exact result of a decTest operation on two FixedDecimals, before any rounding.
private func exactValue(_ operation: String, _ left: FixedDecimal, _ right: FixedDecimal) -> ExactValue? {
  switch operation {
  case "add", "subtract":
    let common = max(left.scale, right.scale)
    guard let leftFactor = powerOfTen128(Int(common - left.scale)),
      let rightFactor = powerOfTen128(Int(common - right.scale))
    else { return nil }
    // |significand| < 2^63 and the factor is at most 10^18: each product is below 2^123.
    let leftScaled = Int128(left.significand) * Int128(leftFactor)
    let rightScaled = Int128(right.significand) * Int128(rightFactor)
    let numerator = operation == "add" ? leftScaled + rightScaled : leftScaled - rightScaled
    return ExactValue(numerator: numerator, denominator: 1, exponent: -Int(common))
  case "multiply":
    return ExactValue(
      numerator: Int128(left.significand) * Int128(right.significand), denominator: 1,
      exponent: -Int(left.scale) - Int(right.scale))
  case "divide":
    guard !right.isZero else { return nil }
    let numerator = right.isNegative ? -Int128(left.significand) : Int128(left.significand)
    return ExactValue(
      numerator: numerator, denominator: UInt128(right.significand.magnitude),
      exponent: -Int(left.scale) + Int(right.scale))
  default:
    return nil
  }
}

/// `value` rounded to `fractionDigits`, as a signed significand at that scale, through `incrementsMagnitude`.
private func roundedThroughMode(_ value: FixedDecimal, toFractionDigits fractionDigits: UInt8, _ mode: RoundingMode)
  -> Int128?
{
  let exact = ExactValue(numerator: Int128(value.significand), denominator: 1, exponent: -Int(value.scale))
  guard let scaled = exact.scaled(toExponent: -Int(fractionDigits)) else { return nil }
  return roundedByMode(scaled.numerator, over: scaled.denominator, mode)
}

/// `value` rounded to `fractionDigits` through a JPY-to-JPY `Conversion` whose rates differ by a power of ten.
private func roundedThroughConversion(
  _ value: FixedDecimal, toFractionDigits fractionDigits: UInt8, _ mode: RoundingMode
) -> Int64? {
  guard let jpy = try? Currency(code: "JPY") else { return nil }
  let shift = Int(fractionDigits) - Int(value.scale)
  guard shift.magnitude <= 18 else { return nil }
  guard let power = powerOfTen128(Int(shift.magnitude)).flatMap({ Int64(exactly: $0) }) else { return nil }
  let one = FixedDecimal(significand: 1, scale: 0)
  let tenfold = FixedDecimal(significand: power, scale: 0)
  let conversion =
    shift >= 0
    ? try? Conversion(from: jpy, rate: one, to: jpy, rate: tenfold)
    : try? Conversion(from: jpy, rate: tenfold, to: jpy, rate: one)
  return conversion?.convertedMinorUnits(value.significand, rounding: mode)
}

/// `numerator ÷ denominator` rounded through a JPY-to-JPY `Conversion` at rates `denominator` and 1,
/// when both fit in 64 bits.
private func roundedThroughConversion(_ numerator: Int128, over denominator: UInt128, _ mode: RoundingMode) -> Int64? {
  guard let jpy = try? Currency(code: "JPY"), let amount = Int64(exactly: numerator),
    let rate = Int64(exactly: denominator), rate > 0
  else { return nil }
  guard
    let conversion = try? Conversion(
      from: jpy, rate: FixedDecimal(significand: rate, scale: 0), to: jpy, rate: FixedDecimal(significand: 1, scale: 0))
  else { return nil }
  return conversion.convertedMinorUnits(amount, rounding: mode)
}

/// An exact conversion from one currency's minor units to another's, at two published rates.
///
/// Both rates are "units per EUR" as the ECB publishes them. Converting `amount` gives
/// `amount × rateTo ÷ rateFrom` (optionally `× percentage ÷ 100`), which is held as one reduced
/// fraction `numerator / denominator` of minor units, so no cross rate is ever rounded. Each
/// conversion multiplies in 128 bits, divides once, and rounds once with the mode it is given.
public struct Conversion: Sendable, Equatable {
  public let source: Currency
  public let target: Currency
  /// Target minor units per source minor unit, as a reduced fraction.
  public let numerator: UInt64
  public let denominator: UInt64

  /// A conversion from `source` to `target`, at `rateFrom` and `rateTo` units per EUR.
  ///
  /// With `percentage`, the factor also multiplies by `percentage / 100` (a commission rate),
  /// still exactly and still rounded only once when applied.
  /// - Throws: `MoneyError` when a rate is not positive, or the exact factor needs more than 64 bits.
  public init(
    from source: Currency, rate rateFrom: FixedDecimal,
    to target: Currency, rate rateTo: FixedDecimal,
    percentage: FixedDecimal? = nil
  ) throws(MoneyError) {
    let operation = "convert \(source.code) to \(target.code)"
    guard rateFrom.isPositive else {
      throw MoneyError(.badRate(currency: source, rate: rateFrom), operation: operation)
    }
    guard rateTo.isPositive else { throw MoneyError(.badRate(currency: target, rate: rateTo), operation: operation) }
    var numerator = UInt128(rateTo.significand)
    var denominator = UInt128(rateFrom.significand)
    // target minor = source minor × 10^(target units + from scale) ÷ 10^(source units + to scale) × rateTo ÷ rateFrom
    var exponent = Int(target.minorUnits) + Int(rateFrom.scale) - Int(source.minorUnits) - Int(rateTo.scale)
    if let percentage {
      guard percentage.significand >= 0 else {
        throw MoneyError(.badRate(currency: target, rate: percentage), operation: "apply percentage \(percentage)")
      }
      numerator *= UInt128(percentage.significand)
      denominator *= 100
      exponent -= Int(percentage.scale)
    }
    // Lowest terms first, then each factor of ten cancelled against the other side where it can be, so that a
    // factor whose lowest terms fit is never refused for a product on the way that does not (a rate written
    // "1.00000000000000000" brings 17 factors of ten to cancel).
    let common = Conversion.greatestCommonDivisor(numerator, denominator)
    numerator /= max(common, 1)
    denominator /= max(common, 1)
    var overflowed = false
    for _ in 0..<exponent.magnitude where !overflowed {
      overflowed =
        exponent > 0
        ? !Conversion.multiplyByTen(&numerator, cancellingWith: &denominator)
        : !Conversion.multiplyByTen(&denominator, cancellingWith: &numerator)
    }
    guard !overflowed, numerator <= UInt128(UInt64.max), denominator <= UInt128(UInt64.max), denominator > 0 else {
      throw MoneyError(.factorOutOfRange, operation: operation)
    }
    self.source = source
    self.target = target
    self.numerator = UInt64(numerator)
    self.denominator = UInt64(denominator)
  }

  /// Converts minor units of `source` into minor units of `target`, rounded once.
  /// - Throws: `MoneyError.overflow` when the result does not fit in 64 bits.
  @inlinable
  public func convert(minorUnits: Int64, rounding: RoundingMode) throws(MoneyError) -> Int64 {
    if let converted = convertedMinorUnits(minorUnits, rounding: rounding) { return converted }
    throw MoneyError(.overflow, operation: "convert \(minorUnits) minor units of \(source.code) to \(target.code)")
  }

  /// Converts minor units, or nil when the result does not fit in 64 bits. The hot path: no allocation, one division.
  @inlinable
  public func convertedMinorUnits(_ minorUnits: Int64, rounding: RoundingMode) -> Int64? {
    let isNegative = minorUnits < 0
    let product = minorUnits.magnitude.multipliedFullWidth(by: numerator)
    guard product.high < denominator else { return nil }
    let (truncated, remainder) = denominator.dividingFullWidth(product)
    let increment: UInt64
    if rounding == .halfEven {
      // The default mode, decided in integer arithmetic: no branch on a coin-toss comparison.
      let rest = denominator &- remainder
      let isAbove: UInt64 = remainder > rest ? 1 : 0
      let isTie: UInt64 = remainder == rest ? 1 : 0
      increment = isAbove | (isTie & truncated & 1)
    } else {
      increment =
        rounding.incrementsMagnitude(
          remainder: remainder, divisor: denominator, truncatedIsOdd: truncated & 1 == 1, isNegative: isNegative)
        ? 1 : 0
    }
    let magnitude = truncated &+ increment
    if isNegative {
      guard magnitude <= Int64.min.magnitude, magnitude >= truncated else { return nil }
      return magnitude == Int64.min.magnitude ? Int64.min : -Int64(magnitude)
    }
    guard magnitude <= UInt64(Int64.max), magnitude >= truncated else { return nil }
    return Int64(magnitude)
  }

  /// Converts `money`, rounded once to the target's minor units.
  /// - Throws: `MoneyError` when `money` is not in the source currency or the result overflows.
  public func convert(_ money: Money, rounding: RoundingMode) throws(MoneyError) -> Money {
    guard money.currency == source else {
      throw MoneyError(.currencyMismatch(money.currency, source), operation: "convert")
    }
    return Money(minorUnits: try convert(minorUnits: money.minorUnits, rounding: rounding), currency: target)
  }

  /// The exact, unrounded result in the target's major units, to `fractionDigitsMax` digits;
  /// a trailing `…` marks digits cut off. For explaining a conversion, never for arithmetic.
  public func exactText(of money: Money, fractionDigitsMax: Int = 12) -> String {
    let numeratorWide = UInt128(money.minorUnits.magnitude) * UInt128(numerator)
    let denominatorWide = UInt128(denominator) * Conversion.powerOfTen128(Int(target.minorUnits))
    let (integerPart, firstRemainder) = numeratorWide.quotientAndRemainder(dividingBy: denominatorWide)
    var text = (money.minorUnits < 0 && numeratorWide != 0 ? "-" : "") + String(integerPart)
    var remainder = firstRemainder
    var fraction = ""
    while remainder != 0 && fraction.count < fractionDigitsMax {
      let (digit, rest) = (remainder * 10).quotientAndRemainder(dividingBy: denominatorWide)
      fraction.append(Character(Unicode.Scalar(UInt8(48 + digit))))
      remainder = rest
    }
    if !fraction.isEmpty { text += "." + fraction }
    if remainder != 0 { text += "…" }
    return text
  }

  static func powerOfTen128(_ exponent: Int) -> UInt128 {
    precondition(exponent >= 0 && exponent <= 38, "10^\(exponent) does not fit in 128 bits")
    var result: UInt128 = 1
    for _ in 0..<exponent { result *= 10 }
    return result
  }

  /// Multiplies `value` by ten, keeping `value / other` in lowest terms: a factor 2 or 5 that `other` holds is
  /// divided out of `other` instead. False when the product passes 128 bits; the two stay coprime, so then the
  /// lowest-terms value does too.
  static func multiplyByTen(_ value: inout UInt128, cancellingWith other: inout UInt128) -> Bool {
    var factor: UInt128 = 10
    if other % 2 == 0 {
      other /= 2
      factor /= 2
    }
    if other % 5 == 0 {
      other /= 5
      factor /= 5
    }
    let (product, overflow) = value.multipliedReportingOverflow(by: factor)
    value = product
    return !overflow
  }

  static func greatestCommonDivisor(_ first: UInt128, _ second: UInt128) -> UInt128 {
    var (a, b) = (first, second)
    while b != 0 { (a, b) = (b, a % b) }
    return a
  }
}

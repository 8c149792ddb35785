import Money
import PropertyBased

/// Generators for the money core's property tests. Values are spread over every magnitude (the number of digits
/// is drawn first, then the digits) and every scale, and the boundaries are drawn often: zero, one, 10^18 - 1 (the
/// most digits a text may have), 10^18, `Int64.max` and `Int64.min`.
enum MoneyGen {
  /// 10^0 ... 10^18.
  static let powersOfTen: [Int64] = (0...18).map { exponent in
    (0..<exponent).reduce(Int64(1)) { power, _ in power * 10 }
  }

  static let edgeSignificands: [Int64] = [
    0, 1, -1, 5, -5, 9, 10, 99, 100, 999_999_999_999_999_999, -999_999_999_999_999_999, 1_000_000_000_000_000_000,
    -1_000_000_000_000_000_000, Int64.max, Int64.max - 1, Int64.min, Int64.min + 1, Int64.max / 10, Int64.min / 10,
    4_611_686_018_427_387_904, -4_611_686_018_427_387_904,
  ]

  /// One of `values`, each as likely.
  static func oneOf<Value: Sendable>(_ values: [Value]) -> Generator<Value, some SendableSequenceType> {
    Gen<Value?>.element(of: values).compactMap { $0 }
  }

  /// A value of `digits` decimal digits at most, `digits` drawn uniformly from `digitRange`: as many
  /// three-digit values as eighteen-digit ones.
  static func magnitude(digits digitRange: ClosedRange<Int>) -> Generator<Int64, some SendableSequenceType> {
    zip(Gen.int(in: digitRange), Gen.int64(in: 0...Int64.max)).map { digits, raw in
      digits >= 19 ? raw : raw % powersOfTen[digits]
    }
  }

  /// Any Int64: a fifth from the edges, a fifth uniform (nearly all of 19 digits), the rest of 1 to 18 digits with
  /// either sign.
  static var significand: Generator<Int64, some SendableSequenceType> {
    Gen.frequency(
      (1, oneOf(edgeSignificands)),
      (1, Gen.int64()),
      (3, zip(magnitude(digits: 1...18), Gen.bool).map { magnitude, isNegative in isNegative ? -magnitude : magnitude })
    )
  }

  static var scale: Generator<UInt8, some SendableSequenceType> { Gen<UInt8>.value(in: 0...FixedDecimal.scaleMax) }

  /// Any FixedDecimal: any significand at any scale 0 ... 18.
  static var fixedDecimal: Generator<FixedDecimal, some SendableSequenceType> {
    zip(significand, scale).map { significand, scale in FixedDecimal(significand: significand, scale: scale) }
  }

  /// Any currency Settle knows: minor units 0, 2, 3 and 4 all occur.
  static var currency: Generator<Currency, some SendableSequenceType> { oneOf(Currency.all) }

  /// Any amount in any currency.
  static var money: Generator<Money, some SendableSequenceType> {
    zip(significand, currency).map { minorUnits, currency in Money(minorUnits: minorUnits, currency: currency) }
  }

  /// A positive rate: mostly like the ECB's (1 to 9 significant digits at scale 0 to 6), some written with
  /// trailing zeros up to scale 18 ("1.2500000"), some anywhere in 64 bits at any scale, some at the edges (one at
  /// scale 18, `Int64.max`).
  static var rate: Generator<FixedDecimal, some SendableSequenceType> {
    Gen.frequency(
      (5, zip(magnitude(digits: 1...9), Gen<UInt8>.value(in: 0...6))),
      (2, withTrailingZeros),
      (2, zip(magnitude(digits: 1...19), scale)),
      (1, zip(oneOf([1, 2, 10, 1_000_000_000_000_000_000, Int64.max, 999_999_999_999_999_999]), scale))
    ).map { significand, scale in FixedDecimal(significand: max(significand, 1), scale: scale) }
  }

  /// A commission percentage, never negative: mostly 0 to 100 with up to 3 fraction digits, some with trailing
  /// zeros, some anywhere.
  static var percentage: Generator<FixedDecimal, some SendableSequenceType> {
    Gen.frequency(
      (5, zip(Gen.int64(in: 0...100_000), Gen<UInt8>.value(in: 0...3))),
      (1, withTrailingZeros),
      (1, zip(magnitude(digits: 1...19), scale))
    ).map { significand, scale in FixedDecimal(significand: significand, scale: scale) }
  }

  /// A significand and scale of up to 6 digits written with 0 to 12 more zeros after it, as far as 18 fraction
  /// digits go: equal values whose significands carry many factors of ten.
  private static var withTrailingZeros: Generator<(Int64, UInt8), some SendableSequenceType> {
    zip(magnitude(digits: 1...6), Gen<UInt8>.value(in: 0...6), Gen<UInt8>.value(in: 0...18)).map { parts in
      let (significand, scale, zeros) = parts
      let added = min(zeros, FixedDecimal.scaleMax - scale, 12)
      return (significand * powersOfTen[Int(added)], scale + added)
    }
  }

  /// 1 to 999 at scale 0 to 3, written with as many trailing zeros as 18 digits and scale 18 allow:
  /// "12.5000000000000000". The factors of ten a conversion has to cancel.
  static var paddedDecimal: Generator<FixedDecimal, some SendableSequenceType> {
    zip(Gen.int64(in: 1...999), Gen<UInt8>.value(in: 0...3)).map { significand, scale in
      var (padded, paddedScale) = (significand, scale)
      while padded < 100_000_000_000_000_000 && paddedScale < FixedDecimal.scaleMax {
        padded *= 10
        paddedScale += 1
      }
      return FixedDecimal(significand: padded, scale: paddedScale)
    }
  }
}

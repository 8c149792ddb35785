import Foundation
import Money

/// The same conversion done the common way, with Foundation.Decimal: the amount in major units,
/// times the target rate, divided by the source rate (38 significant digits), then rounded to the
/// target's minor units with `NSDecimalRound(_:_:_:.bankers)`. Only a yardstick for the benchmarks.
public struct DecimalConversion {
  public let rateFrom: Decimal
  public let rateTo: Decimal
  public let sourceExponent: Int
  public let targetFractionDigits: Int

  public init(_ workload: ConversionWorkload) {
    rateFrom = DecimalConversion.decimal(workload.rateFrom)
    rateTo = DecimalConversion.decimal(workload.rateTo)
    sourceExponent = -Int(workload.source.minorUnits)
    targetFractionDigits = Int(workload.target.minorUnits)
  }

  /// The converted amount in the target's major units, rounded half-even to its minor units.
  public func convert(minorUnits: Int64) -> Decimal {
    let amount = Decimal(
      sign: minorUnits < 0 ? .minus : .plus, exponent: sourceExponent,
      significand: Decimal(minorUnits.magnitude))
    var exact = amount * rateTo / rateFrom
    var rounded = Decimal()
    NSDecimalRound(&rounded, &exact, targetFractionDigits, .bankers)
    return rounded
  }

  /// Stops the run unless every amount converts to the same figure both ways: the two benchmarks
  /// must measure the same work. No amount lands on a tie here (the divisor 11225 is odd, so
  /// neither way can round a half differently).
  public func checkAgreement(with workload: ConversionWorkload) {
    let scale = Decimal(sign: .plus, exponent: targetFractionDigits, significand: 1)
    for amount in workload.amounts {
      let exact = workload.conversion.convertedMinorUnits(amount, rounding: .halfEven)
      let viaDecimal = convert(minorUnits: amount) * scale
      precondition(
        exact.map { Decimal($0) } == viaDecimal,
        "\(amount) minor units: exact \(String(describing: exact)), Foundation.Decimal \(viaDecimal)")
    }
  }

  private static func decimal(_ value: FixedDecimal) -> Decimal {
    Decimal(
      sign: value.isNegative ? .minus : .plus, exponent: -Int(value.scale),
      significand: Decimal(value.significand.magnitude))
  }
}

import Money

/// The plain decimal sum of amounts, in one currency or several, kept exactly as an integer count of
/// `10^-scale` units.
///
/// ISO 20022's `CtrlSum` is a bare decimal with no currency, so a group header over EUR and JPY transfers
/// sums 10.50 EUR and 1000 JPY as 1010.50. The scale is the largest minor-unit count of the currencies
/// summed, so every amount converts exactly; 128 bits hold any sum of 64-bit amounts a message can carry.
struct ControlSum: Equatable {
  /// Digits after the decimal point.
  let scale: UInt8
  private(set) var units: Int128 = 0

  init(scale: UInt8) {
    self.scale = scale
  }

  /// The sum of `amounts` at the largest minor-unit count among their currencies (0 when there are none).
  init(_ amounts: some Sequence<Money>) {
    self.init(scale: amounts.reduce(0) { max($0, $1.currency.minorUnits) })
    for amount in amounts { add(amount) }
  }

  mutating func add(_ amount: Money) {
    precondition(
      amount.currency.minorUnits <= scale, "\(amount) has more minor digits than the control sum's \(scale)")
    var scaled = Int128(amount.minorUnits)
    for _ in amount.currency.minorUnits..<scale { scaled *= 10 }
    units += scaled
  }

  /// The sum as a decimal with exactly `scale` fraction digits: `"1010.50"`, `"0"`.
  var text: String {
    guard scale > 0 else { return String(units) }
    var divisor: UInt128 = 1
    for _ in 0..<scale { divisor *= 10 }
    let (whole, fraction) = units.magnitude.quotientAndRemainder(dividingBy: divisor)
    let fractionDigits = String(fraction)
    let padding = String(repeating: "0", count: Int(scale) - fractionDigits.count)
    return (units < 0 ? "-" : "") + "\(whole)." + padding + fractionDigits
  }
}

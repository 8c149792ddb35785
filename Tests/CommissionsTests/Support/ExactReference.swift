/// An independent reference for a settlement figure, written apart from `Money.Conversion`:
/// `amount × percentage ÷ 100 × rateTo ÷ rateFrom` as one Int128 fraction, rounded once half-even.
/// Rates and amounts are given as the decimal texts the ECB and the orders file use.
enum ExactReference {
  /// The figure in the target currency's major units, with exactly `targetDigits` fraction digits.
  static func converted(
    _ amount: String, rateFrom: String, rateTo: String, percentage: String = "100", targetDigits: Int
  ) -> String {
    let (amountDigits, amountScale) = decimal(amount)
    let (percentageDigits, percentageScale) = decimal(percentage)
    let (fromDigits, fromScale) = decimal(rateFrom)
    let (toDigits, toScale) = decimal(rateTo)
    let numerator = amountDigits * percentageDigits * toDigits * power(targetDigits + fromScale)
    let denominator = power(amountScale) * 100 * power(percentageScale) * fromDigits * power(toScale)
    let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
    let rounded =
      2 * remainder > denominator || (2 * remainder == denominator && quotient % 2 == 1) ? quotient + 1 : quotient
    return text(rounded, digits: targetDigits)
  }

  /// The digits of a plain positive decimal and how many of them follow the point.
  static func decimal(_ text: String) -> (digits: Int128, scale: Int) {
    var digits: Int128 = 0
    var scale = 0
    var afterPoint = false
    for character in text {
      if character == "." {
        afterPoint = true
        continue
      }
      guard let value = character.wholeNumberValue else { preconditionFailure("\(text) is a plain decimal") }
      digits = digits * 10 + Int128(value)
      if afterPoint { scale += 1 }
    }
    return (digits, scale)
  }

  static func power(_ exponent: Int) -> Int128 {
    var result: Int128 = 1
    for _ in 0..<exponent { result *= 10 }
    return result
  }

  /// Minor units as major-unit text: `1325, 2` → `13.25`.
  static func text(_ minorUnits: Int128, digits: Int) -> String {
    var text = String(minorUnits)
    guard digits > 0 else { return text }
    if text.count <= digits { text = String(repeating: "0", count: digits + 1 - text.count) + text }
    text.insert(".", at: text.index(text.endIndex, offsetBy: -digits))
    return text
  }
}

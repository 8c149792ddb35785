import Foundation
public import Money
import Synchronization

/// Amounts formatted for a locale: `¥19,465`, `1.234,56 €`, `$1,234.56`.
///
/// The digits come from the amount's exact decimal text, never from a float or a
/// `Foundation.Decimal`. Foundation (ICU) is asked only for the locale's conventions: it formats
/// the template numbers 1111111, 1111 (or so), 0 and -1111111 in the currency, and the symbol,
/// the sign, their placement and spacing, the separators, the group sizes and the digits the
/// locale writes are read off those templates. The currency's minor units are ISO 4217's (Settle's),
/// not ICU's.
public enum MoneyFormat {
  /// Locale patterns kept at most: a server may be asked for any locale, and the cache must not grow for ever.
  static let patternsCachedMax = 1024
  private static let patterns = Mutex<[String: LocalePattern]>([:])

  /// `money` for `locale` (an identifier such as `en_US`, `de_DE` or `ja_JP`; an unknown one gets
  /// ICU's root conventions). Falls back to `money.description` (`12.50 USD`) when the locale's
  /// templates cannot be read.
  public static func string(_ money: Money, locale: String) -> String {
    guard let pattern = pattern(locale: locale, currency: money.currency) else { return money.description }
    return pattern.format(minorUnits: money.minorUnits, fractionDigits: Int(money.currency.minorUnits))
  }

  static func pattern(locale: String, currency: Currency) -> LocalePattern? {
    let key = locale + "|" + currency.code
    if let known = patterns.withLock({ $0[key] }) { return known }
    guard let pattern = LocalePattern(locale: locale, currency: currency) else { return nil }
    patterns.withLock { cached in
      if cached.count < patternsCachedMax { cached[key] = pattern }
    }
    return pattern
  }
}

/// A locale's way of writing an amount of one currency, read off ICU's formatting of templates.
struct LocalePattern: Sendable {
  var positivePrefix: String
  var positiveSuffix: String
  var negativePrefix: String
  var negativeSuffix: String
  var decimalSeparator: String
  var groupingSeparator: String
  /// Digits in the group nearest the decimal separator; 0 when the locale does not group.
  var primaryGroupSize: Int
  /// Digits in each further group (2 in en_IN's `12,34,567`).
  var secondaryGroupSize: Int
  /// Integer digits needed beyond the primary group before grouping starts (2 in es_ES: `1234`, `12.345`).
  var minimumGroupingDigits: Int
  /// The locale's zero digit (`0`, `٠`, …); the other nine follow it in Unicode.
  var zero: Unicode.Scalar

  init?(locale identifier: String, currency: Currency) {
    let formatter = NumberFormatter()
    formatter.locale = Locale(identifier: identifier)
    formatter.numberStyle = .currency
    formatter.currencyCode = currency.code
    formatter.minimumFractionDigits = Int(currency.minorUnits)
    formatter.maximumFractionDigits = Int(currency.minorUnits)
    formatter.minimumIntegerDigits = 1
    func template(_ value: Int) -> [Unicode.Scalar]? {
      formatter.string(from: NSNumber(value: value)).map { Array($0.unicodeScalars) }
    }
    guard let zeroText = template(0), let zero = zeroText.first(where: { $0.properties.numericType == .decimal }),
      let positive = template(1_111_111), let negative = template(-1_111_111),
      let positiveParts = LocalePattern.split(positive, zero: zero),
      let negativeParts = LocalePattern.split(negative, zero: zero)
    else { return nil }
    positivePrefix = positiveParts.prefix
    positiveSuffix = positiveParts.suffix
    negativePrefix = negativeParts.prefix
    negativeSuffix = negativeParts.suffix
    var runs = positiveParts.runs
    decimalSeparator = ""
    if currency.minorUnits > 0 {
      guard runs.count >= 2, runs[runs.count - 1].digits == Int(currency.minorUnits) else { return nil }
      decimalSeparator = runs[runs.count - 1].separatorBefore
      runs.removeLast()
    }
    groupingSeparator = runs.count >= 2 ? runs[1].separatorBefore : ""
    primaryGroupSize = runs.count >= 2 ? runs[runs.count - 1].digits : 0
    secondaryGroupSize = runs.count >= 3 ? runs[runs.count - 2].digits : primaryGroupSize
    minimumGroupingDigits = 1
    if primaryGroupSize > 0 && primaryGroupSize < 18 {
      let smallest = Int(String(repeating: "1", count: primaryGroupSize + 1)) ?? 0
      if let small = template(smallest), let parts = LocalePattern.split(small, zero: zero),
        parts.runs.count == (currency.minorUnits > 0 ? 2 : 1)
      {
        minimumGroupingDigits = 2
      }
    }
    self.zero = zero
  }

  /// A formatted template as the text before its first digit, the text after its last one, and
  /// the runs of digits between, each with the text that precedes it.
  static func split(_ scalars: [Unicode.Scalar], zero: Unicode.Scalar)
    -> (prefix: String, suffix: String, runs: [(separatorBefore: String, digits: Int)])?
  {
    func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= zero.value && scalar.value <= zero.value + 9 }
    guard let first = scalars.firstIndex(where: isDigit), let last = scalars.lastIndex(where: isDigit) else {
      return nil
    }
    var runs: [(separatorBefore: String, digits: Int)] = []
    var separator = ""
    var digits = 0
    for scalar in scalars[first...last] {
      if isDigit(scalar) {
        digits += 1
        continue
      }
      if digits > 0 {
        runs.append((separator, digits))
        separator = ""
        digits = 0
      }
      separator.unicodeScalars.append(scalar)
    }
    runs.append((separator, digits))
    var prefix = ""
    prefix.unicodeScalars.append(contentsOf: scalars[..<first])
    var suffix = ""
    suffix.unicodeScalars.append(contentsOf: scalars[(last + 1)...])
    return (prefix, suffix, runs)
  }

  /// Writes `minorUnits` with `fractionDigits` digits after the separator, grouped, in the locale's digits.
  func format(minorUnits: Int64, fractionDigits: Int) -> String {
    var digits = Array(String(minorUnits.magnitude).utf8)
    if digits.count <= fractionDigits {
      digits.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: fractionDigits + 1 - digits.count), at: 0)
    }
    let integerDigits = digits[..<(digits.count - fractionDigits)]
    var text = minorUnits < 0 ? negativePrefix : positivePrefix
    let isGrouped = primaryGroupSize > 0 && integerDigits.count >= primaryGroupSize + minimumGroupingDigits
    for (offset, digit) in integerDigits.enumerated() {
      let remaining = integerDigits.count - offset
      if isGrouped && offset > 0 && isGroupBoundary(digitsAfter: remaining) { text += groupingSeparator }
      text.unicodeScalars.append(localDigit(digit))
    }
    if fractionDigits > 0 {
      text += decimalSeparator
      for digit in digits[(digits.count - fractionDigits)...] { text.unicodeScalars.append(localDigit(digit)) }
    }
    return text + (minorUnits < 0 ? negativeSuffix : positiveSuffix)
  }

  private func isGroupBoundary(digitsAfter remaining: Int) -> Bool {
    if remaining == primaryGroupSize { return true }
    guard remaining > primaryGroupSize, secondaryGroupSize > 0 else { return false }
    return (remaining - primaryGroupSize) % secondaryGroupSize == 0
  }

  private func localDigit(_ asciiDigit: UInt8) -> Unicode.Scalar {
    Unicode.Scalar(zero.value + UInt32(asciiDigit - UInt8(ascii: "0"))) ?? "?"
  }
}

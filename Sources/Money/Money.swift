/// An amount of one currency, held as an integer count of its minor units.
///
/// `Money(minorUnits: 1250, currency: usd)` is 12.50 USD. Arithmetic is only defined within
/// one currency; mixing currencies or overflowing 64 bits throws, never wraps or traps.
/// Money is deliberately not `Numeric`: it cannot be multiplied by money, and a conversion
/// names its rate and rounding at the call site (`Conversion`).
public struct Money: Sendable, Hashable, CustomStringConvertible {
  public let minorUnits: Int64
  public let currency: Currency

  public init(minorUnits: Int64, currency: Currency) {
    self.minorUnits = minorUnits
    self.currency = currency
  }

  /// Zero in `currency`.
  public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

  /// The amount as a decimal with exactly the currency's minor-unit digits.
  public var amount: FixedDecimal { FixedDecimal(significand: minorUnits, scale: currency.minorUnits) }

  /// The amount with exactly the currency's minor-unit digits and no code: `"12.50"`, `"19465"`.
  public var amountText: String { amount.description }

  /// `"12.50 USD"`.
  public var description: String { "\(amountText) \(currency.code)" }

  public var isZero: Bool { minorUnits == 0 }
  public var isNegative: Bool { minorUnits < 0 }

  /// The sum, in the same currency.
  /// - Throws: `MoneyError` when the currencies differ or the sum does not fit in 64 bits.
  public func adding(_ other: Money) throws(MoneyError) -> Money {
    guard currency == other.currency else {
      throw MoneyError(.currencyMismatch(currency, other.currency), operation: "add")
    }
    let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
    guard !overflow else { throw MoneyError(.overflow, operation: "add \(other) to \(self)") }
    return Money(minorUnits: sum, currency: currency)
  }

  /// The difference, in the same currency.
  /// - Throws: `MoneyError` when the currencies differ or the difference does not fit in 64 bits.
  public func subtracting(_ other: Money) throws(MoneyError) -> Money {
    guard currency == other.currency else {
      throw MoneyError(.currencyMismatch(currency, other.currency), operation: "subtract")
    }
    let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
    guard !overflow else { throw MoneyError(.overflow, operation: "subtract \(other) from \(self)") }
    return Money(minorUnits: difference, currency: currency)
  }

  /// The amount with its sign flipped.
  /// - Throws: `MoneyError` for the one value whose negation does not fit (`Int64.min` minor units).
  public func negated() throws(MoneyError) -> Money {
    let (negation, overflow) = Int64(0).subtractingReportingOverflow(minorUnits)
    guard !overflow else { throw MoneyError(.overflow, operation: "negate \(self)") }
    return Money(minorUnits: negation, currency: currency)
  }
}

extension Money {
  /// Parses an amount such as `"12.50"` in `currency`.
  ///
  /// The text is a plain decimal (see `FixedDecimal(_:)`) with at most the currency's minor-unit
  /// digits: `"12.5"` is 12.50 USD, `"12.505"` is refused for USD, `"100.5"` is refused for JPY.
  /// - Throws: `MoneyError` quoting the text.
  public init(parsing text: String, currency: Currency) throws(MoneyError) {
    var utf8Text = text
    let outcome = utf8Text.withUTF8 { Money.parseMinorUnits($0, currency: currency) }
    switch outcome {
    case .success(let minorUnits): self.init(minorUnits: minorUnits, currency: currency)
    case .failure(let problem): throw MoneyError(.badAmount(text: text, problem: problem), operation: "parse")
    }
  }

  /// Why an amount text was refused: a decimal syntax problem, too many fraction digits for the currency,
  /// or more minor units than 64 bits hold.
  public enum AmountProblem: Error, Sendable, Equatable {
    case syntax(FixedDecimal.SyntaxProblem)
    case fractionDigits(allowed: UInt8, currency: Currency)
    case outOfRange(currency: Currency)

    public var reason: String {
      switch self {
      case .syntax(let problem): problem.reason
      case .fractionDigits(let allowed, let currency):
        allowed == 0
          ? "\(currency.code) has no minor unit, so no fraction digits are allowed"
          : "\(currency.code) allows at most \(allowed) fraction digits"
      case .outOfRange(let currency): "it does not fit in 64 bits of \(currency.code) minor units"
      }
    }
  }

  /// Parses an amount in minor units from bytes without allocating: the hot path for file readers.
  @inlinable @inline(__always)
  public static func parseMinorUnits(
    _ bytes: UnsafeBufferPointer<UInt8>, currency: Currency
  ) -> Result<Int64, AmountProblem> {
    if let minorUnits = parseShortPlainMinorUnits(bytes, minorUnits: currency.minorUnits) {
      return .success(minorUnits)
    }
    return parseMinorUnitsInGeneral(bytes, currency: currency)
  }

  /// Longest text `parseShortPlainMinorUnits` reads: 14 digits, padded with at most four zeros for
  /// the minor units, stay below 10^18, so its loop needs no overflow check.
  @usableFromInline static let shortPlainBytesMax = 14

  /// The minor units of a short plain amount (`digits` or `digits.digits`, with no more fraction
  /// digits than the currency has), in one loop with no checks but the syntax; nil for any other
  /// text, which `parseMinorUnitsInGeneral` then reads (and explains when it refuses it).
  @inlinable @inline(__always)
  static func parseShortPlainMinorUnits(_ bytes: UnsafeBufferPointer<UInt8>, minorUnits: UInt8) -> Int64? {
    let count = bytes.count
    guard count > 0, count <= shortPlainBytesMax else { return nil }
    var value: UInt64 = 0
    var index = 0
    var pointAt = -1
    while index < count {
      let digit = bytes[index] &- UInt8(ascii: "0")
      if digit < 10 {
        value = value &* 10 &+ UInt64(digit)
      } else if bytes[index] == UInt8(ascii: ".") && pointAt < 0 {
        pointAt = index
      } else {
        return nil
      }
      index += 1
    }
    var fractionDigits = 0
    if pointAt >= 0 {
      fractionDigits = count - 1 - pointAt
      guard pointAt > 0, fractionDigits > 0 else { return nil }
    }
    guard fractionDigits <= Int(minorUnits) else { return nil }
    for _ in fractionDigits..<Int(minorUnits) { value &*= 10 }
    return Int64(value)
  }

  /// `parseMinorUnits` for any text: through `FixedDecimal.parse`, with the reason for a refusal.
  @usableFromInline
  static func parseMinorUnitsInGeneral(
    _ bytes: UnsafeBufferPointer<UInt8>, currency: Currency
  ) -> Result<Int64, AmountProblem> {
    switch FixedDecimal.parse(bytes) {
    case .failure(let problem):
      return .failure(.syntax(problem))
    case .success(let decimal):
      guard decimal.scale <= currency.minorUnits else {
        return .failure(.fractionDigits(allowed: currency.minorUnits, currency: currency))
      }
      // 18 digits times a factor of up to 10^4 can pass Int64.max ("92233720368547759" USD does).
      let factor = Int64(powerOfTen(currency.minorUnits - decimal.scale))
      let (minorUnits, overflow) = decimal.significand.multipliedReportingOverflow(by: factor)
      guard !overflow else { return .failure(.outOfRange(currency: currency)) }
      return .success(minorUnits)
    }
  }
}

/// A money operation that cannot be done exactly, naming its inputs.
public struct MoneyError: Error, Equatable, CustomStringConvertible {
  public enum Kind: Equatable, Sendable {
    case currencyMismatch(Currency, Currency)
    case overflow
    case badAmount(text: String, problem: Money.AmountProblem)
    case badRate(currency: Currency, rate: FixedDecimal)
    case factorOutOfRange
  }

  public let kind: Kind
  /// What was being done, e.g. `"add 1.00 EUR to 2.00 USD"`.
  public let operation: String

  public init(_ kind: Kind, operation: String) {
    self.kind = kind
    self.operation = operation
  }

  public var description: String {
    switch kind {
    case .currencyMismatch(let left, let right):
      "cannot \(operation) \(left.code) and \(right.code): amounts in different currencies"
    case .overflow:
      "cannot \(operation): the result does not fit in 64 bits of minor units"
    case .badAmount(let text, let problem):
      "amount \"\(text)\" is not a plain decimal: \(problem.reason)"
    case .badRate(let currency, let rate):
      "rate \(rate) for \(currency.code) is not positive (\(operation))"
    case .factorOutOfRange:
      "cannot \(operation): the exact conversion factor does not fit in 64-bit numerator and denominator"
    }
  }
}

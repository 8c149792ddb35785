/// Why a bank detail was refused: the kind of value, the value as given, and the reason.
///
/// `description` reads `IBAN "DE89 3704 0044 0532 0130 01" has check digits 89, expected 62`: the kind, the
/// value in quotes as Swift would write it (quotes, backslashes and control characters escaped), then the reason.
/// A value longer than `valueShownCharactersMax` is cut there and marked with `…`, so that a hostile field of a
/// megabyte does not become a log line of a megabyte; `value` itself keeps all of it.
public struct BankDetailsError: Error, Equatable, Sendable, CustomStringConvertible {
  /// What was being checked: `"IBAN"`, `"BIC"` or `"e-mail address"`.
  public let kind: String
  /// The text as it was given, before any normalising.
  public let value: String
  /// Why it was refused, e.g. `is 21 characters, DE IBANs have 22`.
  public let reason: String

  /// How many characters of `value` the description shows before it cuts the rest.
  public static let valueShownCharactersMax = 64

  public init(kind: String, value: String, reason: String) {
    self.kind = kind
    self.value = value
    self.reason = reason
  }

  public var description: String {
    guard value.count > BankDetailsError.valueShownCharactersMax else {
      return "\(kind) \(value.debugDescription) \(reason)"
    }
    let shown = String(value.prefix(BankDetailsError.valueShownCharactersMax))
    return "\(kind) \(shown.debugDescription)… \(reason)"
  }
}

/// The reason a check failed, before the caller knows which kind and value to name; each public initialiser
/// turns it into a `BankDetailsError`.
struct Refusal: Error {
  let reason: String
  init(_ reason: String) { self.reason = reason }
}

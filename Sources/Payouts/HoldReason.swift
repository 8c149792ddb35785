/// Why a payout is held rather than paid: a code for machines and a detail for people, naming
/// the file, line and field where the affiliate's details are at fault.
///
/// A detail never quotes text that a spreadsheet would run as a formula: for `formulaText` it
/// names the field only.
public struct HoldReason: Sendable, Equatable, CustomStringConvertible {
  public enum Code: String, Sendable, CaseIterable {
    /// The affiliate earned commission but has no row in the affiliates file.
    case unknownAffiliate = "unknown_affiliate"
    /// Two rows of the affiliates file have the same affiliate id: neither is trusted.
    case duplicateAffiliate = "duplicate_affiliate"
    /// The affiliate's row is not well-formed CSV or has the wrong number of fields.
    case malformedRow = "malformed_row"
    /// A detail the payout method needs is empty.
    case missingDetails = "missing_details"
    /// A detail fails its check (IBAN, BIC, e-mail, country, currency, method).
    case invalidDetails = "invalid_details"
    /// A field begins with a character a spreadsheet runs as a formula.
    case formulaText = "formula_text"
    /// The ECB rates do not give the payout currency on the rate day.
    case unsupportedCurrency = "unsupported_currency"
    /// The payout is more than `PayoutBatch.payoutMajorUnitsMax` units of its currency.
    case aboveMaximum = "above_maximum"
    /// Earlier clawbacks leave the affiliate owing the program: nothing is paid, the balance carries.
    case negativeBalance = "negative_balance"
    /// The payout rounds to zero in the payout currency.
    case zeroAmount = "zero_amount"
    /// The payout is below the program's minimum.
    case belowMinimum = "below_minimum"
  }

  public let code: Code
  public let detail: String

  public init(_ code: Code, _ detail: String) {
    self.code = code
    self.detail = detail
  }

  /// `code: detail`, as written in the `reason` column of `payouts.csv`.
  public var description: String { detail.isEmpty ? code.rawValue : "\(code.rawValue): \(detail)" }
}

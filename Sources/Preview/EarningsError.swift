public import Dates

/// Why earnings cannot be shown, naming the input.
public enum EarningsError: Error, Equatable, CustomStringConvertible {
  /// The ledger has no commission, payout or balance for the affiliate.
  case unknownAffiliate(String)
  /// The code is not an ISO 4217 currency.
  case unknownCurrency(String)
  /// The latest ECB publication in the store has no rate for the currency.
  case notPublished(currency: String, day: Day)

  public var description: String {
    switch self {
    case .unknownAffiliate(let affiliateID):
      "no earnings for affiliate \"\(affiliateID)\": the ledger has no commission, payout or balance for it"
    case .unknownCurrency(let code):
      "currency \"\(code)\" is not an ISO 4217 code"
    case .notPublished(let currency, let day):
      "the ECB publication of \(day) has no rate for \(currency)"
    }
  }
}

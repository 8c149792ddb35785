import BankDetails
import Money

/// Who pays the banks' charges of a transfer (ISO 20022 `ChargeBearerType1Code`).
///
/// A euro transfer between two IBANs in SEPA countries is a SEPA credit transfer, whose rulebook requires
/// `SLEV`: charges follow the scheme, each side paying its own bank. Every other transfer — another currency,
/// or an account outside SEPA — is `SHAR`: the debtor pays its bank, the creditor the rest, which is what
/// an affiliate programme that pays a fixed commission wants (`DEBT` would make Settle pay unknown
/// correspondent charges; `CRED` would take the debtor's own bank charge out of the commission too).
enum ChargeBearer: String {
  case followingServiceLevel = "SLEV"
  case shared = "SHAR"

  /// The charge bearer of one transfer from `debtor`.
  static func of(_ transfer: WireTransfer, from debtor: WireDebtor) -> ChargeBearer {
    guard transfer.amount.currency.code == "EUR", debtor.iban.isSEPA, case .iban(let iban) = transfer.creditorAccount,
      iban.isSEPA
    else { return .shared }
    return .followingServiceLevel
  }
}

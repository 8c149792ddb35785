public import BankDetails
public import Countries
public import Money

/// How an affiliate is paid.
public enum PayoutMethod: String, Sendable, CaseIterable {
  /// A Payoneer mass payout to a payee id.
  case payoneer
  /// A Wise batch transfer to an e-mail address or a bank account.
  case wise
  /// An ISO 20022 credit transfer from the payer's bank.
  case wire
}

/// One row of the affiliates file, checked: who the affiliate is and where its money goes.
public struct Affiliate: Sendable, Equatable {
  public let id: String
  /// The line of the affiliates file it came from.
  public let line: Int
  public let name: String
  public let country: Country?
  public let payoutCurrency: Currency
  public let destination: Destination

  /// Where a payout goes, with only the details its method needs, each already validated.
  public enum Destination: Sendable, Equatable {
    case payoneer(payeeID: String)
    case wise(WiseRecipient)
    case wire(WireCreditor)

    public var method: PayoutMethod {
      switch self {
      case .payoneer: .payoneer
      case .wise: .wise
      case .wire: .wire
      }
    }
  }

  /// A Wise recipient: an e-mail address (Wise asks the recipient for bank details), an IBAN, or
  /// a local account number with its routing code.
  public struct WiseRecipient: Sendable, Equatable {
    public let email: EmailAddress?
    public let iban: IBAN?
    public let bic: BIC?
    public let accountNumber: String?
    public let routingCode: String?
    public let address: PostalAddress?
  }

  /// A wire creditor: an IBAN or a local account number, the bank's BIC, and the postal address
  /// banks ask for.
  public struct WireCreditor: Sendable, Equatable {
    public let account: CreditorAccount
    public let bic: BIC
    public let address: PostalAddress
  }
}

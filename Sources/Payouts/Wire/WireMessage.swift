public import BankDetails
public import Countries
public import Dates
public import Money

/// The ISO 20022 customer credit transfer initiation versions Settle writes.
public enum WireFormat: String, CaseIterable, Sendable {
  case pain00100109 = "pain.001.001.09"
  case pain00100103 = "pain.001.001.03"
}

/// A creditor's postal address; every part but the country may be missing.
public struct PostalAddress: Sendable, Equatable {
  /// Street and number, as one line.
  public var line: String?
  public var city: String?
  public var postalCode: String?
  public var country: Country

  public init(line: String? = nil, city: String? = nil, postalCode: String? = nil, country: Country) {
    self.line = line
    self.city = city
    self.postalCode = postalCode
    self.country = country
  }
}

/// Where the money goes: an IBAN, or another account number the creditor's bank knows.
public enum CreditorAccount: Sendable, Equatable {
  case iban(IBAN)
  case other(accountNumber: String)
}

/// One credit transfer to one creditor.
public struct WireTransfer: Sendable, Equatable {
  /// At most 35 characters, deterministic; given by the caller and written unchanged.
  public var endToEndID: String
  /// A positive amount; its currency decides the payment information block.
  public var amount: Money
  public var creditorName: String
  public var creditorAddress: PostalAddress
  public var creditorAccount: CreditorAccount
  public var creditorAgent: BIC
  /// Unstructured, e.g. "Alibaba.com Affiliate Program commission 2026-10 AFF0042".
  public var remittanceInformation: String

  public init(
    endToEndID: String, amount: Money, creditorName: String, creditorAddress: PostalAddress,
    creditorAccount: CreditorAccount, creditorAgent: BIC, remittanceInformation: String
  ) {
    self.endToEndID = endToEndID
    self.amount = amount
    self.creditorName = creditorName
    self.creditorAddress = creditorAddress
    self.creditorAccount = creditorAccount
    self.creditorAgent = creditorAgent
    self.remittanceInformation = remittanceInformation
  }
}

/// The payer: the account every transfer of the message is debited from.
public struct WireDebtor: Sendable, Equatable {
  public var name: String
  public var iban: IBAN
  public var bic: BIC
  public var country: Country
  public var accountCurrency: Currency

  public init(name: String, iban: IBAN, bic: BIC, country: Country, accountCurrency: Currency) {
    self.name = name
    self.iban = iban
    self.bic = bic
    self.country = country
    self.accountCurrency = accountCurrency
  }
}

/// One pain.001 message: a debtor, an execution day and the transfers, in any order.
public struct WireMessage: Sendable, Equatable {
  public var format: WireFormat
  /// At most 35 characters, unique per message; written unchanged.
  public var messageID: String
  /// Written as an ISO date-time in UTC, e.g. `2026-11-02T09:00:00Z`.
  public var createdAt: Timestamp
  public var executionDate: Day
  public var debtor: WireDebtor
  /// Any order in; the document groups them deterministically (see `Pain001Writer.document`).
  public var transfers: [WireTransfer]

  public init(
    format: WireFormat, messageID: String, createdAt: Timestamp, executionDate: Day, debtor: WireDebtor,
    transfers: [WireTransfer]
  ) {
    self.format = format
    self.messageID = messageID
    self.createdAt = createdAt
    self.executionDate = executionDate
    self.debtor = debtor
    self.transfers = transfers
  }
}

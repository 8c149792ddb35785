import BankDetails
import Countries

/// The schema's lengths, in characters, of the free-text fields the writer fills.
enum FieldLength {
  static let name = 140
  static let addressLine = 70
  static let streetName = addressLine
  static let townName = 35
  static let postalCode = 16
  static let remittance = 140
}

extension Pain001Writer {
  /// `Dbtr`, `DbtrAcct` (IBAN and account currency) and `DbtrAgt`.
  static func debtor(_ debtor: WireDebtor, format: WireFormat, into xml: inout XMLTextWriter) {
    xml.open("Dbtr")
    xml.element("Nm", SEPAText.name(debtor.name, charactersMax: FieldLength.name))
    xml.open("PstlAdr")
    xml.element("Ctry", debtor.country.code)
    xml.close("PstlAdr")
    xml.close("Dbtr")
    xml.open("DbtrAcct")
    xml.open("Id")
    xml.element("IBAN", debtor.iban.electronic)
    xml.close("Id")
    xml.element("Ccy", debtor.accountCurrency.code)
    xml.close("DbtrAcct")
    agent("DbtrAgt", debtor.bic, format: format, into: &xml)
  }

  /// One `CdtTrfTxInf`; `chargeBearer` is written only when the block does not carry one for all.
  static func creditTransfer(
    _ transfer: WireTransfer, chargeBearer: ChargeBearer?, format: WireFormat, into xml: inout XMLTextWriter
  ) {
    xml.open("CdtTrfTxInf")
    xml.open("PmtId")
    xml.element("EndToEndId", transfer.endToEndID)
    xml.close("PmtId")
    xml.open("Amt")
    xml.element("InstdAmt", transfer.amount.amountText, attribute: (name: "Ccy", value: transfer.amount.currency.code))
    xml.close("Amt")
    if let chargeBearer { xml.element("ChrgBr", chargeBearer.rawValue) }
    agent("CdtrAgt", transfer.creditorAgent, format: format, into: &xml)
    xml.open("Cdtr")
    xml.element("Nm", SEPAText.name(transfer.creditorName, charactersMax: FieldLength.name))
    postalAddress(transfer.creditorAddress, format: format, into: &xml)
    xml.close("Cdtr")
    creditorAccount(transfer.creditorAccount, into: &xml)
    if let remittance = SEPAText.cleaned(transfer.remittanceInformation, charactersMax: FieldLength.remittance) {
      xml.open("RmtInf")
      xml.element("Ustrd", remittance)
      xml.close("RmtInf")
    }
    xml.close("CdtTrfTxInf")
  }

  /// A bank by its BIC: `BICFI` in .09, `BIC` in .03.
  private static func agent(_ element: String, _ bic: BIC, format: WireFormat, into xml: inout XMLTextWriter) {
    xml.open(element)
    xml.open("FinInstnId")
    xml.element(format.bicElement, bic.code)
    xml.close("FinInstnId")
    xml.close(element)
  }

  /// `PstlAdr`. In .09 the structured parts (`StrtNm`, `PstCd`, `TwnNm`, `Ctry`); .03's `PostalAddress6` has
  /// them too, but EPC and most banks take only `Ctry` and two `AdrLine`s there: the street line, then
  /// postal code and town. A part with nothing left after transliteration is left out.
  private static func postalAddress(_ address: PostalAddress, format: WireFormat, into xml: inout XMLTextWriter) {
    // StrtNm and AdrLine are both 70 characters.
    let street = address.line.flatMap { SEPAText.cleaned($0, charactersMax: FieldLength.streetName) }
    xml.open("PstlAdr")
    switch format {
    case .pain00100109:
      if let street { xml.element("StrtNm", street) }
      if let postalCode = address.postalCode.flatMap({ SEPAText.cleaned($0, charactersMax: FieldLength.postalCode) }) {
        xml.element("PstCd", postalCode)
      }
      if let town = address.city.flatMap({ SEPAText.cleaned($0, charactersMax: FieldLength.townName) }) {
        xml.element("TwnNm", town)
      }
      xml.element("Ctry", address.country.code)
    case .pain00100103:
      xml.element("Ctry", address.country.code)
      if let street { xml.element("AdrLine", street) }
      let postalCodeAndTown = [address.postalCode, address.city].compactMap { $0 }.joined(separator: " ")
      if let line = SEPAText.cleaned(postalCodeAndTown, charactersMax: FieldLength.addressLine) {
        xml.element("AdrLine", line)
      }
    }
    xml.close("PstlAdr")
  }

  /// `CdtrAcct`: the IBAN, or another account number under `Othr/Id`, written as given.
  private static func creditorAccount(_ account: CreditorAccount, into xml: inout XMLTextWriter) {
    xml.open("CdtrAcct")
    xml.open("Id")
    switch account {
    case .iban(let iban):
      xml.element("IBAN", iban.electronic)
    case .other(let accountNumber):
      xml.open("Othr")
      xml.element("Id", accountNumber)
      xml.close("Othr")
    }
    xml.close("Id")
    xml.close("CdtrAcct")
  }
}

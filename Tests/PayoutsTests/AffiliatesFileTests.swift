import BankDetails
import Countries
import Files
import Money
import Payouts
import Testing

@Suite("Affiliates file")
struct AffiliatesFileTests {
  let usd = Currency.usd

  func load(_ rows: [[String: String]]) throws -> AffiliatesFile {
    let directory = try PayoutFixtures.temporaryDirectory()
    try PayoutFixtures.write(PayoutFixtures.affiliates(rows), to: directory + "/affiliates.csv")
    return try AffiliatesFile.load(path: directory + "/affiliates.csv", settlementCurrency: usd)
  }

  /// The hold reason of the only affiliate, with the temporary directory taken out of its detail.
  func heldReason(_ row: [String: String]) throws -> String? {
    let file = try load([row])
    guard case .held(_, let reason)? = file.entries[row["affiliate_id"] ?? ""] else { return nil }
    return reason.description.replacingOccurrences(of: file.path, with: "affiliates.csv")
  }

  @Test func everyMethodWithItsDetailsIsPayable() throws {
    let file = try load([
      PayoutFixtures.payoneer("P1"), PayoutFixtures.wiseEmail("W1"), PayoutFixtures.wire("R1"),
      PayoutFixtures.wire("R2").merging(["iban": "", "account_number": "000123456789", "bic": "CHASUS33"]) { $1 },
      PayoutFixtures.wiseEmail("W2").merging(["email": "", "iban": "gb29 nwbk 6016 1331 9268 19"]) { $1 },
      PayoutFixtures.wiseEmail("W3").merging(["email": "", "account_number": "8296354700", "routing_code": "026009593"])
      { $1 },
    ])
    #expect(file.rowCount == 6)
    #expect(file.rejectedRows.isEmpty)
    for id in ["P1", "W1", "R1", "R2", "W2", "W3"] {
      guard case .payable? = file.entries[id] else {
        Issue.record("\(id) is not payable: \(String(describing: file.entries[id]))")
        continue
      }
    }
    guard case .payable(let wiseIBAN)? = file.entries["W2"], case .wise(let recipient) = wiseIBAN.destination else {
      Issue.record("W2 is a Wise IBAN recipient")
      return
    }
    #expect(recipient.iban?.electronic == "GB29NWBK60161331926819")
    guard case .payable(let wire)? = file.entries["R1"], case .wire(let creditor) = wire.destination else {
      Issue.record("R1 is a wire creditor")
      return
    }
    #expect(creditor.bic.code == "DEUTDEFF")
    #expect(creditor.address.city == "Frankfurt am Main")
    #expect(wire.payoutCurrency.code == "EUR")
  }

  @Test func anEmptyPayoutCurrencyIsTheSettlementCurrency() throws {
    let file = try load([PayoutFixtures.payoneer("P1").merging(["payout_currency": ""]) { $1 }])
    guard case .payable(let affiliate)? = file.entries["P1"] else {
      Issue.record("P1 is payable")
      return
    }
    #expect(affiliate.payoutCurrency == usd)
  }

  @Test func aMissingDetailHoldsThePayoutNamingTheColumn() throws {
    #expect(
      try heldReason(PayoutFixtures.payoneer("P1", payee: ""))
        == "missing_details: affiliates.csv:2: payoneer payouts need payoneer_payee_id")
    #expect(
      try heldReason(PayoutFixtures.wiseEmail("W1").merging(["email": ""]) { $1 })
        == "missing_details: affiliates.csv:2: wise payouts need email, or iban, or account_number with routing_code")
    #expect(
      try heldReason(PayoutFixtures.wire("R1").merging(["bic": ""]) { $1 })
        == "missing_details: affiliates.csv:2: wire payouts need bic")
    #expect(
      try heldReason(PayoutFixtures.wire("R1").merging(["country": ""]) { $1 })
        == "missing_details: affiliates.csv:2: wire payouts need country")
    #expect(
      try heldReason(PayoutFixtures.wire("R1").merging(["iban": ""]) { $1 })
        == "missing_details: affiliates.csv:2: wire payouts need iban or account_number")
    #expect(
      try heldReason(PayoutFixtures.wire("R1").merging(["name": ""]) { $1 })
        == "missing_details: affiliates.csv:2: wire payouts need name")
  }

  @Test func anInvalidDetailHoldsThePayoutNamingTheColumnAndValue() throws {
    let badIBAN = try heldReason(PayoutFixtures.wire("R1", iban: "DE88370400440532013000"))
    #expect(badIBAN?.hasPrefix("invalid_details: affiliates.csv:2: iban: IBAN \"DE88370400440532013000\"") == true)
    let badBIC = try heldReason(PayoutFixtures.wire("R1").merging(["bic": "DEUT DEFF"]) { $1 })
    #expect(badBIC?.hasPrefix("invalid_details: affiliates.csv:2: bic: BIC \"DEUT DEFF\"") == true)
    let badEmail = try heldReason(PayoutFixtures.wiseEmail("W1").merging(["email": "not-an-address"]) { $1 })
    #expect(badEmail?.hasPrefix("invalid_details: affiliates.csv:2: email: ") == true)
    #expect(
      try heldReason(PayoutFixtures.payoneer("P1", currency: "XYZ"))
        == "invalid_details: affiliates.csv:2: payout_currency: \(try #require(currencyMessage("XYZ")))")
    #expect(
      try heldReason(PayoutFixtures.payoneer("P1").merging(["payout_method": "cheque"]) { $1 })
        == "invalid_details: affiliates.csv:2: payout_method: \"cheque\" is not payoneer, wise or wire")
    let badCountry = try heldReason(PayoutFixtures.payoneer("P1").merging(["country": "ZZ"]) { $1 })
    #expect(badCountry?.hasPrefix("invalid_details: affiliates.csv:2: country: ") == true)
  }

  func currencyMessage(_ code: String) -> String? {
    do {
      _ = try Currency(code: code)
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test(arguments: ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\rx"])
  func formulaTextInAnyFieldHoldsThePayoutWithoutQuotingIt(_ text: String) throws {
    for column in ["name", "city", "address_line", "postal_code"] {
      let reason = try heldReason(PayoutFixtures.wire("R1").merging([column: text]) { $1 })
      #expect(
        reason == "formula_text: affiliates.csv:2: \(column) begins with a character a spreadsheet runs as a formula")
    }
  }

  @Test func textThatOnlyContainsFormulaCharactersLaterIsPayable() throws {
    let file = try load([PayoutFixtures.wire("R1", name: "Smith & Sons = Best + More @ Home")])
    guard case .payable? = file.entries["R1"] else {
      Issue.record("R1 is payable")
      return
    }
  }

  @Test func aDuplicateAffiliateIsHeldNamingEveryLineWithItsID() throws {
    let file = try load([
      PayoutFixtures.payoneer("P1"), PayoutFixtures.payoneer("P2"), PayoutFixtures.payoneer("P1"),
      PayoutFixtures.wiseEmail("P1"),
    ])
    guard case .held(let line, let reason)? = file.entries["P1"] else {
      Issue.record("P1 is held")
      return
    }
    #expect(line == 2)
    #expect(reason.code == .duplicateAffiliate)
    #expect(reason.detail.hasSuffix(": lines 2, 4 and 5 all have affiliate_id \"P1\""))
    #expect(file.rowCount == 4)
    #expect(file.rejectedRows.isEmpty)
    let pair = try load([PayoutFixtures.payoneer("P1"), PayoutFixtures.payoneer("P1")])
    guard case .held(_, let pairReason)? = pair.entries["P1"] else {
      Issue.record("P1 is held")
      return
    }
    #expect(pairReason.detail.hasSuffix(": lines 2 and 3 both have affiliate_id \"P1\""))
    guard case .payable? = file.entries["P2"] else {
      Issue.record("P2 is still payable")
      return
    }
  }

  @Test func rowsThatNameNoAffiliateAreReportedWithTheirLine() throws {
    let directory = try PayoutFixtures.temporaryDirectory()
    let text =
      PayoutFixtures.affiliatesHeader + "\n" + "\"unterminated,x\n" + ",no id,,,payoneer,,,,,,,,,\n"
      + "P1,Payee,,US,payoneer,USD,PY1,,,,,,,\n" + "P2,short row\n"
    try PayoutFixtures.write(text, to: directory + "/affiliates.csv")
    let file = try AffiliatesFile.load(path: directory + "/affiliates.csv", settlementCurrency: usd)
    #expect(file.rowCount == 4)
    #expect(file.rejectedRows.map(\.line) == [2, 3])
    #expect(file.rejectedRows[1].reason == "affiliate_id is empty")
    guard case .held(_, let reason)? = file.entries["P2"] else {
      Issue.record("P2 is held")
      return
    }
    #expect(reason.code == .malformedRow)
    #expect(reason.detail.hasSuffix(":5: expected 14 fields as in the header, found 2"))
    guard case .payable? = file.entries["P1"] else {
      Issue.record("P1 is payable")
      return
    }
  }

  @Test func columnsInAnyOrderAndExtraColumnsAreAccepted() throws {
    let directory = try PayoutFixtures.temporaryDirectory()
    let text = "notes,payout_method,payoneer_payee_id,affiliate_id\nhello,payoneer,PY9,P9\n"
    try PayoutFixtures.write(text, to: directory + "/affiliates.csv")
    let file = try AffiliatesFile.load(path: directory + "/affiliates.csv", settlementCurrency: usd)
    guard case .payable(let affiliate)? = file.entries["P9"] else {
      Issue.record("P9 is payable")
      return
    }
    #expect(affiliate.destination == .payoneer(payeeID: "PY9"))
  }

  @Test func aHeaderWithoutARequiredColumnIsRefused() throws {
    let directory = try PayoutFixtures.temporaryDirectory()
    try PayoutFixtures.write("affiliate_id,name\nP1,x\n", to: directory + "/affiliates.csv")
    #expect(throws: PayoutsError.self) {
      try AffiliatesFile.load(path: directory + "/affiliates.csv", settlementCurrency: usd)
    }
    do {
      _ = try AffiliatesFile.load(path: directory + "/affiliates.csv", settlementCurrency: usd)
    } catch {
      #expect(
        "\(error)"
          == "\(directory)/affiliates.csv:1: the header has no \"payout_method\" column (expected \(PayoutFixtures.affiliatesHeader))"
      )
    }
  }

  @Test func anEmptyFileIsRefused() throws {
    let directory = try PayoutFixtures.temporaryDirectory()
    try PayoutFixtures.write("", to: directory + "/affiliates.csv")
    #expect(throws: PayoutsError.self) {
      try AffiliatesFile.load(path: directory + "/affiliates.csv", settlementCurrency: usd)
    }
  }
}

extension Currency {
  static var usd: Currency {
    guard let currency = try? Currency(code: "USD") else { preconditionFailure("USD is in the table") }
    return currency
  }
}

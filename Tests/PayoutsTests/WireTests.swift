import BankDetails
import Countries
import Dates
import Files
import Money
@testable import Payouts
import Testing
import XMLSchema

/// The pain.001 writer: golden files byte for byte, every document checked against the ISO 20022 schema
/// files and the embedded copies, totals recounted from the text, and the text rules field by field.
@Suite struct WireTests {
  // MARK: Golden files and determinism

  @Test(arguments: WireFormat.allCases)
  func theGoldenMessageIsWrittenByteForByte(format: WireFormat) throws {
    let document = Pain001Writer.document(try WireFixtures.goldenMessage(format))
    #expect(document == (try WireFixtures.bytes(WireFixtures.goldenDirectory + "/wire-\(format.rawValue).xml")))
    try expectValid(document, format)
  }

  @Test(arguments: WireFormat.allCases)
  func aChangedAmountChangesOnlyItsLineAndTheTotals(format: WireFormat) throws {
    var message = try WireFixtures.goldenMessage(format)
    message.transfers[0].amount = try WireFixtures.money("1234.51", "EUR")
    let document = Pain001Writer.document(message)
    let golden = try WireFixtures.bytes(WireFixtures.goldenDirectory + "/wire-\(format.rawValue).xml")
    #expect(document != golden)
    #expect(
      changedLines(from: golden, to: document) == [
        "<CtrlSum>21097.77</CtrlSum>", "<CtrlSum>1234.52</CtrlSum>", "<InstdAmt Ccy=\"EUR\">1234.51</InstdAmt>",
      ])
    try expectValid(document, format)
  }

  @Test(arguments: WireFormat.allCases)
  func theSameTransfersInAnotherCurrencyOrderGiveTheSameBytes(format: WireFormat) throws {
    let message = try WireFixtures.goldenMessage(format)
    var reordered = message
    // Currencies interleaved differently; the two euro transfers keep their order.
    reordered.transfers = [4, 0, 2, 3, 1].map { message.transfers[$0] }
    #expect(Pain001Writer.document(message) == Pain001Writer.document(message))
    #expect(Pain001Writer.document(reordered) == Pain001Writer.document(message))
  }

  @Test(arguments: WireFormat.allCases)
  func transfersOfOneCurrencyKeepTheirOrder(format: WireFormat) throws {
    let message = try WireFixtures.goldenMessage(format)
    var swapped = message
    swapped.transfers.swapAt(0, 3)  // the two euro transfers
    #expect(Pain001Writer.document(swapped) != Pain001Writer.document(message))
    #expect(
      WireFixtures.values("EndToEndId", in: Pain001Writer.document(swapped)) == [
        "AFF0042-BONUS", "AFF0042-2026-10", "AFF0999-2026-10", "AFF0311-2026-10", "AFF0107-2026-10",
      ])
  }

  // MARK: Totals, counted from the text

  @Test(arguments: WireFormat.allCases)
  func theTotalsAgreeWithAnIndependentCount(format: WireFormat) throws {
    let document = Pain001Writer.document(try WireFixtures.goldenMessage(format))
    #expect(totalProblems(document) == [])
    #expect(WireFixtures.values("NbOfTxs", in: document) == ["5", "2", "1", "1", "1"])
    #expect(WireFixtures.values("CtrlSum", in: document) == ["21097.76", "1234.51", "310.25", "19465", "88.00"])
  }

  @Test func theIndependentCountFindsWrongTotals() throws {
    let document = Pain001Writer.document(try WireFixtures.goldenMessage(.pain00100109))
    let text = String(decoding: document, as: UTF8.self)
    let wrongCount = Array(text.replacing("<NbOfTxs>5</NbOfTxs>", with: "<NbOfTxs>6</NbOfTxs>").utf8)
    let wrongSum = Array(text.replacing("<CtrlSum>310.25</CtrlSum>", with: "<CtrlSum>310.26</CtrlSum>").utf8)
    #expect(totalProblems(wrongCount) == ["the message says 6 transfers, the text has 5"])
    #expect(totalProblems(wrongSum) == ["block 2 says 310.26, its amounts sum to 310.25"])
  }

  @Test func theControlSumAcrossCurrenciesIsTheExactDecimalSum() throws {
    let message = try WireFixtures.message(
      .pain00100109,
      [
        WireFixtures.transfer("E1", "10.50", "EUR"), WireFixtures.transfer("J1", "1000", "JPY"),
        WireFixtures.transfer("K1", "1.234", "KWD"), WireFixtures.transfer("E2", "0.05", "EUR"),
      ])
    let document = Pain001Writer.document(message)
    #expect(WireFixtures.values("CtrlSum", in: document) == ["1011.784", "10.55", "1000", "1.234"])
    #expect(WireFixtures.values("PmtInfId", in: document).map { $0.suffix(3) } == ["EUR", "JPY", "KWD"])
    #expect(totalProblems(document) == [])
    try expectValid(document, .pain00100109)
  }

  @Test func aControlSumPastEighteenDigitsIsWrittenExactlyAndTheSchemaRefusesIt() throws {
    let largest = Money(minorUnits: Int64.max, currency: try WireFixtures.currency("EUR"))
    var first = try WireFixtures.transfer("E1", "1", "EUR")
    first.amount = largest
    var second = try WireFixtures.transfer("E2", "1", "EUR")
    second.amount = largest
    let document = Pain001Writer.document(try WireFixtures.message(.pain00100109, [first, second]))
    #expect(WireFixtures.values("CtrlSum", in: document) == ["184467440737095516.14", "184467440737095516.14"])
    #expect(totalProblems(document) == [])
    let violations = try WireFixtures.violations(document, .pain00100109)
    #expect(violations.shared == violations.embedded)
    #expect(
      violations.shared.first
        == "wire.xml:8: Element '{urn:iso:std:iso:20022:tech:xsd:pain.001.001.09}CtrlSum': [facet 'totalDigits'] The"
        + " value '184467440737095516.14' has more digits than are allowed ('18').")
  }

  // MARK: Payment information blocks

  @Test func severalCurrenciesGiveOneBlockEachInCodeOrder() throws {
    let document = Pain001Writer.document(try WireFixtures.goldenMessage(.pain00100109))
    #expect(
      WireFixtures.values("PmtInfId", in: document) == [
        "SETTLE-2026-10-0001-EUR", "SETTLE-2026-10-0001-GBP", "SETTLE-2026-10-0001-JPY", "SETTLE-2026-10-0001-USD",
      ])
    #expect(WireFixtures.elements("PmtInf", in: document).count == 4)
  }

  @Test func oneCurrencyGivesOneBlock() throws {
    let message = try WireFixtures.message(
      .pain00100109, [WireFixtures.transfer("E1", "1.00", "EUR"), WireFixtures.transfer("E2", "2.00", "EUR")])
    let document = Pain001Writer.document(message)
    #expect(WireFixtures.values("PmtInfId", in: document) == ["SETTLE-2026-10-0001-EUR"])
    #expect(WireFixtures.values("EndToEndId", in: document) == ["E1", "E2"])
    try expectValid(document, .pain00100109)
  }

  @Test func aLongMessageIDGivesShortenedPaymentInformationIDs() throws {
    let first = "SETTLE-2026-10-PAYOUT-BATCH-0000001"
    let second = "SETTLE-2026-10-PAYOUT-BATCH-0000002"
    let transfers = [try WireFixtures.transfer("E1", "1.00", "EUR")]
    let firstDocument = Pain001Writer.document(try WireFixtures.message(.pain00100109, transfers, messageID: first))
    let secondDocument = Pain001Writer.document(try WireFixtures.message(.pain00100109, transfers, messageID: second))
    let firstID = WireFixtures.values("PmtInfId", in: firstDocument)
    let secondID = WireFixtures.values("PmtInfId", in: secondDocument)
    // The first 8 hex digits of the message ID's SHA-256, from `printf %s <id> | sha256sum`.
    #expect(firstID == ["SETTLE-2026-10-PAYOUT-" + "-493a6965-EUR"])
    #expect(firstID.first?.count == 35)
    #expect(firstID != secondID)
    try expectValid(firstDocument, .pain00100109)
  }

  @Test func aMessageIDThatFitsIsUsedWhole() throws {
    let messageID = String(repeating: "M", count: 31)
    let message = try WireFixtures.message(
      .pain00100103, [WireFixtures.transfer("E1", "1.00", "EUR")], messageID: messageID)
    let document = Pain001Writer.document(message)
    #expect(WireFixtures.values("PmtInfId", in: document) == [messageID + "-EUR"])
    try expectValid(document, .pain00100103)
  }

  // MARK: Charge bearer

  @Test(arguments: WireFormat.allCases)
  func euroBetweenSEPAAccountsIsASEPACreditTransfer(format: WireFormat) throws {
    let message = try WireFixtures.message(
      format,
      [
        WireFixtures.transfer("E1", "1.00", "EUR"),
        WireFixtures.transfer("E2", "2.00", "EUR", account: .iban(IBAN("CH9300762011623852957"))),
      ])
    let document = Pain001Writer.document(message)
    #expect(WireFixtures.values("Cd", in: document) == ["SEPA"])
    #expect(WireFixtures.values("ChrgBr", in: document) == ["SLEV"])
    #expect(WireFixtures.elements("CdtTrfTxInf", in: document).allSatisfy { !text($0).contains("ChrgBr") })
    try expectValid(document, format)
  }

  @Test(arguments: WireFormat.allCases)
  func anotherCurrencySharesCharges(format: WireFormat) throws {
    let message = try WireFixtures.message(format, [WireFixtures.transfer("U1", "1.00", "USD")])
    let document = Pain001Writer.document(message)
    #expect(WireFixtures.values("Cd", in: document) == [])
    #expect(WireFixtures.values("ChrgBr", in: document) == ["SHAR"])
    try expectValid(document, format)
  }

  @Test(arguments: WireFormat.allCases)
  func aEuroBlockWithAnAccountOutsideSEPAGivesEachTransferItsChargeBearer(format: WireFormat) throws {
    let message = try WireFixtures.message(
      format,
      [
        WireFixtures.transfer("E1", "1.00", "EUR"),
        WireFixtures.transfer("E2", "2.00", "EUR", account: .other(accountNumber: "000123456789"), agent: "CHASUS33"),
        WireFixtures.transfer("E3", "3.00", "EUR", account: .iban(IBAN("AE070331234567890123456")), agent: "BOMLAEAD"),
      ])
    let document = Pain001Writer.document(message)
    #expect(WireFixtures.values("Cd", in: document) == [])
    #expect(WireFixtures.values("ChrgBr", in: document) == ["SLEV", "SHAR", "SHAR"])
    #expect(WireFixtures.elements("CdtTrfTxInf", in: document).allSatisfy { text($0).contains("<ChrgBr>") })
    try expectValid(document, format)
  }

  // MARK: Text

  @Test(arguments: [
    ("Zoë Ærøskøbing-Müller", "Zoe AEroskobing-Muller"),
    ("Łukasz Żółć, Dvořák, Øster, Þór", "Lukasz Zolc, Dvorak, Oster, THor"),
    ("Straße ẞ Œuvre ĳ", "Strasse SS OEuvre ij"),
    ("Ștefan Țurcanu", "Stefan Turcanu"),
    ("e\u{301}cole", "ecole"),
    ("Иван Petrov", "Petrov"),
    ("李小龙 (Bruce) Lee", "(Bruce) Lee"),
    ("M&S <Retail> Ltd", "M+S Retail Ltd"),
    ("a@b_c 😀 d#e", "a b c d e"),
    ("“Quoted” – dash", "&apos;Quoted&apos; - dash"),
    ("Tab\tand\r\nnewline", "Tab and newline"),
    ("O'Neil-Smith (Ltd.) 1/2 ?:,+", "O&apos;Neil-Smith (Ltd.) 1/2 ?:,+"),
  ])
  func namesAreTransliteratedToTheSEPACharacterSet(name: String, written: String) throws {
    for format in WireFormat.allCases {
      let message = try WireFixtures.message(format, [WireFixtures.transfer("E1", "1.00", "EUR", name: name)])
      let document = Pain001Writer.document(message)
      #expect(WireFixtures.values("Nm", in: document).last == written)
      try expectValid(document, format)
    }
  }

  @Test(arguments: ["Иван Петров", "山田太郎", "😀🎉", "  ", "<&>", "(李) - 小", ""])
  func aNameWithNothingLeftIsNotProvided(name: String) throws {
    let message = try WireFixtures.message(.pain00100109, [WireFixtures.transfer("E1", "1.00", "EUR", name: name)])
    let document = Pain001Writer.document(message)
    #expect(WireFixtures.values("Nm", in: document).last == "NOTPROVIDED")
    try expectValid(document, .pain00100109)
  }

  @Test func everyTransliterationIsOneCharacterOfSEPAText() {
    for (characters, replacement) in SEPAText.transliterationGroups {
      #expect(replacement.utf8.allSatisfy(SEPAText.isAllowed), "\(replacement)")
      for character in characters { #expect(character.unicodeScalars.count == 1, "\(character)") }
    }
    #expect(SEPAText.transliterations.count == SEPAText.transliterationGroups.reduce(0) { $0 + $1.characters.count })
  }

  @Test func theSEPACharacterSetIsExactlyTheAllowedBytes() {
    let allowed = (0...127).map(UInt8.init).filter(SEPAText.isAllowed)
    #expect(
      String(decoding: allowed, as: UTF8.self)
        == " '()+,-./0123456789:?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
  }

  @Test(arguments: WireFormat.allCases)
  func longTextIsCutToTheSchemaLengths(format: WireFormat) throws {
    let address = PostalAddress(
      line: String(repeating: "Ä", count: 100), city: String(repeating: "c", count: 50),
      postalCode: String(repeating: "9", count: 20), country: try WireFixtures.country("DE"))
    let transfer = try WireFixtures.transfer(
      "E1", "1.00", "EUR", name: String(repeating: "a", count: 139) + "ß", address: address,
      remittance: String(repeating: "r", count: 139) + " tail")
    let document = Pain001Writer.document(try WireFixtures.message(format, [transfer]))
    #expect(WireFixtures.values("Nm", in: document).last == String(repeating: "a", count: 139) + "s")
    #expect(WireFixtures.values("Ustrd", in: document) == [String(repeating: "r", count: 139)])
    switch format {
    case .pain00100109:
      #expect(WireFixtures.values("StrtNm", in: document) == [String(repeating: "A", count: 70)])
      #expect(WireFixtures.values("TwnNm", in: document) == [String(repeating: "c", count: 35)])
      #expect(WireFixtures.values("PstCd", in: document) == [String(repeating: "9", count: 16)])
    case .pain00100103:
      #expect(
        WireFixtures.values("AdrLine", in: document) == [
          String(repeating: "A", count: 70),
          String(repeating: "9", count: 20) + " " + String(repeating: "c", count: 49),
        ])
    }
    try expectValid(document, format)
  }

  @Test(arguments: WireFormat.allCases)
  func textAtTheLimitIsKeptWhole(format: WireFormat) throws {
    let name = String(repeating: "n", count: 140)
    let remittance = String(repeating: "r", count: 140)
    let transfer = try WireFixtures.transfer("E1", "1.00", "EUR", name: name, remittance: remittance)
    let document = Pain001Writer.document(try WireFixtures.message(format, [transfer]))
    #expect(WireFixtures.values("Nm", in: document).last == name)
    #expect(WireFixtures.values("Ustrd", in: document) == [remittance])
    try expectValid(document, format)
  }

  @Test(arguments: WireFormat.allCases)
  func addressPartsAndRemittanceWithNothingLeftAreLeftOut(format: WireFormat) throws {
    let address = PostalAddress(line: "東京都千代田区", city: "東京", postalCode: "", country: try WireFixtures.country("JP"))
    let transfer = try WireFixtures.transfer("E1", "100", "JPY", address: address, remittance: "報酬")
    let document = Pain001Writer.document(try WireFixtures.message(format, [transfer]))
    #expect(WireFixtures.elements("PstlAdr", in: document).map(text).last?.contains("<Ctry>JP</Ctry>") == true)
    for tag in ["StrtNm", "TwnNm", "PstCd", "AdrLine", "Ustrd"] {
      #expect(WireFixtures.values(tag, in: document) == [])
    }
    #expect(!text(document).contains("<RmtInf>"))
    try expectValid(document, format)
  }

  @Test(arguments: WireFormat.allCases)
  func identifiersAreWrittenUnchangedAndEscaped(format: WireFormat) throws {
    let transfer = try WireFixtures.transfer("A&B<C>\"D'E", "1.00", "EUR")
    let document = Pain001Writer.document(try WireFixtures.message(format, [transfer], messageID: "Batch&<1>"))
    #expect(WireFixtures.values("EndToEndId", in: document) == ["A&amp;B&lt;C&gt;&quot;D&apos;E"])
    #expect(WireFixtures.values("MsgId", in: document) == ["Batch&amp;&lt;1&gt;"])
    #expect(WireFixtures.values("PmtInfId", in: document) == ["Batch&amp;&lt;1&gt;-EUR"])
    try expectValid(document, format)
  }

  @Test func theCreationTimeIsUTCToTheSecond() throws {
    var message = try WireFixtures.message(.pain00100109, [WireFixtures.transfer("E1", "1.00", "EUR")])
    message.createdAt = try Timestamp("2026-11-02T10:00:00.987654321+01:00")
    #expect(WireFixtures.values("CreDtTm", in: Pain001Writer.document(message)) == ["2026-11-02T09:00:00Z"])
    message.createdAt = try Timestamp("1969-12-31T23:59:59.5Z")
    #expect(WireFixtures.values("CreDtTm", in: Pain001Writer.document(message)) == ["1969-12-31T23:59:59Z"])
  }

  @Test(arguments: WireFormat.allCases)
  func theDocumentHasTheVersionsNamespaceAndShape(format: WireFormat) throws {
    let document = Pain001Writer.document(try WireFixtures.goldenMessage(format))
    let lines = text(document).split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.first == #"<?xml version="1.0" encoding="UTF-8"?>"#)
    #expect(lines[1] == "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:\(format.rawValue)\">")
    #expect(lines.last == "")
    #expect(lines.allSatisfy { line in line.prefix { $0 == " " }.count % 2 == 0 })
    #expect(WireFixtures.values(format == .pain00100109 ? "BICFI" : "BIC", in: document).count == 9)
  }

  // MARK: Documents the schema refuses

  @Test(arguments: WireFormat.allCases)
  func aDocumentMissingARequiredElementHasViolations(format: WireFormat) throws {
    let document = Pain001Writer.document(try WireFixtures.goldenMessage(format))
    let broken = Array(text(document).replacing("      <PmtMtd>TRF</PmtMtd>\n", with: "", maxReplacements: 1).utf8)
    let violations = try WireFixtures.violations(broken, format)
    #expect(violations.shared == violations.embedded)
    let namespace = "urn:iso:std:iso:20022:tech:xsd:\(format.rawValue)"
    #expect(
      violations.shared == [
        "wire.xml:15: Element '{\(namespace)}BtchBookg': This element is not expected. Expected is ( {\(namespace)}PmtMtd )."
      ])
  }

  @Test(arguments: WireFormat.allCases)
  func aMessageWithoutTransfersIsReported(format: WireFormat) throws {
    let document = Pain001Writer.document(try WireFixtures.message(format, []))
    let namespace = "urn:iso:std:iso:20022:tech:xsd:\(format.rawValue)"
    let violations = try WireFixtures.violations(document, format)
    #expect(violations.shared == violations.embedded)
    #expect(
      violations.shared == [
        "wire.xml:3: Element '{\(namespace)}CstmrCdtTrfInitn': Missing child element(s). Expected is ( {\(namespace)}PmtInf )."
      ])
  }

  @Test(arguments: WireFormat.allCases)
  func identifiersOverTheLimitAndNegativeAmountsAreReported(format: WireFormat) throws {
    var transfer = try WireFixtures.transfer(String(repeating: "E", count: 36), "1.00", "EUR")
    transfer.amount = Money(minorUnits: -150, currency: try WireFixtures.currency("EUR"))
    let document = Pain001Writer.document(try WireFixtures.message(format, [transfer]))
    let namespace = "urn:iso:std:iso:20022:tech:xsd:\(format.rawValue)"
    let violations = try WireFixtures.violations(document, format)
    #expect(violations.shared == violations.embedded)
    #expect(violations.shared.count == 2)
    #expect(violations.shared.first?.contains("{\(namespace)}EndToEndId': [facet 'maxLength']") == true)
    #expect(
      violations.shared.last?.contains("{\(namespace)}InstdAmt': [facet 'minInclusive'] The value '-1.50'") == true)
  }

  @Test func bytesThatAreNotXMLAreOneViolation() {
    #expect(
      Pain001Writer.validate(Array("<Document>".utf8), format: .pain00100109, name: "wire.xml").map(\.description) == [
        "wire.xml:1: not well-formed XML: Premature end of data in tag Document line 1"
      ])
  }

  // MARK: The embedded schemas

  @Test(arguments: WireFormat.allCases)
  func theEmbeddedSchemaIsTheProjectsSchemaFile(format: WireFormat) throws {
    let file = try WireFixtures.bytes(WireFixtures.repositoryRoot + "/schemas/\(format.rawValue).xsd")
    let embedded = format == .pain00100109 ? Pain001Schemas.pain00100109 : Pain001Schemas.pain00100103
    #expect(Array(embedded.utf8) + [UInt8(ascii: "\n")] == file.filter { $0 != UInt8(ascii: "\r") })
    #expect(file == (try WireFixtures.bytes(WireFixtures.sharedSchemasDirectory + "/\(format.rawValue).xsd")))
  }

  // MARK: Helpers

  /// Both the shared XSD file and the embedded copy find nothing wrong.
  private func expectValid(_ document: [UInt8], _ format: WireFormat, sourceLocation: SourceLocation = #_sourceLocation)
    throws
  {
    let violations = try WireFixtures.violations(document, format)
    #expect(violations.shared == [], sourceLocation: sourceLocation)
    #expect(violations.embedded == [], sourceLocation: sourceLocation)
  }

  /// Where the declared counts and sums disagree with the `<CdtTrfTxInf>` elements and `InstdAmt` values of the
  /// text, summed with integer arithmetic at 5 fraction digits (the most `InstdAmt` allows).
  private func totalProblems(_ document: [UInt8]) -> [String] {
    var problems: [String] = []
    func check(_ part: [UInt8], _ label: String) {
      let count = text(part).split(separator: "\n").filter { $0.drop { $0 == " " } == "<CdtTrfTxInf>" }.count
      let amounts = WireFixtures.values("InstdAmt", in: part).compactMap { WireFixtures.units($0, scale: 5) }
      let sum = amounts.reduce(Int128(0), +)
      let declaredCount = WireFixtures.values("NbOfTxs", in: part).first ?? ""
      let declaredSum = WireFixtures.values("CtrlSum", in: part).first ?? ""
      if declaredCount != String(count) {
        problems.append("\(label) says \(declaredCount) transfers, the text has \(count)")
      }
      if WireFixtures.units(declaredSum, scale: 5) != sum {
        problems.append("\(label) says \(declaredSum), its amounts sum to \(decimalText(sum))")
      }
    }
    check(document, "the message")
    for (index, block) in WireFixtures.elements("PmtInf", in: document).enumerated() {
      check(block, "block \(index + 1)")
    }
    return problems
  }

  /// Units of 10^-5 as a decimal with trailing zeros removed: 31025000 → "310.25".
  private func decimalText(_ units: Int128) -> String {
    var fraction = String(units % 100_000)
    fraction = String(repeating: "0", count: 5 - fraction.count) + fraction
    while fraction.last == "0" { fraction.removeLast() }
    return "\(units / 100_000)" + (fraction.isEmpty ? "" : "." + fraction)
  }

  /// The lines of `changed` that differ from the same line of `original`, trimmed; both have as many lines.
  private func changedLines(from original: [UInt8], to changed: [UInt8]) -> [String] {
    let before = text(original).split(separator: "\n")
    let after = text(changed).split(separator: "\n")
    guard before.count == after.count else { return ["line counts differ: \(before.count) and \(after.count)"] }
    return zip(before, after).filter { $0 != $1 }.map { String($1.drop { $0 == " " }) }
  }

  private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}

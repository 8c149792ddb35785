import Commissions
import Dates
import Digest
import Files
import Money
import Payouts
import Rates
import Testing
import XMLSchema

@Suite("Payout batches")
struct PayoutBatchTests {
  /// An independent reference: `minorUnits × rateTo ÷ rateFrom`, rescaled to the target's minor
  /// units and rounded half-even once, in Int128, from the ECB's decimal texts.
  static func reference(_ minorUnits: Int64, fromDigits: Int, toDigits: Int, rateFrom: String, rateTo: String) -> Int64
  {
    func decimal(_ text: String) -> (Int128, Int) {
      let parts = text.split(separator: ".", omittingEmptySubsequences: false)
      let fraction = parts.count > 1 ? String(parts[1]) : ""
      return (Int128(String(parts[0]) + fraction) ?? 0, fraction.count)
    }
    func power(_ exponent: Int) -> Int128 { (0..<exponent).reduce(1) { value, _ in value * 10 } }
    let (fromValue, fromScale) = decimal(rateFrom)
    let (toValue, toScale) = decimal(rateTo)
    let numerator = Int128(minorUnits) * toValue * power(fromScale) * power(toDigits)
    let denominator = fromValue * power(toScale) * power(fromDigits)
    let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
    let up = 2 * remainder > denominator || (2 * remainder == denominator && quotient % 2 != 0)
    return Int64(up ? quotient + 1 : quotient)
  }

  static func rateText(_ code: String, on day: String) throws -> (rate: String, publicationDay: Day) {
    let found = try PayoutFixtures.rates().rate(for: try Currency(code: code), on: try Day(day))
    return (found.rate.description, found.publicationDay)
  }

  @Test func eachAffiliateIsPaidItsCommissionConvertedOnceAtTheRateDay() throws {
    let run = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders([("W1", "123.45"), ("W1", "10.00"), ("P1", "999.99"), ("R1", "5000.00")]),
      affiliates: PayoutFixtures.affiliates([
        PayoutFixtures.wiseEmail("W1", currency: "AUD"), PayoutFixtures.payoneer("P1", currency: "JPY"),
        PayoutFixtures.wire("R1", currency: "EUR"),
      ]))
    // 10 % of each order, rounded half-even per order: 12.345 → 12.34, 1.00; 99.999 → 100.00; 500.00.
    #expect(run.payout("W1")?.settlementAmount.amountText == "13.34")
    #expect(run.payout("P1")?.settlementAmount.amountText == "100.00")
    #expect(run.payout("R1")?.settlementAmount.amountText == "500.00")
    // The rate day defaults to the period's last day, Saturday 2026-10-31: Friday's publication answers.
    let usd = try Self.rateText("USD", on: "2026-10-31")
    #expect(usd.publicationDay == (try Day("2026-10-30")))
    for (affiliate, code, digits) in [("W1", "AUD", 2), ("P1", "JPY", 0), ("R1", "EUR", 2)] {
      let payout = try #require(run.payout(affiliate))
      let target = code == "EUR" ? "1" : try Self.rateText(code, on: "2026-10-31").rate
      let expected = Self.reference(
        payout.settlementAmount.minorUnits, fromDigits: 2, toDigits: digits, rateFrom: usd.rate, rateTo: target)
      #expect(payout.payoutAmount == Money(minorUnits: expected, currency: try Currency(code: code)))
      #expect(payout.rateDay == usd.publicationDay)
      #expect(payout.isReady)
    }
  }

  @Test func payoutsThatCannotBeMadeAreHeldWithTheirReason() throws {
    let program = try Program.parse(
      Array(
        (try PayoutFixtures.text(PayoutFixtures.repositoryRoot + "/programs/alibaba.yaml"))
          .replacingOccurrences(of: "minimum: 0", with: "minimum: 5").utf8), source: "minimum.yaml")
    let run = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders([
        ("KNOWN", "100.00"), ("NOBODY", "100.00"), ("SMALL", "20.00"), ("TINY", "0.01"), ("BADIBAN", "100.00"),
        ("OLDCCY", "100.00"),
      ]),
      affiliates: PayoutFixtures.affiliates([
        PayoutFixtures.payoneer("KNOWN"), PayoutFixtures.payoneer("SMALL"), PayoutFixtures.payoneer("TINY"),
        PayoutFixtures.wire("BADIBAN", iban: "DE89370400440532013001"),
        PayoutFixtures.payoneer("OLDCCY", currency: "HRK"),
      ]), program: program)
    #expect(run.payout("KNOWN")?.isReady == true)
    #expect(run.payout("NOBODY")?.holdReason?.code == .unknownAffiliate)
    #expect(
      run.payout("SMALL")?.holdReason?.description
        == "below_minimum: 2.00 USD is below the program's minimum of 5.00 USD")
    #expect(run.payout("TINY")?.holdReason?.code == .belowMinimum)
    #expect(run.payout("BADIBAN")?.holdReason?.code == .invalidDetails)
    #expect(run.payout("OLDCCY")?.holdReason?.code == .unsupportedCurrency)
    #expect(run.payout("OLDCCY")?.holdReason?.detail.contains("HRK") == true)
    // Held payouts keep their settlement amount: ready plus held is the period's commission.
    #expect(run.batch.readyTotal == 1000)
    #expect(run.batch.readyTotal + run.batch.heldTotal == run.summary.totalCommission)
    // NOBODY, BADIBAN and OLDCCY 10.00 each, SMALL 2.00, TINY 0.00 (10 % of 0.01 rounds to zero).
    #expect(run.batch.heldTotal == 3 * 1000 + 200)
  }

  @Test func aPayoutThatRoundsToZeroIsHeld() throws {
    // 10 % of 0.04 USD is 0.004, which rounds to 0.00.
    let run = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders([("TINY", "0.04")]),
      affiliates: PayoutFixtures.affiliates([PayoutFixtures.payoneer("TINY")]))
    #expect(run.payout("TINY")?.holdReason?.description == "zero_amount: 0.00 USD is 0.00 USD after conversion")
    #expect(try run.outputNames().filter { $0.hasPrefix("payoneer-") }.isEmpty)
  }

  @Test func referencesAreDeterministicShortAndDistinct() throws {
    let orders = PayoutFixtures.orders((1...50).map { ("A\($0)", "100.00") })
    let affiliates = PayoutFixtures.affiliates((1...50).map { PayoutFixtures.payoneer("A\($0)") })
    let first = try PayoutFixtures.batch(orders: orders, affiliates: affiliates)
    let second = try PayoutFixtures.batch(orders: orders, affiliates: affiliates, createdAt: "2026-11-09T09:00:00Z")
    let references = first.batch.payouts.map(\.reference)
    #expect(Set(references).count == 50)
    #expect(
      references.allSatisfy {
        $0.count == 18 && $0.hasPrefix("ST2610") && $0.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
      })
    #expect(second.batch.payouts.map(\.reference) == references)
    #expect(first.batch.id == second.batch.id)
    #expect(first.batch.id.hasPrefix("ST202610-"))
  }

  @Test func theSameInputsAndCreationTimeWriteTheSameBytes() throws {
    let orders = PayoutFixtures.orders([("P1", "100.00"), ("W1", "55.55"), ("R1", "70.00"), ("X", "1.00")])
    let affiliates = PayoutFixtures.affiliates([
      PayoutFixtures.payoneer("P1"), PayoutFixtures.wiseEmail("W1"), PayoutFixtures.wire("R1"),
    ])
    let first = try PayoutFixtures.batch(orders: orders, affiliates: affiliates)
    let names = try first.outputNames()
    #expect(
      names == [
        "commissions.csv", "manifest.json", "orders.csv", "payoneer-001.json", "payouts.csv", "summary.json",
        "wire.xml", "wise-001.csv",
      ])
    let before = try names.map { try PayoutFixtures.bytes(first.out + "/" + $0) }
    let again = try PayoutFixtures.batch(orders: orders, affiliates: affiliates, directory: first.directory)
    #expect(try again.outputNames() == names)
    #expect(try names.map { try PayoutFixtures.bytes(first.out + "/" + $0) } == before)
  }

  @Test(arguments: [(500, 1), (501, 2), (1000, 2), (1001, 3)])
  func payoneerFilesHoldAtMost500Payments(count: Int, files: Int) throws {
    let run = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders((1...count).map { ("A\($0)", "10.00") }),
      affiliates: PayoutFixtures.affiliates((1...count).map { PayoutFixtures.payoneer("A\($0)") }))
    let payoneer = run.files.files.filter { $0.name.hasPrefix("payoneer-") }
    #expect(
      payoneer.map(\.name)
        == (1...files).map { "payoneer-" + String(repeating: "0", count: 3 - String($0).count) + String($0) + ".json" })
    #expect(payoneer.map(\.payments).reduce(0, +) == count)
    #expect(payoneer.allSatisfy { $0.payments <= 500 })
    for file in payoneer {
      let text = String(decoding: file.bytes, as: UTF8.self)
      #expect(text.components(separatedBy: "\"client_reference_id\"").count - 1 == file.payments)
      #expect(file.controlSums[.usd] == Int128(file.payments) * 100)
    }
  }

  @Test(arguments: [(1000, 1), (1001, 2)])
  func wiseFilesHoldAtMost1000Rows(count: Int, files: Int) throws {
    let run = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders((1...count).map { ("A\($0)", "10.00") }),
      affiliates: PayoutFixtures.affiliates((1...count).map { PayoutFixtures.wiseEmail("A\($0)", currency: "USD") }))
    let wise = run.files.files.filter { $0.name.hasPrefix("wise-") }
    #expect(wise.count == files)
    for file in wise {
      let lines = String(decoding: file.bytes, as: UTF8.self).split(separator: "\n")
      #expect(lines.count - 1 == file.payments)
      #expect(file.payments <= 1000)
    }
    #expect(wise.map(\.payments).reduce(0, +) == count)
  }

  @Test func paymentFilesOfAnEarlierBatchThatThisOneLacksAreRemoved() throws {
    let many = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders((1...501).map { ("A\($0)", "10.00") }),
      affiliates: PayoutFixtures.affiliates((1...501).map { PayoutFixtures.payoneer("A\($0)") }))
    #expect(try many.outputNames().contains("payoneer-002.json"))
    try PayoutFixtures.write("keep me", to: many.out + "/notes.txt")
    let fewer = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders([("A1", "10.00")]),
      affiliates: PayoutFixtures.affiliates([PayoutFixtures.payoneer("A1")]),
      directory: many.directory)
    let names = try fewer.outputNames()
    #expect(names.contains("payoneer-001.json"))
    #expect(!names.contains("payoneer-002.json"))
    #expect(names.contains("notes.txt"))
  }

  @Test func theWiseFileSendsExactlyThePayoutAmountInTheTargetCurrency() throws {
    let run = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders([("W1", "100.00")]),
      affiliates: PayoutFixtures.affiliates([PayoutFixtures.wiseEmail("W1", currency: "USD")]))
    let reference = try #require(run.payout("W1")?.reference)
    #expect(
      try run.text("wise-001.csv")
        == "name,recipientEmail,paymentReference,receiverType,amountCurrency,amount,sourceCurrency,targetCurrency,IBAN,BIC,accountNumber,routingNumber,addressCountryCode,addressCity,addressFirstLine,addressPostCode\n"
        + "Wise W1,w1@example.com,\(reference),PRIVATE,target,10.00,USD,USD,,,,,AU,,,\n")
  }

  @Test func thePayoneerFileIsAMassPayoutRequestBody() throws {
    let run = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders([("P1", "123.45")]),
      affiliates: PayoutFixtures.affiliates([PayoutFixtures.payoneer("P1", currency: "USD")]))
    let reference = try #require(run.payout("P1")?.reference)
    #expect(
      try run.text("payoneer-001.json")
        == "{\"Payments\": [\n  {\"client_reference_id\": \"\(reference)\", \"payee_id\": \"PY-P1\", \"amount\": 12.34, "
        + "\"currency\": \"USD\", \"description\": \"Alibaba.com Affiliate Program commission 2026-10 P1\"}\n]}\n")
  }

  @Test func thePayoutsReportHasOneRowPerAffiliateAndNeutralisesFormulaIDs() throws {
    let run = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders([("P1", "100.00"), ("=cmd", "100.00")]),
      affiliates: PayoutFixtures.affiliates([PayoutFixtures.payoneer("P1")]))
    let rows = try run.reportRows()
    #expect(rows.count == 2)
    let formula = try #require(rows.first { $0[0] == "'=cmd" })
    #expect(formula[7] == "held")
    #expect(formula[8].hasPrefix("unknown_affiliate: no row in "))
    let ready = try #require(rows.first { $0[0] == "P1" })
    #expect(Array(ready[1...7]) == ["payoneer", "10.00", "USD", "10.00", "USD", "2026-10-30", "ready"])
    #expect(ready[9] == "payoneer-001.json")
    #expect(ready[10] == run.payout("P1")?.reference)
  }

  @Test func theManifestReconcilesWithTheCommissionsAndNamesEveryFile() throws {
    let run = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders([("P1", "100.00"), ("W1", "55.55"), ("R1", "70.00"), ("X", "1.00")]),
      affiliates: PayoutFixtures.affiliates([
        PayoutFixtures.payoneer("P1"), PayoutFixtures.wiseEmail("W1"), PayoutFixtures.wire("R1"),
      ]))
    let manifest = try run.text("manifest.json")
    // 10.00 + 5.56 (5.555, a tie, to even) + 7.00 + 0.10 held for the unknown affiliate X.
    #expect(manifest.contains("\"commission\": \"22.66\""))
    #expect(manifest.contains("\"ready\": \"22.56\""))
    #expect(manifest.contains("\"held\": \"0.10\""))
    #expect(manifest.contains("\"reconciled\": true"))
    #expect(manifest.contains("\"held_by_reason\": {\"unknown_affiliate\": 1}"))
    for file in run.files.files where file.name != "manifest.json" {
      let digest = SHA256.hexDigest(of: try PayoutFixtures.bytes(run.out + "/" + file.name))
      #expect(manifest.contains("{\"name\": \"\(file.name)\", \"sha256\": \"\(digest)\""))
    }
  }

  @Test(arguments: WireFormat.allCases)
  func theWireFileValidatesAgainstTheOfficialSchemaAndItsSumsAddUp(format: WireFormat) throws {
    let names = [
      "Zoë Ærø-Łukasz", "Иван Петров", "王小明", "Smith & Sons <Media> Ltd", String(repeating: "Long Name ", count: 20),
    ]
    let run = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders([
        ("R1", "100.00"), ("R2", "33.33"), ("R3", "1000.00"), ("R4", "0.55"), ("R5", "77.77"),
      ]),
      affiliates: PayoutFixtures.affiliates([
        PayoutFixtures.wire("R1", name: names[0]), PayoutFixtures.wire("R2", name: names[1], currency: "USD"),
        PayoutFixtures.wire("R3", name: names[2], currency: "GBP"), PayoutFixtures.wire("R4", name: names[3]),
        PayoutFixtures.wire("R5", name: names[4], currency: "JPY"),
      ]), wireFormat: format)
    let document = try PayoutFixtures.bytes(run.out + "/wire.xml")
    let schema = try XMLSchema(path: PayoutFixtures.schemasDirectory + "/\(format.rawValue).xsd")
    #expect(schema.validate(document, name: "wire.xml") == [])
    // Counted and summed from the text, independently of the writer.
    let text = String(decoding: document, as: UTF8.self)
    let transactions = text.components(separatedBy: "<CdtTrfTxInf>").count - 1
    #expect(transactions == 5)
    #expect(text.contains("<NbOfTxs>5</NbOfTxs>"))
    var sum: Int128 = 0  // in units of 0.01, enough for every currency here (JPY has no decimals)
    for piece in text.components(separatedBy: "<InstdAmt Ccy=\"").dropFirst() {
      let value = piece.split(separator: ">")[1].split(separator: "<")[0]
      let parts = value.split(separator: ".")
      let fraction = parts.count > 1 ? String(parts[1]) + String(repeating: "0", count: 2 - parts[1].count) : "00"
      sum += try #require(Int128(String(parts[0]) + fraction))
    }
    let expected = run.batch.payouts.reduce(Int128(0)) { total, payout in
      let amount = payout.payoutAmount?.minorUnits ?? 0
      return total + Int128(payout.payoutAmount?.currency.minorUnits == 0 ? amount * 100 : amount)
    }
    #expect(sum == expected)
    let controlSum = String(text.components(separatedBy: "<CtrlSum>")[1].split(separator: "<")[0])
    #expect(controlSum == PayoutFixtures.decimal(expected, digits: 2))
    #expect(!text.contains("Иван") && !text.contains("王") && !text.contains("<Media>"))
    #expect(text.contains("Zoe AEro-Lukasz"))
  }

  @Test func carriedBalancesAndAdjustmentsArePaidWithThePeriodAndNegativeBalancesAreHeld() throws {
    let september = try Month("2026-09")
    let adjustments = [
      Adjustment(affiliateID: "P1", period: september, orderID: "O77", line: 9, amount: -200),
      Adjustment(affiliateID: "P1", period: september, orderID: "O12", line: 3, amount: 150),
    ]
    let run = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders([("P1", "100.00"), ("NEG", "100.00")]),
      affiliates: PayoutFixtures.affiliates([
        PayoutFixtures.payoneer("P1"), PayoutFixtures.payoneer("NEG"), PayoutFixtures.payoneer("GONE"),
      ]), carried: ["P1": 500, "NEG": -5_000, "GONE": 300, "ZERO": 0], adjustments: adjustments)
    // P1: 10.00 commission + 5.00 carried − 2.00 + 1.50 adjusted.
    #expect(run.payout("P1")?.settlementAmount.amountText == "14.50")
    #expect(run.payout("P1")?.payoutAmount?.amountText == "14.50")
    #expect(run.payout("P1")?.owed.adjustments.map(\.line) == [3, 9])
    // GONE earned nothing this period but is paid what it was owed before.
    #expect(run.payout("GONE")?.settlementAmount.amountText == "3.00")
    #expect(run.payout("GONE")?.isReady == true)
    // NEG: 10.00 − 50.00 owed back: nothing is paid and the balance stays.
    #expect(
      run.payout("NEG")?.holdReason?.description
        == "negative_balance: -40.00 USD after earlier clawbacks: it stays owed to the program")
    #expect(run.payout("ZERO") == nil)
    #expect(run.batch.owedTotal == 2_000 + (500 - 5_000 + 300) - 50)
    #expect(run.batch.readyTotal + run.batch.heldTotal == run.batch.owedTotal)
    let manifest = try run.text("manifest.json")
    #expect(manifest.contains("\"carried\": \"-42.00\", \"adjustments\": \"-0.50\", \"owed\": \"-22.50\""))
    #expect(manifest.contains("\"reconciled\": true"))
    let reference = try #require(run.payout("P1")?.reference)
    #expect(
      try run.text("adjustments.csv")
        == "affiliate_id,reason,original_period,order_id,line,amount,currency,reference\n"
        + "P1,adjustment,2026-09,O12,3,1.50,USD,\(reference)\nP1,adjustment,2026-09,O77,9,-2.00,USD,\(reference)\n")
    let rows = try run.text("payouts.csv")
    #expect(
      rows.contains(
        ",ready,carried: 5.00 USD from earlier periods; adjustment: -0.50 USD for 2 orders of earlier periods (see adjustments.csv),"
      ))
    // A later batch without adjustments leaves no adjustments.csv behind.
    let again = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders([("P1", "100.00")]),
      affiliates: PayoutFixtures.affiliates([PayoutFixtures.payoneer("P1")]),
      directory: run.directory)
    #expect(try !again.outputNames().contains("adjustments.csv"))
  }
}

import Commissions
import Dates
import Ledger
import Payouts
import Testing

/// Three consecutive months of one program (10 % for a new US buyer, a 50.00 USD minimum) through
/// one ledger file, every figure worked out by hand.
///
/// | affiliate | August | September | October |
/// |---|---|---|---|
/// | ALBA | 1,000.00 → 100.00 paid | 500.00 → 50.00 paid (the minimum exactly) | 1,500.00 → 150.00, less 100.00 (August refunded after payout) = 50.00 paid |
/// | FERN | 800.00 → 80.00 instructed, failed | 100.00 → 10.00 + 80.00 carried = 90.00 paid | — |
/// | LARK | 900.00 → 90.00 paid; late order 550.00 → +55.00 | 55.00 adjustment paid | — |
/// | MINA | 300.00 → 30.00 held (below 50.00) | 250.00 → 25.00 + 30.00 carried = 55.00 paid | 200.00 → 20.00 held |
/// | ROSS | 700.00 → 70.00 paid, then refunded → −70.00 | 2,000.00 → 200.00 − 70.00 = 130.00 paid | — |
/// | WREN | 600.00 → 60.00 held (bad IBAN) | IBAN fixed: 400.00 → 40.00 + 60.00 carried = 100.00 paid | — |
@Suite struct ThreeMonthsTests {
  typealias Order = LedgerFixtures.Order

  static let badIBAN = "DE89370400440532013001"  // the example IBAN with its last digit changed: fails mod-97

  static func affiliates(wrenIBAN: String) -> String {
    LedgerFixtures.affiliates([
      LedgerFixtures.payoneer("ALBA"), LedgerFixtures.payoneer("FERN"), LedgerFixtures.payoneer("LARK"),
      LedgerFixtures.payoneer("MINA"), LedgerFixtures.payoneer("ROSS"),
      LedgerFixtures.wire("WREN", iban: wrenIBAN),
    ])
  }

  /// August as first settled: lines 2 to 7 of its orders file.
  static let august: [Order] = [
    Order(id: "O801", affiliate: "ALBA", amount: "1000.00", day: "2026-08-05"),
    Order(id: "O802", affiliate: "FERN", amount: "800.00", day: "2026-08-05"),
    Order(id: "O803", affiliate: "MINA", amount: "300.00", day: "2026-08-05"),
    Order(id: "O804", affiliate: "WREN", amount: "600.00", day: "2026-08-05"),
    Order(id: "O805", affiliate: "ROSS", amount: "700.00", day: "2026-08-05"),
    Order(id: "O806", affiliate: "LARK", amount: "900.00", day: "2026-08-05"),
  ]

  static let september: [Order] = [
    Order(id: "O901", affiliate: "ALBA", amount: "500.00", day: "2026-09-09"),
    Order(id: "O902", affiliate: "FERN", amount: "100.00", day: "2026-09-09"),
    Order(id: "O903", affiliate: "MINA", amount: "250.00", day: "2026-09-09"),
    Order(id: "O904", affiliate: "WREN", amount: "400.00", day: "2026-09-09"),
    Order(id: "O905", affiliate: "ROSS", amount: "2000.00", day: "2026-09-09"),
  ]

  static let october: [Order] = [
    Order(id: "O1001", affiliate: "ALBA", amount: "1500.00", day: "2026-10-07"),
    Order(id: "O1002", affiliate: "MINA", amount: "200.00", day: "2026-10-07"),
  ]

  static let header =
    "affiliate_id,method,settlement_amount,settlement_currency,payout_amount,payout_currency,"
    + "rate_date,status,reason,file,reference"
  static let adjustmentsHeader = "affiliate_id,reason,original_period,order_id,line,amount,currency,reference"

  static func csv(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }

  @Test func threeMonthsPayEachAffiliateExactlyWhatItIsOwed() throws {
    let treasury = try Treasury(program: try LedgerFixtures.program(minimum: "50"))
    let ledger = treasury.ledger
    let withBadIBAN = ThreeMonthsTests.affiliates(wrenIBAN: ThreeMonthsTests.badIBAN)
    let fixed = ThreeMonthsTests.affiliates(wrenIBAN: "DE89370400440532013000")

    // August: commission 100 + 80 + 30 + 60 + 70 + 90 = 430.00, nothing carried or adjusted.
    // Ready: ALBA 100 + FERN 80 + LARK 90 + ROSS 70 = 340.00; held: MINA 30 + WREN 60 = 90.00.
    let august = try treasury.payouts("2026-08", ThreeMonthsTests.august, affiliates: withBadIBAN)
    let augustBatch = try #require(august.batch)
    #expect(august.carried == [:])
    #expect(august.adjustments == [])
    #expect(augustBatch.totalCommission == 430_00)
    #expect(augustBatch.owedTotal == 430_00)
    #expect(augustBatch.readyTotal == 340_00)
    #expect(augustBatch.heldTotal == 90_00)
    #expect(try ledger.status(of: Month("2026-08")) == .closed(batchID: augustBatch.id))
    #expect(try LedgerFixtures.balances(ledger) == ["MINA 30.00 USD", "WREN 60.00 USD"])
    #expect(
      try LedgerFixtures.batches(ledger) == [
        "\(augustBatch.id) 2026-08 2026-09-01T09:00:00Z owed 43000 ready 34000 held 9000 USD 4/0/0"
      ])
    let augustReport = try august.text("payouts.csv")
    #expect(
      augustReport
        == ThreeMonthsTests.csv([
          ThreeMonthsTests.header,
          "ALBA,payoneer,100.00,USD,100.00,USD,2026-08-31,ready,,payoneer-001.json,\(august.reference("ALBA"))",
          "FERN,payoneer,80.00,USD,80.00,USD,2026-08-31,ready,,payoneer-001.json,\(august.reference("FERN"))",
          "LARK,payoneer,90.00,USD,90.00,USD,2026-08-31,ready,,payoneer-001.json,\(august.reference("LARK"))",
          "MINA,payoneer,30.00,USD,30.00,USD,2026-08-31,held,below_minimum: 30.00 USD is below the program's minimum of 50.00 USD,,\(august.reference("MINA"))",
          "ROSS,payoneer,70.00,USD,70.00,USD,2026-08-31,ready,,payoneer-001.json,\(august.reference("ROSS"))",
          "WREN,,60.00,USD,,,,held,\"invalid_details: \(treasury.directory)/run-1-2026-08/affiliates.csv:7: iban: "
            + "IBAN \"\"DE89370400440532013001\"\" has check digits 89, expected 62\",,\(august.reference("WREN"))",
        ]))
    #expect(try treasury.count("transfers") == 6 + 4)  // six accruals, four payouts
    #expect(try ledger.verify() == [])

    // The provider pays all but FERN: its 80.00 returns to its balance.
    let confirmed = try ledger.confirm(
      batchID: augustBatch.id, failed: ["FERN"],
      source: Ledger.RunSource(
        ordersPath: "failed.txt", programSHA256: "", ratesSHA256: "", recordedAt: try Timestamp("2026-09-03T10:00:00Z")
      ))
    #expect([confirmed.paid, confirmed.failed] == [3, 1])
    #expect(try LedgerFixtures.balances(ledger) == ["FERN 80.00 USD", "MINA 30.00 USD", "WREN 60.00 USD"])
    #expect(
      try LedgerFixtures.payouts(ledger, batchID: augustBatch.id) == [
        "ALBA payoneer 100.00 USD → 100.00 USD payoneer-001.json paid",
        "FERN payoneer 80.00 USD → 80.00 USD payoneer-001.json failed",
        "LARK payoneer 90.00 USD → 90.00 USD payoneer-001.json paid",
        "ROSS payoneer 70.00 USD → 70.00 USD payoneer-001.json paid",
      ])
    #expect(
      try LedgerFixtures.batches(ledger) == [
        "\(augustBatch.id) 2026-08 2026-09-01T09:00:00Z owed 43000 ready 34000 held 9000 USD 0/3/1"
      ])
    #expect(try treasury.count("transfers") == 11)
    #expect(try ledger.verify() == [])

    // ROSS's order O805 (line 6) is refunded after August was paid: −70.00 into September.
    var augustOrders = ThreeMonthsTests.august
    augustOrders[4].status = "refunded"
    let refund = try treasury.payouts("2026-08", augustOrders, affiliates: withBadIBAN)
    guard case .alreadyClosed(let refundBatchID, let refundFiles, let refundAdjustments, let refundTarget) = refund.run
    else { throw ExpectationFailedError("August was closed") }
    #expect(refundBatchID == augustBatch.id)
    #expect(refundFiles.map(\.name) == august.files?.files.map(\.name))
    #expect(refundFiles.map(\.bytes) == august.files?.files.map(\.bytes))
    let rossRefund = Adjustment(
      affiliateID: "ROSS", period: try Month("2026-08"), orderID: "O805", line: 6, amount: -70_00)
    #expect(refundAdjustments == [rossRefund])
    #expect(refundTarget == (try Month("2026-09")))
    #expect(try ledger.status(of: Month("2026-09")) == .open)
    #expect(try augustReport == refund.text("payouts.csv"))  // the same files, written again
    #expect(
      try LedgerFixtures.balances(ledger) == [
        "FERN 80.00 USD", "MINA 30.00 USD", "ROSS -70.00 USD", "WREN 60.00 USD",
      ])
    #expect(try treasury.count("transfers") == 12)
    #expect(try ledger.verify() == [])

    // A late August order for LARK arrives (line 8, after the refunded file's last line 7): +55.00.
    augustOrders.append(Order(id: "O807", affiliate: "LARK", amount: "550.00", day: "2026-08-28"))
    let late = try treasury.payouts("2026-08", augustOrders, affiliates: withBadIBAN)
    guard case .alreadyClosed(_, _, let lateAdjustments, let lateTarget) = late.run else {
      throw ExpectationFailedError("August was closed")
    }
    let larkLate = Adjustment(
      affiliateID: "LARK", period: try Month("2026-08"), orderID: "O807", line: 8, amount: 55_00)
    #expect(lateAdjustments == [larkLate])  // the refund is not posted twice
    #expect(lateTarget == (try Month("2026-09")))
    #expect(
      try LedgerFixtures.balances(ledger) == [
        "FERN 80.00 USD", "LARK 55.00 USD", "MINA 30.00 USD", "ROSS -70.00 USD", "WREN 60.00 USD",
      ])
    #expect(try treasury.count("transfers") == 13)
    #expect(try ledger.verify() == [])

    // September: commission 50 + 10 + 25 + 40 + 200 = 325.00; carried FERN 80 + MINA 30 + WREN 60
    // = 170.00; adjustments LARK +55 and ROSS −70 = −15.00; owed 325 + 170 − 15 = 480.00, all ready:
    // ALBA 50, FERN 90, LARK 55, MINA 55, ROSS 130, WREN 100.
    let september = try treasury.payouts("2026-09", ThreeMonthsTests.september, affiliates: fixed)
    let septemberBatch = try #require(september.batch)
    #expect(september.carried == ["FERN": 80_00, "MINA": 30_00, "WREN": 60_00])
    #expect(september.adjustments == [rossRefund, larkLate])
    #expect(septemberBatch.totalCommission == 325_00)
    #expect(septemberBatch.carriedTotal == 170_00)
    #expect(septemberBatch.adjustmentsTotal == -15_00)
    #expect(septemberBatch.owedTotal == 480_00)
    #expect(septemberBatch.readyTotal == 480_00)
    #expect(septemberBatch.heldTotal == 0)
    #expect(
      try september.text("payouts.csv")
        == ThreeMonthsTests.csv([
          ThreeMonthsTests.header,
          "ALBA,payoneer,50.00,USD,50.00,USD,2026-09-30,ready,,payoneer-001.json,\(september.reference("ALBA"))",
          "FERN,payoneer,90.00,USD,90.00,USD,2026-09-30,ready,carried: 80.00 USD from earlier periods,payoneer-001.json,\(september.reference("FERN"))",
          "LARK,payoneer,55.00,USD,55.00,USD,2026-09-30,ready,adjustment: 55.00 USD for 1 order of earlier periods (see adjustments.csv),payoneer-001.json,\(september.reference("LARK"))",
          "MINA,payoneer,55.00,USD,55.00,USD,2026-09-30,ready,carried: 30.00 USD from earlier periods,payoneer-001.json,\(september.reference("MINA"))",
          "ROSS,payoneer,130.00,USD,130.00,USD,2026-09-30,ready,adjustment: -70.00 USD for 1 order of earlier periods (see adjustments.csv),payoneer-001.json,\(september.reference("ROSS"))",
          "WREN,wire,100.00,USD,100.00,USD,2026-09-30,ready,carried: 60.00 USD from earlier periods,wire.xml,\(september.reference("WREN"))",
        ]))
    #expect(
      try september.text("adjustments.csv")
        == ThreeMonthsTests.csv([
          ThreeMonthsTests.adjustmentsHeader,
          "LARK,adjustment,2026-08,O807,8,55.00,USD,\(september.reference("LARK"))",
          "ROSS,adjustment,2026-08,O805,6,-70.00,USD,\(september.reference("ROSS"))",
        ]))
    #expect(
      september.files?.files.map(\.name) == [
        "payoneer-001.json", "wire.xml", "payouts.csv", "adjustments.csv", "manifest.json",
      ])
    #expect(try LedgerFixtures.balances(ledger) == [])
    #expect(
      try LedgerFixtures.payouts(ledger, batchID: septemberBatch.id) == [
        "ALBA payoneer 50.00 USD → 50.00 USD payoneer-001.json instructed",
        "FERN payoneer 90.00 USD → 90.00 USD payoneer-001.json instructed",
        "LARK payoneer 55.00 USD → 55.00 USD payoneer-001.json instructed",
        "MINA payoneer 55.00 USD → 55.00 USD payoneer-001.json instructed",
        "ROSS payoneer 130.00 USD → 130.00 USD payoneer-001.json instructed",
        "WREN wire 100.00 USD → 100.00 USD wire.xml instructed",
      ])
    #expect(try treasury.count("transfers") == 13 + 5 + 6)
    #expect(try ledger.verify() == [])

    let septemberConfirmed = try ledger.confirm(
      batchID: septemberBatch.id, failed: [],
      source: Ledger.RunSource(
        ordersPath: "", programSHA256: "", ratesSHA256: "", recordedAt: try Timestamp("2026-10-02T10:00:00Z")))
    #expect([septemberConfirmed.paid, septemberConfirmed.failed] == [6, 0])
    #expect(try treasury.count("transfers") == 24)  // paid payouts post nothing more
    #expect(try ledger.verify() == [])

    // ALBA's August order O801 (line 2) is refunded after September closed: −100.00 goes past the
    // closed September into October.
    augustOrders[0].status = "refunded"
    let albaRefund = try treasury.payouts("2026-08", augustOrders, affiliates: fixed)
    guard case .alreadyClosed(_, _, let albaAdjustments, let albaTarget) = albaRefund.run else {
      throw ExpectationFailedError("August was closed")
    }
    let albaClawback = Adjustment(
      affiliateID: "ALBA", period: try Month("2026-08"), orderID: "O801", line: 2, amount: -100_00)
    #expect(albaAdjustments == [albaClawback])
    #expect(albaTarget == (try Month("2026-10")))
    #expect(try LedgerFixtures.balances(ledger) == ["ALBA -100.00 USD"])
    #expect(try ledger.verify() == [])

    // October: commission ALBA 150 + MINA 20 = 170.00; adjustments −100.00; owed 70.00.
    // ALBA 150 − 100 = 50.00 is ready (the minimum exactly); MINA's 20.00 is held below it.
    let october = try treasury.payouts("2026-10", ThreeMonthsTests.october, affiliates: fixed)
    let octoberBatch = try #require(october.batch)
    #expect(october.carried == [:])
    #expect(october.adjustments == [albaClawback])
    #expect(octoberBatch.totalCommission == 170_00)
    #expect(octoberBatch.owedTotal == 70_00)
    #expect(octoberBatch.readyTotal == 50_00)
    #expect(octoberBatch.heldTotal == 20_00)
    #expect(
      try october.text("payouts.csv")
        == ThreeMonthsTests.csv([
          ThreeMonthsTests.header,
          "ALBA,payoneer,50.00,USD,50.00,USD,2026-10-30,ready,adjustment: -100.00 USD for 1 order of earlier periods (see adjustments.csv),payoneer-001.json,\(october.reference("ALBA"))",
          "MINA,payoneer,20.00,USD,20.00,USD,2026-10-30,held,below_minimum: 20.00 USD is below the program's minimum of 50.00 USD,,\(october.reference("MINA"))",
        ]))
    #expect(
      try october.text("adjustments.csv")
        == ThreeMonthsTests.csv([
          ThreeMonthsTests.adjustmentsHeader,
          "ALBA,adjustment,2026-08,O801,2,-100.00,USD,\(october.reference("ALBA"))",
        ]))
    #expect(try LedgerFixtures.balances(ledger) == ["MINA 20.00 USD"])
    #expect(try LedgerFixtures.balances(ledger, affiliateID: "ALBA") == ["ALBA 0.00 USD"])
    #expect(
      try LedgerFixtures.batches(ledger) == [
        "\(augustBatch.id) 2026-08 2026-09-01T09:00:00Z owed 43000 ready 34000 held 9000 USD 0/3/1",
        "\(septemberBatch.id) 2026-09 2026-10-01T09:00:00Z owed 48000 ready 48000 held 0 USD 0/6/0",
        "\(octoberBatch.id) 2026-10 2026-11-01T09:00:00Z owed 7000 ready 5000 held 2000 USD 1/0/0",
      ])
    #expect(try treasury.count("transfers") == 25 + 2 + 1)
    // Three closes, three adjustment runs, one confirmation with a failure.
    #expect(try treasury.count("journals") == 7)
    #expect(try ledger.verify() == [])
  }

  /// The twin of the months above: a ledger that holds nothing from August carries nothing, so
  /// September pays only its own commission: ALBA 50 and ROSS 200 ready (250.00); FERN 10, MINA 25
  /// and WREN 40 held below the minimum (75.00).
  @Test func aFreshLedgerCarriesNothingIntoSeptember() throws {
    let treasury = try Treasury(program: try LedgerFixtures.program(minimum: "50"))
    let september = try treasury.payouts(
      "2026-09", ThreeMonthsTests.september,
      affiliates: ThreeMonthsTests.affiliates(wrenIBAN: "DE89370400440532013000"))
    let batch = try #require(september.batch)
    #expect(september.carried == [:])
    #expect(batch.owedTotal == 325_00)
    #expect(batch.readyTotal == 250_00)
    #expect(batch.heldTotal == 75_00)
    #expect(batch.payouts.map(\.settlementAmount.minorUnits) == [50_00, 10_00, 25_00, 200_00, 40_00])
    #expect(batch.payouts.map(\.isReady) == [true, false, false, true, false])
    #expect(try LedgerFixtures.balances(treasury.ledger) == ["FERN 10.00 USD", "MINA 25.00 USD", "WREN 40.00 USD"])
    #expect(try treasury.ledger.verify() == [])
  }
}

/// Thrown when a test finds a value it cannot go on without.
struct ExpectationFailedError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

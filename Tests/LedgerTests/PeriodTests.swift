import Commissions
import Dates
import GRDB
import Ledger
import Payouts
import Testing

/// Closed periods: rerun, clawed back, closed in order; open periods: provisional figures.
/// The default program (10 % for a new US buyer, no minimum) and Payoneer payouts in USD.
@Suite struct PeriodTests {
  typealias Order = LedgerFixtures.Order

  static let affiliates = LedgerFixtures.affiliates([
    LedgerFixtures.payoneer("ALBA"), LedgerFixtures.payoneer("BECK"), LedgerFixtures.payoneer("NEVA"),
  ])

  /// ALBA 1,000.00 → 100.00 and BECK 500.00 → 50.00, on lines 2 and 3.
  static func orders(_ period: String) -> [Order] {
    [
      Order(id: "\(period)-A", affiliate: "ALBA", amount: "1000.00", day: period + "-07"),
      Order(id: "\(period)-B", affiliate: "BECK", amount: "500.00", day: period + "-07"),
    ]
  }

  // MARK: Rerunning a closed period

  @Test func rerunningAClosedPeriodWithUnchangedInputsWritesTheStoredFilesAndPostsNothing() throws {
    let treasury = try Treasury()
    let first = try treasury.payouts("2026-09", PeriodTests.orders("2026-09"), affiliates: PeriodTests.affiliates)
    let files = try #require(first.files)
    #expect(try treasury.count("transfers") == 4)  // two accruals, two payouts
    #expect(try treasury.count("journals") == 1)

    // Made again a week later: the batch would carry another creation time, but the ledger hands
    // back the files as first written.
    let again = try treasury.payouts(
      "2026-09", PeriodTests.orders("2026-09"), affiliates: PeriodTests.affiliates, createdAt: "2026-10-08T09:00:00Z")
    guard case .alreadyClosed(let batchID, let stored, let adjustments, let postedInto) = again.run else {
      throw ExpectationFailedError("September was closed")
    }
    #expect(batchID == files.batch.id)
    #expect(stored.map(\.name) == ["payoneer-001.json", "payouts.csv", "manifest.json"])
    #expect(stored.map(\.name) == files.files.map(\.name))
    #expect(stored.map(\.bytes) == files.files.map(\.bytes))
    #expect(adjustments == [])
    #expect(postedInto == nil)
    #expect(again.carried == nil)  // the batch was not made again
    for name in ["payoneer-001.json", "payouts.csv", "manifest.json"] {
      #expect(
        try LedgerFixtures.bytes(again.out + "/" + name) == LedgerFixtures.bytes(first.out + "/" + name), "\(name)")
    }
    #expect(try treasury.count("transfers") == 4)
    #expect(try treasury.count("journals") == 1)
    #expect(try treasury.ledger.status(of: Month("2026-10")) == .unknown)
    #expect(try treasury.ledger.verify() == [])
  }

  /// The twin: one changed order (BECK's 500.00 is 600.00 now) posts its 10.00 difference into October.
  @Test func rerunningAClosedPeriodWithAChangedOrderPostsTheDifferenceIntoTheNextPeriod() throws {
    let treasury = try Treasury()
    _ = try treasury.payouts("2026-09", PeriodTests.orders("2026-09"), affiliates: PeriodTests.affiliates)
    var changed = PeriodTests.orders("2026-09")
    changed[1].amount = "600.00"
    let again = try treasury.payouts("2026-09", changed, affiliates: PeriodTests.affiliates)
    guard case .alreadyClosed(_, _, let adjustments, let postedInto) = again.run else {
      throw ExpectationFailedError("September was closed")
    }
    #expect(
      adjustments == [
        Adjustment(affiliateID: "BECK", period: try Month("2026-09"), orderID: "2026-09-B", line: 3, amount: 10_00)
      ])
    #expect(postedInto == (try Month("2026-10")))
    #expect(try treasury.count("transfers") == 5)
    #expect(try treasury.count("journals") == 2)
    #expect(try LedgerFixtures.balances(treasury.ledger) == ["BECK 10.00 USD"])
    #expect(try treasury.ledger.status(of: Month("2026-10")) == .open)
    #expect(try treasury.ledger.verify() == [])
  }

  // MARK: Negative balances

  /// NEVA is paid 100.00 for August; the order is refunded after payout (−100.00 into September),
  /// where NEVA earns only 30.00 (300.00 sold): −70.00, held, no payout, the balance carried
  /// negative. ALBA's 50.00 is paid as usual. In October NEVA earns 100.00 (1,000.00 sold) and is
  /// paid 100.00 − 70.00 = 30.00.
  @Test func clawbacksBeyondTheNextCommissionAreHeldAndCarriedNegative() throws {
    let treasury = try Treasury()
    let ledger = treasury.ledger
    var august = [Order(id: "N8", affiliate: "NEVA", amount: "1000.00", day: "2026-08-05")]
    _ = try treasury.payouts("2026-08", august, affiliates: PeriodTests.affiliates)
    august[0].status = "refunded"
    _ = try treasury.payouts("2026-08", august, affiliates: PeriodTests.affiliates)
    #expect(try LedgerFixtures.balances(ledger) == ["NEVA -100.00 USD"])

    // September: commission NEVA 30 + ALBA 50 = 80.00; adjustments −100.00; owed −20.00;
    // ready 50.00 (ALBA); held −70.00 (NEVA).
    let september = try treasury.payouts(
      "2026-09",
      [
        Order(id: "N9", affiliate: "NEVA", amount: "300.00", day: "2026-09-09"),
        Order(id: "A9", affiliate: "ALBA", amount: "500.00", day: "2026-09-09"),
      ], affiliates: PeriodTests.affiliates)
    let batch = try #require(september.batch)
    #expect(batch.owedTotal == -20_00)
    #expect(batch.readyTotal == 50_00)
    #expect(batch.heldTotal == -70_00)
    #expect(
      try september.text("payouts.csv")
        == ThreeMonthsTests.csv([
          ThreeMonthsTests.header,
          "ALBA,payoneer,50.00,USD,50.00,USD,2026-09-30,ready,,payoneer-001.json,\(september.reference("ALBA"))",
          "NEVA,payoneer,-70.00,USD,,,,held,negative_balance: -70.00 USD after earlier clawbacks: it stays owed to the "
            + "program; adjustment: -100.00 USD for 1 order of earlier periods (see adjustments.csv),,"
            + september.reference("NEVA"),
        ]))
    // The ledger instructs ALBA's payout only: no row, no transfer for NEVA.
    #expect(
      try LedgerFixtures.payouts(ledger, batchID: batch.id) == [
        "ALBA payoneer 50.00 USD → 50.00 USD payoneer-001.json instructed"
      ])
    #expect(try LedgerFixtures.balances(ledger) == ["NEVA -70.00 USD"])
    #expect(
      try LedgerFixtures.batches(ledger).last
        == "\(batch.id) 2026-09 2026-10-01T09:00:00Z owed -2000 ready 5000 held -7000 USD 1/0/0")
    #expect(try ledger.verify() == [])

    // October: NEVA 100.00 − 70.00 carried = 30.00, paid; its balance is back to zero.
    let october = try treasury.payouts(
      "2026-10", [Order(id: "N10", affiliate: "NEVA", amount: "1000.00", day: "2026-10-07")],
      affiliates: PeriodTests.affiliates)
    #expect(october.carried == ["NEVA": -70_00])
    #expect(
      try october.text("payouts.csv")
        == ThreeMonthsTests.csv([
          ThreeMonthsTests.header,
          "NEVA,payoneer,30.00,USD,30.00,USD,2026-10-30,ready,carried: -70.00 USD from earlier periods,"
            + "payoneer-001.json,\(october.reference("NEVA"))",
        ]))
    #expect(try LedgerFixtures.balances(ledger) == [])
    #expect(try LedgerFixtures.balances(ledger, affiliateID: "NEVA") == ["NEVA 0.00 USD"])
    #expect(try ledger.verify() == [])
  }

  // MARK: Periods close in order

  @Test func aPeriodBeforeAClosedOneCannotBeClosed() throws {
    let treasury = try Treasury()
    let october = try treasury.payouts("2026-10", PeriodTests.orders("2026-10"), affiliates: PeriodTests.affiliates)
    #expect(october.files != nil)
    let transfers = try treasury.count("transfers")
    #expect(
      throws: LedgerError(
        path: treasury.ledgerPath, "2026-10 is already closed: periods close in order, and 2026-09 comes before it")
    ) {
      try treasury.payouts("2026-09", PeriodTests.orders("2026-09"), affiliates: PeriodTests.affiliates)
    }
    #expect(try treasury.ledger.status(of: Month("2026-09")) == .unknown)
    #expect(try treasury.count("transfers") == transfers)
    #expect(try treasury.count("journals") == 1)
    #expect(try treasury.ledger.verify() == [])
  }

  /// The twin: in order, both close.
  @Test func periodsInOrderBothClose() throws {
    let treasury = try Treasury()
    let september = try treasury.payouts("2026-09", PeriodTests.orders("2026-09"), affiliates: PeriodTests.affiliates)
    let october = try treasury.payouts("2026-10", PeriodTests.orders("2026-10"), affiliates: PeriodTests.affiliates)
    let septemberID = try #require(september.batch?.id)
    let octoberID = try #require(october.batch?.id)
    #expect(try treasury.ledger.status(of: Month("2026-09")) == .closed(batchID: septemberID))
    #expect(try treasury.ledger.status(of: Month("2026-10")) == .closed(batchID: octoberID))
    #expect(septemberID != octoberID)
    #expect(try treasury.count("transfers") == 8)
    #expect(try treasury.ledger.verify() == [])
  }

  /// July and September are closed, August never was (periods close in order, so August never
  /// can be). A late July order goes past both into October, the first period that can still
  /// close, and is paid there as an adjustment naming the order: 200.00 sold → 20.00 for BECK.
  @Test func aLateOrderAfterASkippedPeriodIsPostedIntoAPeriodThatCanStillClose() throws {
    let treasury = try Treasury()
    var july = [Order(id: "A7", affiliate: "ALBA", amount: "1000.00", day: "2026-07-07")]
    _ = try treasury.payouts("2026-07", july, affiliates: PeriodTests.affiliates)
    _ = try treasury.payouts("2026-09", PeriodTests.orders("2026-09"), affiliates: PeriodTests.affiliates)
    july.append(Order(id: "B7", affiliate: "BECK", amount: "200.00", day: "2026-07-20"))
    let late = try treasury.payouts("2026-07", july, affiliates: PeriodTests.affiliates)
    guard case .alreadyClosed(_, _, let adjustments, let postedInto) = late.run else {
      throw ExpectationFailedError("July was closed")
    }
    let lateOrder = Adjustment(affiliateID: "BECK", period: try Month("2026-07"), orderID: "B7", line: 3, amount: 20_00)
    #expect(adjustments == [lateOrder])
    #expect(postedInto == (try Month("2026-10")))
    #expect(try treasury.ledger.status(of: Month("2026-08")) == .unknown)
    // October: BECK 50.00 + 20.00 = 70.00, ALBA 100.00; nothing carried.
    let october = try treasury.payouts("2026-10", PeriodTests.orders("2026-10"), affiliates: PeriodTests.affiliates)
    #expect(october.adjustments == [lateOrder])
    #expect(october.carried == [:])
    #expect(october.batch?.payouts.map(\.settlementAmount.minorUnits) == [100_00, 70_00])
    #expect(try LedgerFixtures.balances(treasury.ledger) == [])
    #expect(try treasury.ledger.verify() == [])
  }

  // MARK: Provisional commissions

  static func provisional(_ treasury: Treasury) throws -> [String] {
    try treasury.database().read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT period, affiliate_id, market, orders, sales, commission, currency FROM period_commissions
          ORDER BY period, affiliate_id, market
          """
      ).map { row in
        [
          row["period"] as String, row["affiliate_id"], row["market"], String(row["orders"] as Int),
          String(row["sales"] as Int64), String(row["commission"] as Int64), row["currency"],
        ].joined(separator: " ")
      }
    }
  }

  static func provisionalRuns(_ treasury: Treasury) throws -> [String] {
    try treasury.database().read { db in
      try Row.fetchAll(db, sql: "SELECT period, recorded_at, orders_path, input_rows FROM provisional_runs").map {
        "\($0["period"] as String) \($0["recorded_at"] as String) \($0["orders_path"] as String) \($0["input_rows"] as Int)"
      }
    }
  }

  @Test func aProvisionalRunReplacesThePreviousOneOfItsPeriod() throws {
    let treasury = try Treasury()
    let first = try treasury.settle("2026-10", PeriodTests.orders("2026-10"))
    try treasury.ledger.recordProvisional(
      first.summary, source: try treasury.source(first, recordedAt: "2026-10-15T08:00:00Z"), inputRows: 2)
    #expect(
      try PeriodTests.provisional(treasury) == [
        "2026-10 ALBA US 1 100000 10000 USD", "2026-10 BECK US 1 50000 5000 USD",
      ])
    #expect(try treasury.ledger.status(of: Month("2026-10")) == .open)

    // Later in the month: BECK's order is gone, ALBA has a second one (250.00 → 25.00).
    let second = try treasury.settle(
      "2026-10",
      [
        Order(id: "A1", affiliate: "ALBA", amount: "1000.00", day: "2026-10-07"),
        Order(id: "A2", affiliate: "ALBA", amount: "250.00", day: "2026-10-20"),
      ])
    try treasury.ledger.recordProvisional(
      second.summary, source: try treasury.source(second, recordedAt: "2026-10-25T08:00:00Z"), inputRows: 2)
    let replaced = try PeriodTests.provisional(treasury)
    #expect(replaced == ["2026-10 ALBA US 2 125000 12500 USD"])
    #expect(try PeriodTests.provisionalRuns(treasury) == ["2026-10 2026-10-25T08:00:00Z \(second.ordersPath) 2"])
    #expect(try treasury.count("transfers") == 0)  // provisional figures are not postings
    #expect(try LedgerFixtures.balances(treasury.ledger) == [])
    #expect(try treasury.ledger.verify() == [])
  }

  /// The twin: once the period is closed, its figures are the closing run's, frozen, and a new
  /// provisional run is refused.
  @Test func aProvisionalRunOfAClosedPeriodIsRefused() throws {
    let treasury = try Treasury()
    let first = try treasury.settle("2026-10", PeriodTests.orders("2026-10"))
    try treasury.ledger.recordProvisional(
      first.summary, source: try treasury.source(first, recordedAt: "2026-10-15T08:00:00Z"), inputRows: 2)
    let closed = try treasury.payouts("2026-10", PeriodTests.orders("2026-10"), affiliates: PeriodTests.affiliates)
    let batchID = try #require(closed.batch?.id)
    let frozen = ["2026-10 ALBA US 1 100000 10000 USD", "2026-10 BECK US 1 50000 5000 USD"]
    #expect(try PeriodTests.provisional(treasury) == frozen)
    let runs = try PeriodTests.provisionalRuns(treasury)
    #expect(
      throws: LedgerError(
        path: treasury.ledgerPath,
        "2026-10 is closed (batch \(batchID)): its commissions are frozen; run settle payouts for it to post any "
          + "differences as adjustments")
    ) {
      try treasury.ledger.recordProvisional(
        first.summary, source: try treasury.source(first, recordedAt: "2026-11-02T08:00:00Z"), inputRows: 2)
    }
    #expect(try PeriodTests.provisional(treasury) == frozen)
    #expect(try PeriodTests.provisionalRuns(treasury) == runs)
    #expect(try treasury.ledger.verify() == [])
  }
}

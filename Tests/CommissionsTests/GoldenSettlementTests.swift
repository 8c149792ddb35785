import Commissions
import Testing

/// `Golden/orders.csv`: 25 rows covering every outcome and reason, with `commissions.csv` worked
/// out by hand (Python's decimal module) and the audit and summary read line by line.
@Suite struct GoldenSettlementTests {
  static let input = SettlementFixtures.goldenDirectory + "/orders.csv"
  static let expected = SettlementFixtures.goldenDirectory + "/expected"

  @Test func commissionsAndAuditMatchTheGoldenFilesByteForByte() throws {
    let run = try SettlementFixtures.settle(path: GoldenSettlementTests.input)
    #expect(
      try SettlementFixtures.bytes(run.outputDirectory + "/commissions.csv")
        == SettlementFixtures.bytes(GoldenSettlementTests.expected + "/commissions.csv"))
    #expect(
      try SettlementFixtures.bytes(run.outputDirectory + "/orders.csv")
        == SettlementFixtures.bytes(GoldenSettlementTests.expected + "/orders.csv"))
  }

  /// The summary names the run's own paths; with them written as the CLI would from the
  /// repository root, it matches byte for byte.
  @Test func summaryMatchesTheGoldenFileOnceThePathsAreTheCLIs() throws {
    let run = try SettlementFixtures.settle(path: GoldenSettlementTests.input)
    let relative = run.summaryJSON
      .replacing("\"\(SettlementFixtures.repositoryRoot)/", with: "\"")
      .replacing("\"\(run.outputDirectory)\"", with: "\"out\"")
    #expect(relative == (try SettlementFixtures.text(GoldenSettlementTests.expected + "/summary.json")))
  }

  @Test func summaryCountsAddUpToTheInputRows() throws {
    let summary = try SettlementFixtures.settle(path: GoldenSettlementTests.input).summary
    #expect(summary.counts.inputRows == 25)
    #expect(
      summary.counts.byOutcome.filter { $0.value > 0 } == [
        .qualified: 6, .notQualified: 5, .outOfPeriod: 2, .rejected: 12,
      ])
    #expect(summary.counts.byOutcome.values.reduce(0, +) == summary.counts.inputRows)
    #expect(
      summary.counts.byReason.filter { $0.value > 0 } == [
        "status_not_completed": 1, "excluded_country": 1, "excluded_category": 1, "order_before_click": 1,
        "attribution_expired": 1, "malformed_csv": 1, "wrong_field_count": 1, "missing_value": 1,
        "duplicate_order_id": 1, "bad_timestamp": 1, "bad_status": 1, "bad_buyer_type": 1, "bad_country": 1,
        "bad_currency": 1, "bad_amount": 3,
      ])
    #expect(summary.totalSales == 444_79)
    #expect(summary.totalCommission == 33_13)
    #expect(summary.lines.map(\.affiliateID) == ["A1", "A1", "A2", "A3", "A3"])
  }

  /// The failing twin: the same file under `--strict` writes nothing and names its first rejection.
  @Test func underStrictTheGoldenFileWritesNothing() throws {
    let out = try SettlementFixtures.temporaryDirectory() + "/out"
    let settlement = PeriodSettlement(
      program: .alibaba, rates: try SettlementFixtures.rates(), period: try SettlementFixtures.month("2026-10"))
    #expect(
      throws: SettlementError(
        "12 rows rejected with --strict; nothing written. First: \(GoldenSettlementTests.input):15: bad_amount: "
          + "amount \"12,50\" is not a plain decimal: a comma is neither a thousands separator nor a decimal point here"
      )
    ) {
      try settlement.run(try SettlementFixtures.options(orders: GoldenSettlementTests.input, out: out, strict: true))
    }
    #expect(try SettlementFixtures.contents(of: out) == [])
  }

  /// The other twin: in September only the last second of September is in the period, and its
  /// 10.00 EUR at 1.1355 is exactly 11.355 USD, a tie that half-even rounds to 11.36.
  @Test func inSeptemberOnlyTheLastSecondOfSeptemberQualifies() throws {
    let run = try SettlementFixtures.settle(path: GoldenSettlementTests.input, period: "2026-09")
    #expect(run.commissionsCSV == "affiliate_id,market,orders,sales,commission,currency\nA3,US,1,11.36,1.14,USD\n")
    #expect(run.summary.counts.byOutcome.filter { $0.value > 0 } == [.qualified: 1, .outOfPeriod: 12, .rejected: 12])
    #expect(run.auditRows[9] == "11,O10,A3,out_of_period,,,,")
    #expect(run.auditRows[10] == "12,O11,A3,qualified,,2026-09-30,11.36,1.14")
  }
}

import Foundation
import TestScratch
import Testing

/// `settle commissions`, run as a user would from the repository root.
@Suite struct CommissionsCommandTests {
  static let goldenOrders = "Tests/CommissionsTests/Golden/orders.csv"
  static let expected = SettleProcess.repositoryRoot + "/Tests/CommissionsTests/Golden/expected"
  static let outputs = ["commissions.csv", "orders.csv", "summary.json"]
  /// For runs expected to trap today: no symbolicated backtrace, which takes seconds.
  static let noBacktrace = ["SWIFT_BACKTRACE": "enable=no"]

  static func temporaryDirectory() throws -> String { try TestScratch.folder("cli") }

  static func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
  static func data(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

  /// The names in `directory`, hidden ones included; empty when it does not exist.
  static func contents(_ directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
  }

  static let goldenSummaryLines = """
    settled 2026-10 under Alibaba.com Affiliate Program: 25 rows — 6 qualified, 5 not qualified, 2 out of period, 12 rejected
    commission 33.13 USD on sales 444.79 USD, 3 affiliates, 5 affiliate-market lines
    """

  @Test func theGoldenRunPrintsTheSummaryAndWritesTheGoldenFiles() throws {
    let out = try CommissionsCommandTests.temporaryDirectory() + "/out"
    let result = try SettleProcess.run(
      ["commissions", "--orders", CommissionsCommandTests.goldenOrders, "--period", "2026-10", "--out", out])
    #expect(result.status == 0)
    #expect(
      result.standardOutput
        == CommissionsCommandTests.goldenSummaryLines
        + "\nwrote \(out)/commissions.csv, \(out)/orders.csv, \(out)/summary.json\n")
    #expect(
      result.standardError
        == "settle: 12 rows rejected: see \(out)/orders.csv (outcome rejected, with line and reason)\n")
    #expect(CommissionsCommandTests.contents(out) == CommissionsCommandTests.outputs)
    for name in ["commissions.csv", "orders.csv"] {
      #expect(
        try CommissionsCommandTests.data(out + "/" + name)
          == CommissionsCommandTests.data(CommissionsCommandTests.expected + "/" + name),
        "\(name)")
    }
    let summary = try CommissionsCommandTests.text(out + "/summary.json").replacing("\"\(out)\"", with: "\"out\"")
    #expect(summary == (try CommissionsCommandTests.text(CommissionsCommandTests.expected + "/summary.json")))
  }

  @Test(arguments: ["2026-13", "2026-00", "2026-1", "202610", "26-10", "2026/10", "October"])
  func aBadPeriodIsRefusedInOneLine(period: String) throws {
    let out = try CommissionsCommandTests.temporaryDirectory() + "/out"
    let result = try SettleProcess.run(
      ["commissions", "--orders", CommissionsCommandTests.goldenOrders, "--period", period, "--out", out])
    #expect(result.status == 1)
    #expect(result.standardOutput.isEmpty)
    #expect(result.standardError == "settle: period \"\(period)\" is not a month in the form YYYY-MM\n")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  /// Years are four digits, but timestamps are 64-bit nanoseconds (1678 to 2261): the last
  /// period they cover settles; the next one should be refused in one line.
  @Test func aPeriodPastTheTimestampRangeIsRefused() throws {
    let out = try CommissionsCommandTests.temporaryDirectory()
    let last = try SettleProcess.run(
      ["commissions", "--orders", CommissionsCommandTests.goldenOrders, "--period", "2262-03", "--out", out + "/last"])
    #expect(last.status == 0)
    #expect(last.standardOutput.hasPrefix("settled 2262-03 under Alibaba.com Affiliate Program: 25 rows — 0 qualified"))
    let result = try SettleProcess.run(
      ["commissions", "--orders", CommissionsCommandTests.goldenOrders, "--period", "2300-01", "--out", out + "/past"],
      environment: CommissionsCommandTests.noBacktrace)
    #expect(result.status == 1)
    #expect(result.standardError.hasPrefix("settle: period \"2300-01\""))
  }

  @Test func ordersAreReadFromStandardInput() throws {
    let out = try CommissionsCommandTests.temporaryDirectory() + "/out"
    let input = try CommissionsCommandTests.text(
      SettleProcess.repositoryRoot + "/" + CommissionsCommandTests.goldenOrders)
    let result = try SettleProcess.run(
      ["commissions", "--orders", "-", "--period", "2026-10", "--out", out], standardInput: input)
    #expect(result.status == 0)
    #expect(result.standardOutput.hasPrefix(CommissionsCommandTests.goldenSummaryLines))
    for name in ["commissions.csv", "orders.csv"] {
      #expect(
        try CommissionsCommandTests.data(out + "/" + name)
          == CommissionsCommandTests.data(CommissionsCommandTests.expected + "/" + name),
        "\(name)")
    }
    #expect(try CommissionsCommandTests.text(out + "/summary.json").contains(#""parameters": {"orders": "-", "#))
  }

  /// The twin: an empty standard input has no header.
  @Test func anEmptyStandardInputIsRefused() throws {
    let out = try CommissionsCommandTests.temporaryDirectory() + "/out"
    let result = try SettleProcess.run(
      ["commissions", "--orders", "-", "--period", "2026-10", "--out", out], standardInput: "")
    #expect(result.status == 1)
    #expect(
      result.standardError
        == "settle: -: empty; expected a header row naming order_id,affiliate_id,clicked_at,ordered_at,status,buyer_country,buyer_type,category,amount,currency\n"
    )
    #expect(CommissionsCommandTests.contents(out) == [])
  }

  /// `--currency EUR`: the golden orders settled in euros, each figure worked out with Python's decimal module.
  @Test func aCurrencyOptionSettlesInThatCurrency() throws {
    let out = try CommissionsCommandTests.temporaryDirectory() + "/out"
    let result = try SettleProcess.run(
      [
        "commissions", "--orders", CommissionsCommandTests.goldenOrders, "--period", "2026-10", "--currency", "EUR",
        "--out", out,
      ])
    #expect(result.status == 0)
    #expect(
      result.standardOutput.split(separator: "\n").dropFirst().first
        == "commission 29.58 EUR on sales 397.22 EUR, 3 affiliates, 5 affiliate-market lines")
    #expect(
      try CommissionsCommandTests.text(out + "/commissions.csv") == """
        affiliate_id,market,orders,sales,commission,currency
        A1,GB,1,58.80,3.53,EUR
        A1,US,1,89.09,8.91,EUR
        A2,BR,2,111.17,8.45,EUR
        A3,CA,1,128.16,7.69,EUR
        A3,US,1,10.00,1.00,EUR

        """)
    #expect(try CommissionsCommandTests.text(out + "/summary.json").contains(#""settlement_currency": "EUR""#))
  }

  @Test func anUnknownCurrencyOptionIsRefused() throws {
    let out = try CommissionsCommandTests.temporaryDirectory() + "/out"
    let result = try SettleProcess.run(
      [
        "commissions", "--orders", CommissionsCommandTests.goldenOrders, "--period", "2026-10", "--currency", "XYZ",
        "--out", out,
      ])
    #expect(result.status == 1)
    #expect(result.standardOutput.isEmpty)
    #expect(result.standardError == "settle: currency \"XYZ\" is not an ISO 4217 currency with minor units\n")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test func strictWithRejectedRowsWritesNothing() throws {
    let out = try CommissionsCommandTests.temporaryDirectory() + "/out"
    let result = try SettleProcess.run(
      [
        "commissions", "--orders", CommissionsCommandTests.goldenOrders, "--period", "2026-10", "--strict", "--out",
        out,
      ])
    #expect(result.status == 1)
    #expect(result.standardOutput.isEmpty)
    #expect(
      result.standardError
        == "settle: 12 rows rejected with --strict; nothing written. First: Tests/CommissionsTests/Golden/orders.csv:15: "
        + "bad_amount: amount \"12,50\" is not a plain decimal: a comma is neither a thousands separator nor a decimal point here\n"
    )
    #expect(CommissionsCommandTests.contents(out) == [])
  }

  static let header =
    "order_id,affiliate_id,clicked_at,ordered_at,status,buyer_country,buyer_type,category,amount,currency\n"

  @Test func strictWithOnlyGoodRowsWrites() throws {
    let out = try CommissionsCommandTests.temporaryDirectory() + "/out"
    let input =
      CommissionsCommandTests.header
      + "O1,A1,2026-11-01T10:00:00Z,2026-11-06T12:00:00Z,completed,GB,new,electronics,100.00,GBP\n"
    let result = try SettleProcess.run(
      ["commissions", "--orders", "-", "--period", "2026-11", "--strict", "--out", out], standardInput: input)
    #expect(result.status == 0)
    #expect(result.standardError.isEmpty)
    #expect(CommissionsCommandTests.contents(out) == CommissionsCommandTests.outputs)
    #expect(
      try CommissionsCommandTests.text(out + "/commissions.csv")
        == "affiliate_id,market,orders,sales,commission,currency\nA1,GB,1,133.99,13.40,USD\n")
  }

  @Test func aDayWithoutARateStopsTheRun() throws {
    let out = try CommissionsCommandTests.temporaryDirectory() + "/out"
    let input =
      CommissionsCommandTests.header
      + "O1,A1,2026-11-01T10:00:00Z,2026-11-06T12:00:00Z,completed,GB,new,electronics,100.00,GBP\n"
      + "O2,A1,2026-11-01T10:00:00Z,2026-11-20T12:00:00Z,completed,GB,new,electronics,100.00,GBP\n"
    let result = try SettleProcess.run(
      ["commissions", "--orders", "-", "--period", "2026-11", "--out", out], standardInput: input)
    #expect(result.status == 1)
    #expect(result.standardOutput.isEmpty)
    #expect(
      result.standardError
        == "settle: no ECB rate for GBP on 2026-11-20: no publication on that day or the 7 days before (rates/eurofxref-hist.xml)\n"
    )
    #expect(CommissionsCommandTests.contents(out) == [])
  }

  @Test func aProgramFileIsUsedAndABadOneRefused() throws {
    let directory = try CommissionsCommandTests.temporaryDirectory()
    let program = try CommissionsCommandTests.text(SettleProcess.repositoryRoot + "/programs/alibaba.yaml")
    let ten = program.replacing("new: 9", with: "new: 10").replacing("Alibaba.com Affiliate Program", with: "Flat ten")
    try ten.write(toFile: directory + "/ten.yaml", atomically: true, encoding: .utf8)
    let input =
      CommissionsCommandTests.header
      + "O1,A1,2026-10-01T10:00:00Z,2026-10-02T12:00:00Z,completed,BR,new,electronics,100.00,USD\n"
    let result = try SettleProcess.run(
      [
        "commissions", "--orders", "-", "--period", "2026-10", "--program", directory + "/ten.yaml", "--out",
        directory + "/out",
      ],
      standardInput: input)
    #expect(result.status == 0)
    #expect(result.standardOutput.hasPrefix("settled 2026-10 under Flat ten: 1 rows — 1 qualified"))
    #expect(
      try CommissionsCommandTests.text(directory + "/out/commissions.csv")
        == "affiliate_id,market,orders,sales,commission,currency\nA1,BR,1,100.00,10.00,USD\n")
    #expect(
      try CommissionsCommandTests.text(directory + "/out/summary.json").contains(#""file": "\#(directory)/ten.yaml""#))

    let bad = program.replacing("attribution_window_days: 30", with: "attribution_window_days: 0")
    try bad.write(toFile: directory + "/bad.yaml", atomically: true, encoding: .utf8)
    let refused = try SettleProcess.run(
      [
        "commissions", "--orders", "-", "--period", "2026-10", "--program", directory + "/bad.yaml", "--out",
        directory + "/bad",
      ],
      standardInput: input)
    #expect(refused.status == 1)
    #expect(
      refused.standardError
        == "settle: \(directory)/bad.yaml:6: attribution_window_days: expected a whole number of days from 1 to 366\n")
    #expect(!FileManager.default.fileExists(atPath: directory + "/bad"))
  }

  /// A click 327 years before its order traps the run (see AttributionWindowRangeTests), which
  /// also leaves the audit's temporary file in the output directory.
  @Test func aClickCenturiesBeforeTheOrderDoesNotEndTheRun() throws {
    let out = try CommissionsCommandTests.temporaryDirectory() + "/out"
    let input =
      CommissionsCommandTests.header
      + "O1,A1,1700-01-01T00:00:00Z,2026-10-02T12:00:00Z,completed,US,new,electronics,100.00,USD\n"
    let result = try SettleProcess.run(
      ["commissions", "--orders", "-", "--period", "2026-10", "--out", out], standardInput: input,
      environment: CommissionsCommandTests.noBacktrace)
    #expect(result.status == 0)
    #expect(CommissionsCommandTests.contents(out) == CommissionsCommandTests.outputs)
  }
}

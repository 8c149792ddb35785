import Commissions
import Files
import Money
import Rates
import Testing

/// Every input row of a hostile orders file is accounted for exactly once in the audit:
/// qualified, not qualified with a reason, out of period, or rejected with a reason and its line.
@Suite struct NothingLostTests {
  /// One stretch of the file: its bytes (line end included), what the audit must say of it, and
  /// how many physical lines it takes.
  struct Row {
    let bytes: [UInt8]
    let outcome: String
    let reason: String
    var lines = 1

    init(_ text: String, _ outcome: String, _ reason: String = "", lineEnd: String = "\n", lines: Int = 1) {
      bytes = Array((text + lineEnd).utf8)
      self.outcome = outcome
      self.reason = reason
      self.lines = lines
    }

    init(bytes: [UInt8], _ outcome: String, _ reason: String) {
      self.bytes = bytes + [10]
      self.outcome = outcome
      self.reason = reason
    }
  }

  static func order(_ id: String, _ change: (inout Order) -> Void = { _ in }) -> String {
    Order().with {
      $0.orderID = id
      change(&$0)
    }.line
  }

  /// Good rows among every kind of bad one.
  static let rows: [Row] = [
    Row(order("G1"), "qualified"),
    Row(order("G2"), "qualified", lineEnd: "\r\n"),
    Row("", "rejected", "wrong_field_count"),
    Row(" ", "rejected", "wrong_field_count"),
    Row(",,,,,,,,,", "rejected", "missing_value"),
    Row(order("F1") + ",extra", "rejected", "wrong_field_count"),
    Row(String(order("F2").dropLast(4)), "rejected", "wrong_field_count"),
    Row(order("M1") { $0.amount = "" }, "rejected", "missing_value"),
    Row(order("Q1") { $0.status = "\"completed\"x" }, "rejected", "malformed_csv"),
    Row(order("Q\"2"), "rejected", "malformed_csv"),
    Row(order("A1") { $0.amount = "\"12,50\"" }, "rejected", "bad_amount"),
    Row(order("A2") { $0.amount = "abc" }, "rejected", "bad_amount"),
    Row(order("A3") { $0.amount = "-1.00" }, "rejected", "bad_amount"),
    Row(order("A4") { $0.amount = "10000000000000000.00" }, "rejected", "bad_amount"),
    Row(order("T1") { $0.orderedAt = "2026-13-01T00:00:00Z" }, "rejected", "bad_timestamp"),
    Row(order("T2") { $0.clickedAt = "yesterday" }, "rejected", "bad_timestamp"),
    Row(order("C1") { $0.buyerCountry = "ZZ" }, "rejected", "bad_country"),
    Row(order("C2") { $0.buyerCountry = "us" }, "rejected", "bad_country"),
    Row(order("U1") { $0.currency = "ZZZ" }, "rejected", "bad_currency"),
    Row(order("S1") { $0.status = "shipped" }, "rejected", "bad_status"),
    Row(order("B1") { $0.buyerType = "old" }, "rejected", "bad_buyer_type"),
    Row(order("G1"), "rejected", "duplicate_order_id"),
    Row(order("G3"), "qualified", lineEnd: "\r\n"),
    Row(bytes: Array(order("N\u{0}1").utf8), "rejected", "malformed_csv"),
    // Two affiliates whose ids are not UTF-8: as text both would read "A\u{FFFD}", one affiliate.
    Row(bytes: Array("I1,A".utf8) + [0xFF] + Array(order("").utf8.dropFirst(3)), "rejected", "malformed_csv"),
    Row(bytes: Array("I2,A".utf8) + [0xFE] + Array(order("").utf8.dropFirst(3)), "rejected", "malformed_csv"),
    Row(order("L1") { $0.category = String(repeating: "x", count: 1 << 20) }, "rejected", "malformed_csv"),
    Row(order("P1") { $0.orderedAt = "2026-11-01T00:00:00Z" }, "out_of_period"),
    Row(order("P2") { $0.status = "pending" }, "not_qualified", "status_not_completed"),
    Row(order("P3") { $0.buyerCountry = "CN" }, "not_qualified", "excluded_country"),
    Row(order("P4") { $0.clickedAt = "2026-08-01T00:00:00Z" }, "not_qualified", "attribution_expired"),
    Row(order("ML1") { $0.category = "\"elec\ntronics\"" }, "qualified", lines: 2),
    Row("\u{FEFF}" + order("BOM1"), "qualified"),
    Row(order("G4") { $0.affiliateID = "A2" }, "qualified"),
    // A quote that is never closed: the rest of its line is skipped and the lines after it read.
    Row(order("Z1") { $0.affiliateID = "\"A1" }, "rejected", "malformed_csv"),
    Row(order("G5"), "qualified"),
    Row(order("G6") { $0.affiliateID = "A2" }, "qualified", lineEnd: ""),
  ]

  static func file() -> [UInt8] {
    Array(("\u{FEFF}" + Order.header + "\n").utf8) + rows.flatMap(\.bytes)
  }

  /// `line,outcome,reason code` for each row, as the audit must list them.
  static func expectedAudit() -> [String] {
    var line = 2
    var expected: [String] = []
    for row in rows {
      expected.append("\(line),\(row.outcome),\(row.reason)")
      line += row.lines
    }
    return expected
  }

  static func settle(parallelBytesMin: Int) throws -> (SettlementSummary, [[String]], String, String) {
    let directory = try SettlementFixtures.temporaryDirectory()
    try AtomicFile.write(file(), to: directory + "/orders.csv")
    var options = try SettlementFixtures.options(orders: directory + "/orders.csv", out: directory + "/out")
    options.parallelBytesMin = parallelBytesMin
    let settlement = PeriodSettlement(
      program: .alibaba, rates: try SettlementFixtures.rates(), period: try SettlementFixtures.month("2026-10"))
    let summary = try settlement.run(options)
    let audit = try SettlementFixtures.text(directory + "/out/orders.csv")
    let commissions = try SettlementFixtures.text(directory + "/out/commissions.csv")
    return (summary, CSVRows.parse(audit), audit, commissions)
  }

  @Test("every row of a hostile orders file gets exactly one audit line, with its line and reason")
  func everyRowAccounted() throws {
    let (summary, audit, _, commissions) = try Self.settle(parallelBytesMin: Int.max)
    #expect(
      audit.first == ["line", "order_id", "affiliate_id", "outcome", "reason", "rate_date", "sales", "commission"])
    let listed = audit.dropFirst().map { fields in
      "\(fields[0]),\(fields[3]),\(fields[4].prefix { $0 != ":" })"
    }
    #expect(listed == Self.expectedAudit())
    #expect(summary.counts.inputRows == Self.rows.count)
    for outcome in OrderOutcome.allCases {
      #expect(summary.counts.byOutcome[outcome] == Self.rows.filter { $0.outcome == outcome.rawValue }.count)
    }
    // Every rejection names what is wrong; the ids that are not text are named by column.
    let reasons = audit.dropFirst().map { $0[4] }
    #expect(reasons.contains("malformed_csv: affiliate_id is not valid UTF-8"))
    #expect(reasons.contains("malformed_csv: order_id holds a NUL byte"))
    #expect(reasons.contains("malformed_csv: longer than 1048576 bytes"))
    #expect(reasons.contains("malformed_csv: a quoted field is not closed before the end of the file"))
    // The qualified orders, and nothing else, are in the totals: 10 % of 100.00 USD each.
    let qualified = audit.dropFirst().filter { $0[3] == "qualified" }
    #expect(qualified.allSatisfy { $0[7] == "10.00" })
    #expect(
      commissions == """
        affiliate_id,market,orders,sales,commission,currency
        A1,US,6,600.00,60.00,USD
        A2,US,2,200.00,20.00,USD

        """)
    #expect(summary.totalCommission == Int128(qualified.count) * 1000)
  }

  @Test(
    "a row whose audit line is longer than its input is kept, with tiers (the audit is rewritten) and when read back")
  func tieredAuditOfLongRows() throws {
    let program = try SettlementFixtures.tieredProgram()
    // A 600,000-byte order id twice: the duplicate's audit line holds the id and a reason quoting it, 1.2 MB.
    let longID = String(repeating: "i", count: 600_000)
    let orders = [Order(), Order().with { $0.orderID = longID }, Order().with { $0.orderID = longID }]
    for program in [program, .alibaba] {
      let run = try SettlementFixtures.settle(orders, program: program)
      #expect(run.summary.counts.inputRows == 3)
      #expect(
        CSVRows.parse(run.auditCSV).dropFirst().map { "\($0[0]),\($0[3]),\($0[4].prefix { $0 != ":" })" } == [
          "2,qualified,", "3,qualified,", "4,rejected,duplicate_order_id",
        ])
      // The ledger reads the audit back the same way.
      var qualifiedLines: [Int] = []
      try SettlementAudit.forEachQualifiedOrder(
        path: run.outputDirectory + "/orders.csv", currency: program.settlementCurrency
      ) {
        qualifiedLines.append($0.line)
      }
      #expect(qualifiedLines == [2, 3])
    }
  }

  @Test("read as two halves on two threads, the same file gives the same audit and totals")
  func halvesAgree() throws {
    let (wholeSummary, _, wholeAudit, wholeCommissions) = try Self.settle(parallelBytesMin: Int.max)
    let (halvesSummary, _, halvesAudit, halvesCommissions) = try Self.settle(parallelBytesMin: 1)
    #expect(halvesAudit == wholeAudit)
    #expect(halvesCommissions == wholeCommissions)
    #expect(halvesSummary.counts.inputRows == wholeSummary.counts.inputRows)
  }
}

/// A small RFC 4180 reader for checking what Settle wrote, apart from the reader under test.
enum CSVRows {
  static func parse(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var fields: [String] = []
    var field = ""
    var isQuoted = false
    var characters = Array(text.unicodeScalars)[...]
    while let character = characters.popFirst() {
      if isQuoted {
        if character == "\"" {
          if characters.first == "\"" {
            field.unicodeScalars.append("\"")
            characters.removeFirst()
          } else {
            isQuoted = false
          }
        } else {
          field.unicodeScalars.append(character)
        }
        continue
      }
      switch character {
      case "\"": isQuoted = true
      case ",":
        fields.append(field)
        field = ""
      case "\n":
        fields.append(field)
        rows.append(fields)
        fields = []
        field = ""
      default: field.unicodeScalars.append(character)
      }
    }
    if !field.isEmpty || !fields.isEmpty { rows.append(fields + [field]) }
    return rows
  }
}

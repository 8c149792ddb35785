import Commissions
import Foundation
import Testing

/// Reading the orders file: every rejected row listed with its line and reason and the run going
/// on, `--strict`, columns in any order, and every input row accounted for.
@Suite struct OrdersInputTests {
  static let qualified = "qualified,,2026-10-02,100.00,10.00"

  /// A bad value, the audit's reason for it, and a value next to it that is accepted.
  struct Rejection: Sendable, CustomTestStringConvertible {
    let field: any WritableKeyPath<Order, String> & Sendable
    let bad: String
    let reason: String
    let good: String
    var testDescription: String { "\(bad) → \(reason.prefix(while: { $0 != ":" }))" }
  }

  static let rejections: [Rejection] = [
    Rejection(field: \.amount, bad: "0.00", reason: #"bad_amount: amount "0.00" is not more than zero"#, good: "0.01"),
    Rejection(field: \.amount, bad: "0", reason: #"bad_amount: amount "0" is not more than zero"#, good: "1"),
    Rejection(
      field: \.amount, bad: "-5.00", reason: #"bad_amount: amount "-5.00" is not more than zero"#, good: "5.00"),
    Rejection(
      field: \.amount, bad: #""12,50""#,
      reason:
        #"bad_amount: amount "12,50" is not a plain decimal: a comma is neither a thousands separator nor a decimal point here"#,
      good: "12.50"),
    Rejection(
      field: \.amount, bad: "1e3",
      reason: #"bad_amount: amount "1e3" is not a plain decimal: exponent notation is not accepted"#,
      good: "1000"),
    Rejection(
      field: \.amount, bad: " 12.50",
      reason: #"bad_amount: amount " 12.50" is not a plain decimal: it contains a space"#,
      good: "12.50"),
    Rejection(
      field: \.amount, bad: "+12.50",
      reason: #"bad_amount: amount "+12.50" is not a plain decimal: only a leading minus sign is accepted"#,
      good: "12.50"),
    Rejection(
      field: \.amount, bad: ".50",
      reason: #"bad_amount: amount ".50" is not a plain decimal: digits are missing before or after the decimal point"#,
      good: "0.50"),
    Rejection(
      field: \.amount, bad: "12.505",
      reason: #"bad_amount: amount "12.505" is not a plain decimal: USD allows at most 2 fraction digits"#,
      good: "12.5"),
    Rejection(
      field: \.amount, bad: "10000000000000000.00",
      reason: #"bad_amount: amount "10000000000000000.00" is not a plain decimal: more than 18 digits"#,
      good: "9999999999999999.99"),
    Rejection(
      field: \.currency, bad: "usd",
      reason: #"bad_currency: currency "usd" is not an ISO 4217 currency with minor units"#,
      good: "USD"),
    Rejection(
      field: \.currency, bad: "XXX",
      reason: #"bad_currency: currency "XXX" is not an ISO 4217 currency with minor units"#,
      good: "EUR"),
    Rejection(
      field: \.currency, bad: "KWD", reason: "bad_currency: currency KWD is not covered by the ECB rates", good: "CHF"),
    Rejection(
      field: \.buyerCountry, bad: "XX", reason: #"bad_country: buyer_country "XX" is not an ISO 3166-1 alpha-2 code"#,
      good: "GB"),
    Rejection(
      field: \.buyerCountry, bad: "us", reason: #"bad_country: buyer_country "us" is not an ISO 3166-1 alpha-2 code"#,
      good: "US"),
    Rejection(
      field: \.buyerCountry, bad: "USA", reason: #"bad_country: buyer_country "USA" is not an ISO 3166-1 alpha-2 code"#,
      good: "US"),
    Rejection(
      field: \.status, bad: "shipped",
      reason: #"bad_status: status "shipped" is not completed, refunded, cancelled or pending"#, good: "completed"),
    Rejection(
      field: \.status, bad: "Completed",
      reason: #"bad_status: status "Completed" is not completed, refunded, cancelled or pending"#, good: "completed"),
    Rejection(
      field: \.buyerType, bad: "vip", reason: #"bad_buyer_type: buyer_type "vip" is not new or returning"#, good: "new"),
    Rejection(
      field: \.buyerType, bad: "New", reason: #"bad_buyer_type: buyer_type "New" is not new or returning"#, good: "new"),
    Rejection(
      field: \.clickedAt, bad: "2026-10-01 10:00:00",
      reason:
        #"bad_timestamp: clicked_at "2026-10-01 10:00:00" is not an RFC 3339 timestamp (e.g. 2026-10-09T04:58:44Z)"#,
      good: "2026-10-01T10:00:00Z"),
    Rejection(
      field: \.orderedAt, bad: "2026-10-02T12:00:00",
      reason:
        #"bad_timestamp: ordered_at "2026-10-02T12:00:00" is not an RFC 3339 timestamp (e.g. 2026-10-09T04:58:44Z)"#,
      good: "2026-10-02T12:00:00z"),
    Rejection(
      field: \.orderedAt, bad: "2026-02-30T12:00:00Z",
      reason:
        #"bad_timestamp: ordered_at "2026-02-30T12:00:00Z" is not an RFC 3339 timestamp (e.g. 2026-10-09T04:58:44Z)"#,
      good: "2026-10-30T12:00:00Z"),
    Rejection(
      field: \.orderedAt, bad: "2026-10-02T24:00:00Z",
      reason:
        #"bad_timestamp: ordered_at "2026-10-02T24:00:00Z" is not an RFC 3339 timestamp (e.g. 2026-10-09T04:58:44Z)"#,
      good: "2026-10-02T23:59:59Z"),
    Rejection(
      field: \.orderedAt, bad: "2026-10-02T12:00:60Z",
      reason:
        #"bad_timestamp: ordered_at "2026-10-02T12:00:60Z" is not an RFC 3339 timestamp (e.g. 2026-10-09T04:58:44Z)"#,
      good: "2026-10-02T12:00:59.999999999Z"),
    Rejection(
      field: \.orderedAt, bad: "2026-10-02T12:00:00+2:00",
      reason:
        #"bad_timestamp: ordered_at "2026-10-02T12:00:00+2:00" is not an RFC 3339 timestamp (e.g. 2026-10-09T04:58:44Z)"#,
      good: "2026-10-02T12:00:00+02:00"),
  ]

  @Test(arguments: rejections)
  func aBadValueIsRejectedWithItsReasonAndTheValueNextToItIsNot(rejection: Rejection) throws {
    var bad = Order()
    bad[keyPath: rejection.field] = rejection.bad
    let quotedReason =
      rejection.reason.contains(",") || rejection.reason.contains("\"")
      ? "\"" + rejection.reason.replacing("\"", with: "\"\"") + "\"" : rejection.reason
    #expect(try SettlementFixtures.auditLine(of: bad) == "2,O1,A1,rejected,\(quotedReason),,,")
    var good = Order()
    good[keyPath: rejection.field] = rejection.good
    #expect(try SettlementFixtures.auditLine(of: good).split(separator: ",")[3] == "qualified")
  }

  @Test(arguments: [
    "order_id", "affiliate_id", "clicked_at", "ordered_at", "status", "buyer_country", "buyer_type", "category",
    "amount",
    "currency",
  ])
  func anEmptyRequiredValueIsMissing(column: String) throws {
    let header = Order.header.split(separator: ",").map(String.init)
    var fields = Order().line.split(separator: ",").map(String.init)
    let index = try #require(header.firstIndex(of: column))
    fields[index] = ""
    let file = Order.header + "\n" + fields.joined(separator: ",") + "\n"
    let run = try SettlementFixtures.settle(file)
    let orderID = column == "order_id" ? "" : "O1"
    let affiliateID = column == "affiliate_id" ? "" : "A1"
    #expect(run.auditRows == ["2,\(orderID),\(affiliateID),rejected,missing_value: \(column) is empty,,,"])
  }

  /// An extra column may be empty: only the required ones must have a value.
  @Test func anEmptyExtraValueIsNotMissing() throws {
    let run = try SettlementFixtures.settle(Order.header + ",note\n" + Order().line + ",\n")
    #expect(run.auditRows == ["2,O1,A1,\(OrdersInputTests.qualified)"])
  }

  @Test(arguments: [
    (9, "expected 10 fields, found 9"), (11, "expected 10 fields, found 11"), (1, "expected 10 fields, found 1"),
  ])
  func aRowWithTheWrongNumberOfFieldsIsRejected(fieldCount: Int, reason: String) throws {
    var fields = Order().line.split(separator: ",").map(String.init)
    while fields.count > fieldCount { fields.removeLast() }
    while fields.count < fieldCount { fields.append("extra") }
    let run = try SettlementFixtures.settle(Order.header + "\n" + fields.joined(separator: ",") + "\n")
    let affiliateID = fieldCount > 1 ? "A1" : ""
    #expect(run.auditRows == ["2,O1,\(affiliateID),rejected,\"wrong_field_count: \(reason)\",,,"])
  }

  @Test func aDuplicateOrderIDIsRejectedAndTheFirstCounts() throws {
    let run = try SettlementFixtures.settle([
      Order(), Order(affiliateID: "A2"), Order(orderID: "O1 "),
    ])
    #expect(
      run.auditRows == [
        "2,O1,A1,\(OrdersInputTests.qualified)",
        #"3,O1,A2,rejected,"duplicate_order_id: order_id ""O1"" appears on an earlier line",,,"#,
        "4,O1 ,A1,\(OrdersInputTests.qualified)",
      ])
    #expect(run.commissionRows == ["A1,US,2,200.00,20.00,USD"])
  }

  @Test(arguments: [
    (
      #"O1,A1,2026-10-01T10:00:00Z,2026-10-02T12:00:00Z,completed,US,new,electronics,12"50,USD"#,
      "a quote inside an unquoted field"
    ),
    (
      #"O1,A1,2026-10-01T10:00:00Z,2026-10-02T12:00:00Z,completed,US,new,electronics,"12.50"x,USD"#,
      "characters after a closing quote"
    ),
    (
      #"O1,A1,2026-10-01T10:00:00Z,"2026-10-02T12:00:00Z,completed,US,new,electronics,12.50,USD"#,
      "a quoted field is not closed before the end of the file"
    ),
  ])
  func malformedCSVIsRejectedAndTheNextRowIsRead(row: String, reason: String) throws {
    let next = Order(orderID: "O2")
    let run = try SettlementFixtures.settle(Order.header + "\n" + row + "\n" + next.line + "\n")
    #expect(run.auditRows == ["2,,,rejected,malformed_csv: \(reason),,,", "3,O2,A1,\(OrdersInputTests.qualified)"])
  }

  /// RFC 4180 quoting is honoured: quoted commas, doubled quotes and line breaks inside fields.
  @Test func quotedFieldsAreReadAndWrittenBackQuoted() throws {
    let file =
      Order.header + "\n"
      + #""O,1","A""1",2026-10-01T10:00:00Z,2026-10-02T12:00:00Z,"completed",US,new,"electronics",100.00,USD"# + "\n"
      + "\"O\n2\",A1,2026-10-01T10:00:00Z,2026-10-02T12:00:00Z,completed,US,new,electronics,100.00,USD\n"
      + Order(orderID: "O3").line + "\n"
    let run = try SettlementFixtures.settle(file)
    #expect(
      run.auditCSV == "line,order_id,affiliate_id,outcome,reason,rate_date,sales,commission\n"
        + #"2,"O,1","A""1",qualified,,2026-10-02,100.00,10.00"# + "\n"
        + "3,\"O\n2\",A1,qualified,,2026-10-02,100.00,10.00\n"
        + "5,O3,A1,qualified,,2026-10-02,100.00,10.00\n")
    #expect(run.commissionRows == [#""A""1",US,1,100.00,10.00,USD"#, "A1,US,2,200.00,20.00,USD"])
  }

  // MARK: Amounts too large for the settlement currency

  /// 999 999 999 999 999 999 ISK (the most digits an amount may have) is about 1.5 × 10²² IDR
  /// minor units, past 64 bits: the row is rejected, the run goes on.
  @Test func anAmountTooLargeToConvertIsRejected() throws {
    let rupiah = try Program.alibaba.settling(in: try .init(code: "IDR"))
    let huge = Order(amount: "999999999999999999", currency: "ISK")
    let next = Order(orderID: "O2", amount: "1000000000000", currency: "ISK")
    let run = try SettlementFixtures.settle([huge, next], program: rupiah)
    #expect(
      run.auditRows == [
        #"2,O1,A1,rejected,"bad_amount: amount ""999999999999999999"" is too large to convert into IDR",,,"#,
        // 10¹² ISK × 20149.32 ÷ 137 = 147 075 328 467 153.28… IDR.
        "3,O2,A1,qualified,,2026-10-02,147075328467153.28,14707532846715.33",
      ])
  }

  /// Totals are summed in 64 bits of minor units: a line that would pass them stops the run.
  @Test func totalsPastSixtyFourBitsStopTheRun() throws {
    let largest = (1...9).map { index in
      Order(orderID: "O\(index)", amount: "9999999999999999.99")
    }
    let path = try SettlementFixtures.temporaryDirectory() + "/orders.csv"
    try SettlementFixtures.write(
      Order.file(
        largest + [
          Order(orderID: "O10", amount: "9999999999999999.99")
        ]), to: path)
    #expect(throws: SettlementError("\(path): the totals of affiliate A1 in US pass 64 bits of USD minor units")) {
      try SettlementFixtures.settle(path: path)
    }
    // Nine of them fit: 89 999 999 999 999 999.91 USD, each commission 999 999 999 999 999.999 → 1 000 000 000 000 000.00.
    let run = try SettlementFixtures.settle(largest)
    #expect(run.commissionRows == ["A1,US,9,89999999999999999.91,9000000000000000.00,USD"])
  }

  // MARK: The header

  @Test func columnsMayComeInAnyOrderWithExtraColumnsIgnored() throws {
    let orders = [
      Order(),
      Order(orderID: "O2", buyerCountry: "GB", buyerType: "returning", amount: "50.00", currency: "GBP"),
      Order(orderID: "O3", status: "refunded"),
      Order(orderID: "O4", amount: "\"12,50\""),
    ]
    let canonical = try SettlementFixtures.settle(orders)
    let reordered =
      "note,currency,amount,category,buyer_type,buyer_country,status,ordered_at,clicked_at,affiliate_id,order_id,channel\n"
      + orders.map { order in
        [
          "hello, world".csvQuoted, order.currency, order.amount.csvQuoted, order.category, order.buyerType,
          order.buyerCountry,
          order.status, order.orderedAt, order.clickedAt, order.affiliateID, order.orderID, "email",
        ].joined(separator: ",")
      }.joined(separator: "\n") + "\n"
    let run = try SettlementFixtures.settle(reordered)
    #expect(run.commissionsCSV == canonical.commissionsCSV)
    #expect(run.auditCSV == canonical.auditCSV)
    #expect(canonical.commissionRows == ["A1,GB,1,66.00,3.96,USD", "A1,US,1,100.00,10.00,USD"])
  }

  @Test func aByteOrderMarkAndCRLFLineEndsAreAccepted() throws {
    let orders = [
      Order(),
      Order(orderID: "O2", amount: "\"7.50\""),
    ]
    let canonical = try SettlementFixtures.settle(orders)
    let windows = "\u{FEFF}" + Order.file(orders).replacing("\n", with: "\r\n")
    let run = try SettlementFixtures.settle(windows)
    #expect(run.auditCSV == canonical.auditCSV)
    #expect(run.commissionsCSV == canonical.commissionsCSV)
    #expect(run.commissionRows == ["A1,US,2,107.50,10.75,USD"])
  }

  @Test func aMissingColumnStopsTheRun() throws {
    let path = try SettlementFixtures.temporaryDirectory() + "/orders.csv"
    try SettlementFixtures.write(
      Order.header.replacing(",currency", with: ",curency") + "\n" + Order().line + "\n", to: path)
    #expect(
      throws: SettlementError(
        "\(path):1: the header has no \"currency\" column "
          + "(expected order_id,affiliate_id,clicked_at,ordered_at,status,buyer_country,buyer_type,category,amount,currency)"
      )
    ) {
      try SettlementFixtures.settle(path: path)
    }
  }

  @Test func aRepeatedColumnStopsTheRun() throws {
    let path = try SettlementFixtures.temporaryDirectory() + "/orders.csv"
    try SettlementFixtures.write(Order.header + ",amount\n" + Order().line + ",1.00\n", to: path)
    #expect(throws: SettlementError("\(path):1: column \"amount\" appears twice in the header")) {
      try SettlementFixtures.settle(path: path)
    }
    // An extra column may repeat: it is not read.
    let run = try SettlementFixtures.settle(Order.header + ",note,note\n" + Order().line + ",a,b\n")
    #expect(run.auditRows == ["2,O1,A1,\(OrdersInputTests.qualified)"])
  }

  @Test func anEmptyFileStopsTheRunButAHeaderAloneSettlesNothing() throws {
    let path = try SettlementFixtures.temporaryDirectory() + "/orders.csv"
    try SettlementFixtures.write("", to: path)
    #expect(
      throws: SettlementError(
        "\(path): empty; expected a header row naming "
          + "order_id,affiliate_id,clicked_at,ordered_at,status,buyer_country,buyer_type,category,amount,currency")
    ) {
      try SettlementFixtures.settle(path: path)
    }
    let run = try SettlementFixtures.settle(Order.header + "\n")
    #expect(run.commissionsCSV == "affiliate_id,market,orders,sales,commission,currency\n")
    #expect(run.auditCSV == "line,order_id,affiliate_id,outcome,reason,rate_date,sales,commission\n")
    #expect(run.summaryJSON.contains(#""input_rows": 0,"#))
  }

  // MARK: --strict

  @Test func strictWithOneRejectedRowThrowsAndWritesNothing() throws {
    let directory = try SettlementFixtures.temporaryDirectory()
    try SettlementFixtures.write(
      Order.file([
        Order(),
        Order(orderID: "O2", buyerType: "vip"), Order(orderID: "O3"),
      ]), to: directory + "/orders.csv")
    let settlement = PeriodSettlement(
      program: .alibaba, rates: try SettlementFixtures.rates(), period: try SettlementFixtures.month("2026-10"))
    #expect(
      throws: SettlementError(
        "1 rows rejected with --strict; nothing written. First: \(directory)/orders.csv:3: bad_buyer_type: buyer_type \"vip\" is not new or returning"
      )
    ) {
      try settlement.run(
        try SettlementFixtures.options(orders: directory + "/orders.csv", out: directory + "/out", strict: true))
    }
    #expect(try SettlementFixtures.contents(of: directory + "/out") == [])
  }

  @Test func strictWithOnlyGoodRowsWritesWhatARunWithoutItWrites() throws {
    let orders = [
      Order(),
      Order(orderID: "O2", status: "cancelled"),
      Order(orderID: "O3", orderedAt: "2026-11-02T00:00:00Z"),
    ]
    let strict = try SettlementFixtures.settle(orders, strict: true)
    let lenient = try SettlementFixtures.settle(orders)
    #expect(
      try SettlementFixtures.contents(of: strict.outputDirectory) == ["commissions.csv", "orders.csv", "summary.json"])
    #expect(strict.commissionsCSV == lenient.commissionsCSV)
    #expect(strict.auditCSV == lenient.auditCSV)
    #expect(strict.summaryJSON.contains(#""strict": true"#))
    #expect(lenient.summaryJSON.contains(#""strict": false"#))
  }

  // MARK: Every row accounted for

  /// Every kind of bad row among good ones: the audit has exactly one line per input data row, in
  /// order, and the summary's outcomes and reasons add up to the input rows.
  @Test func everyInputRowHasExactlyOneAuditLine() throws {
    var lines: [String] = []
    var expectedOutcomes: [String] = []
    func add(_ line: String, _ outcome: String) {
      lines.append(line)
      expectedOutcomes.append(outcome)
    }
    for index in 0..<40 {
      let order = Order(orderID: "G\(index)", affiliateID: "A\(index % 3)")
      add(order.line, "qualified")
      switch index % 20 {
      case 0:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.amount = "0.00"
          }.line, "rejected")
      case 1:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.amount = "\"12,50\""
          }.line, "rejected")
      case 2:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.currency = "KWD"
          }.line, "rejected")
      case 3:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.currency = "usd"
          }.line, "rejected")
      case 4:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.buyerCountry = "XX"
          }.line, "rejected")
      case 5: add(order.line, "rejected")  // a duplicate
      case 6:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.status = "shipped"
          }.line, "rejected")
      case 7:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.buyerType = "vip"
          }.line, "rejected")
      case 8:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.orderedAt = "yesterday"
          }.line, "rejected")
      case 9:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.affiliateID = ""
          }.line, "rejected")
      case 10: add("B\(index),A1,too,few", "rejected")
      case 11: add("B\(index),A1,2026\"", "rejected")
      case 12:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.amount = "1.001"
          }.line, "rejected")
      case 13:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.status = "refunded"
          }.line, "not_qualified")
      case 14:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.buyerCountry = "NG"
          }.line, "not_qualified")
      case 15:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.category = "tobacco"
          }.line, "not_qualified")
      case 16:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.clickedAt = "2026-10-03T00:00:00Z"
          }.line, "not_qualified")
      case 17:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.clickedAt = "2026-08-01T00:00:00Z"
          }.line, "not_qualified")
      case 18:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.orderedAt = "2026-09-02T00:00:00Z"; $0.clickedAt = "2026-09-01T00:00:00Z"
          }.line, "out_of_period")
      default:
        add(
          order.with {
            $0.orderID = "B\(index)"; $0.amount = "\"1,000.00\""
          }.line, "rejected")
      }
    }
    let run = try SettlementFixtures.settle(([Order.header] + lines).joined(separator: "\n") + "\n")
    let rows = run.auditRows.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    #expect(rows.map { Int($0[0]) } == Array(2...(lines.count + 1)))
    #expect(rows.map { String($0[3]) } == expectedOutcomes)
    let counts = run.summary.counts
    #expect(counts.inputRows == lines.count)
    #expect(counts.byOutcome.values.reduce(0, +) == counts.inputRows)
    let notQualifiedOrRejected = expectedOutcomes.filter { $0 == "not_qualified" || $0 == "rejected" }.count
    #expect(counts.byReason.values.reduce(0, +) == notQualifiedOrRejected)
    #expect(counts.byOutcome[.qualified] == 40)
    #expect(counts.byOutcome[.notQualified] == 10)
    #expect(counts.byOutcome[.outOfPeriod] == 2)
    #expect(counts.byOutcome[.rejected] == 28)
    #expect(run.summaryJSON.contains(#""input_rows": 80,"#))
    #expect(
      run.summaryJSON.contains(
        #""outcomes": {"qualified": 40, "not_qualified": 10, "out_of_period": 2, "rejected": 28}"#))
    #expect(
      run.commissionRows == [
        "A0,US,14,1400.00,140.00,USD", "A1,US,13,1300.00,130.00,USD", "A2,US,13,1300.00,130.00,USD",
      ])
  }
}

extension String {
  /// The field quoted for CSV when it holds a comma or quote (and left alone when already quoted).
  var csvQuoted: String {
    guard !hasPrefix("\""), contains(",") || contains("\"") else { return self }
    return "\"" + replacing("\"", with: "\"\"") + "\""
  }
}

/// A quoted last field followed by CRLF, where the CSV reader's first read ends. The reader
/// fills its buffer with `lineBytesMax + chunkBytes` = 2 MiB on the first read of a regular
/// file; the file is built so that the row's `"`, `\r` or `\n` is the buffer's last byte.
@Suite struct ReadBoundaryTests {
  static let firstReadBytes = 2 << 20

  /// An orders file (with a quoted `note` column) whose row `EDGE` has its `\r` at byte
  /// `firstReadBytes + carriageReturnOffset`, followed by one more row.
  static func file(carriageReturnOffset: Int) -> String {
    var text = Order.header + ",note\r\n"
    var index = 0
    while true {
      let filler = Order(orderID: "F\(index)").line + ",\"x\"\r\n"
      guard text.utf8.count + filler.utf8.count + 400 < firstReadBytes else { break }
      text += filler
      index += 1
    }
    let start = Order(orderID: "EDGE").line + ",\""
    let padding = firstReadBytes + carriageReturnOffset - text.utf8.count - start.utf8.count - 1
    text += start + String(repeating: "y", count: padding) + "\"\r\n"
    text += Order(orderID: "AFTER").line + ",\"z\"\r\n"
    return text
  }

  /// The outcomes of the rows `EDGE` and `AFTER`.
  static func outcomes(carriageReturnOffset: Int) throws -> (edge: String, after: String) {
    let run = try SettlementFixtures.settle(file(carriageReturnOffset: carriageReturnOffset))
    // 4 MiB a run: not left in /tmp.
    defer { try? FileManager.default.removeItem(atPath: String(run.outputDirectory.dropLast("/out".count))) }
    func outcome(_ orderID: String) -> String {
      let row = run.auditRows.first { $0.split(separator: ",")[1] == orderID }
      return row.map { String($0.split(separator: ",")[3]) } ?? "missing"
    }
    #expect(run.summary.counts.inputRows == run.auditRows.count)
    return (outcome("EDGE"), outcome("AFTER"))
  }

  /// The closing quote or the line feed as the buffer's last byte: read correctly.
  @Test(arguments: [-2, 0, 1])
  func aRowAcrossTheFirstReadIsRead(carriageReturnOffset: Int) throws {
    let outcomes = try ReadBoundaryTests.outcomes(carriageReturnOffset: carriageReturnOffset)
    #expect(outcomes.edge == "qualified")
    #expect(outcomes.after == "qualified")
  }

  /// The `\r` as the buffer's last byte: `CSVReader.scan` sees `"` then `\r` with no byte after
  /// it, and must ask for more input rather than call the row malformed.
  @Test func aCarriageReturnAsTheLastByteOfTheFirstReadIsRead() throws {
    let outcomes = try ReadBoundaryTests.outcomes(carriageReturnOffset: -1)
    #expect(outcomes.edge == "qualified")

    #expect(outcomes.after == "qualified")
  }
}

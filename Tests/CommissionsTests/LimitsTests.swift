import Commissions
import Dispatch
import Files
import Foundation
import Money
import Rates
import Testing

/// The orders file's limits, each exactly at the limit (settled) and one past it (refused with
/// the file, line, field and value, and nothing written or a row rejected, as the limit says).
@Suite struct OrdersLimitsTests {
  static let lineBytesMax = 1 << 20

  /// Settles `bytes` as `orders.csv`, changing the options first; the run's outputs or its error.
  static func settle(
    _ bytes: [UInt8], program: Program = .alibaba, change: (inout PeriodSettlement.RunOptions) -> Void = { _ in }
  ) throws -> (directory: String, result: Result<SettlementSummary, any Error>) {
    let directory = try SettlementFixtures.temporaryDirectory()
    try AtomicFile.write(bytes, to: directory + "/orders.csv")
    var options = try SettlementFixtures.options(orders: directory + "/orders.csv", out: directory + "/out")
    change(&options)
    let settlement = PeriodSettlement(
      program: program, rates: try SettlementFixtures.rates(), period: try SettlementFixtures.month("2026-10"))
    return (directory, Result { try settlement.run(options) })
  }

  /// The error a run ended with, or "" when it succeeded.
  static func message(_ result: Result<SettlementSummary, any Error>) -> String {
    switch result {
    case .success: ""
    case .failure(let error): "\(error)"
    }
  }

  /// The audit's `line,outcome,reason` of each row.
  static func audit(_ directory: String) throws -> [String] {
    CSVRows.parse(try SettlementFixtures.text(directory + "/out/orders.csv")).dropFirst().map {
      "\($0[0]),\($0[3]),\($0[4])"
    }
  }

  // MARK: Largest file

  @Test(
    "an orders file of exactly ordersFileBytesMax bytes is settled; one byte more is refused and nothing is written",
    arguments: [Int.max, 1])
  func fileSize(parallelBytesMin: Int) throws {
    let bytes = Array(Order.file([Order(), Order().with { $0.orderID = "O2" }]).utf8)
    let (accepted, result) = try Self.settle(bytes) {
      $0.ordersFileBytesMax = bytes.count
      $0.parallelBytesMin = parallelBytesMin
    }
    #expect(try result.get().counts.byOutcome[.qualified] == 2)
    #expect(
      try SettlementFixtures.contents(of: accepted + "/out") == ["commissions.csv", "orders.csv", "summary.json"])
    let (refused, refusal) = try Self.settle(bytes) {
      $0.ordersFileBytesMax = bytes.count - 1
      $0.parallelBytesMin = parallelBytesMin
    }
    #expect(throws: FileError.self) { try refusal.get() }
    #expect(
      Self.message(refusal)
        == "\(refused)/orders.csv: cannot read: is \(bytes.count) bytes, more than the limit of \(bytes.count - 1) bytes"
    )
    #expect(try SettlementFixtures.contents(of: refused + "/out") == [])
  }

  @Test("orders from a pipe are bound as they are read: exactly the limit is settled, one byte more written nowhere")
  func pipeSize() throws {
    let bytes = Array(Order.file([Order(), Order().with { $0.orderID = "O2" }]).utf8)
    for (limit, fits) in [(bytes.count, true), (bytes.count - 1, false)] {
      let directory = try SettlementFixtures.temporaryDirectory()
      let pipe = directory + "/orders.pipe"
      #expect(mkfifo(pipe, 0o600) == 0)
      DispatchQueue.global().async {
        let descriptor = open(pipe, O_WRONLY)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
      }
      var options = try SettlementFixtures.options(orders: pipe, out: directory + "/out")
      options.ordersFileBytesMax = limit
      let settlement = PeriodSettlement(
        program: .alibaba, rates: try SettlementFixtures.rates(), period: try SettlementFixtures.month("2026-10"))
      let result = Result { try settlement.run(options) }
      if fits {
        #expect(try result.get().counts.byOutcome[.qualified] == 2)
      } else {
        #expect(Self.message(result) == "\(pipe): cannot read: more than the limit of \(limit) bytes")
        #expect(try SettlementFixtures.contents(of: directory + "/out") == [])
      }
    }
  }

  @Test("the default limit is 16 GiB")
  func defaultFileSize() throws {
    #expect(PeriodSettlement.ordersFileBytesMax == 17_179_869_184)
    #expect(try SettlementFixtures.options(orders: "-", out: "out").ordersFileBytesMax == 17_179_869_184)
  }

  // MARK: Longest line

  /// An order row padded by an extra `note` column to exactly `bytes` bytes before its line end.
  static func paddedRow(_ id: String, bytes: Int) -> String {
    let row = Order().with { $0.orderID = id }.line + ","
    return row + String(repeating: "n", count: bytes - row.utf8.count)
  }

  @Test("a row of exactly lineBytesMax bytes is settled; one byte more is rejected with its line, the next row settled")
  func longestLine() throws {
    let header = Order.header + ",note\n"
    let file =
      header + Self.paddedRow("O1", bytes: Self.lineBytesMax) + "\n"
      + Self.paddedRow("O2", bytes: Self.lineBytesMax + 1)
      + "\r\n" + Order().with { $0.orderID = "O3" }.line + ",\n"
    let (directory, result) = try Self.settle(Array(file.utf8))
    #expect(try result.get().counts.inputRows == 3)
    #expect(
      try Self.audit(directory) == [
        "2,qualified,", "3,rejected,malformed_csv: longer than 1048576 bytes", "4,qualified,",
      ])
  }

  // MARK: Most fields

  @Test("rows of exactly fieldsMax fields are settled; one field more is rejected with its line")
  func mostFields() throws {
    let extras = (1...246).map { "x\($0)" }
    let header = ([Order.header] + extras).joined(separator: ",")
    let row = ([Order().line] + extras).joined(separator: ",")
    let file =
      [
        header, row, row.replacingOccurrences(of: "O1,", with: "O2,") + ",x247",
        row.replacingOccurrences(of: "O1,", with: "O3,"),
      ]
      .joined(separator: "\n") + "\n"
    let (directory, result) = try Self.settle(Array(file.utf8))
    #expect(try result.get().counts.inputRows == 3)
    #expect(
      try Self.audit(directory) == ["2,qualified,", "3,rejected,malformed_csv: more than 256 fields", "4,qualified,"])
  }

  @Test("a header of more than fieldsMax fields stops the run naming line 1, and nothing is written")
  func headerPastFields() throws {
    let header = ([Order.header] + (1...247).map { "x\($0)" }).joined(separator: ",")
    let (directory, result) = try Self.settle(Array((header + "\n" + Order().line + "\n").utf8))
    #expect(throws: SettlementError.self) { try result.get() }
    #expect(
      Self.message(result) == "\(directory)/orders.csv:1: the header row is not well-formed CSV: more than 256 fields")
    #expect(try SettlementFixtures.contents(of: directory + "/out") == [])
  }

  // MARK: Largest amount

  @Test("an amount of 18 digits is settled; 19 digits are rejected naming the line, field and value")
  func amountDigits() throws {
    let orders = [
      Order().with {
        $0.amount = "999999999999999999"
        $0.currency = "JPY"
      },
      Order().with {
        $0.orderID = "O2"
        $0.amount = "1000000000000000000"
        $0.currency = "JPY"
      },
    ]
    let (directory, result) = try Self.settle(Array(Order.file(orders).utf8))
    #expect(try result.get().counts.inputRows == 2)
    #expect(
      try Self.audit(directory) == [
        "2,qualified,",
        #"3,rejected,bad_amount: amount "1000000000000000000" is not a plain decimal: more than 18 digits"#,
      ])
  }

  @Test("an amount whose settlement value passes 64 bits of minor units is rejected, the next row settled")
  func amountPastSixtyFourBits() throws {
    let orders = [
      Order().with {
        $0.amount = "9999999999999999.99"
        $0.currency = "GBP"
      },
      Order().with {
        $0.orderID = "O2"
        $0.amount = "1000.00"
        $0.currency = "GBP"
      },
    ]
    let program = try Program.alibaba.settling(in: try Currency(code: "IDR"))
    let (directory, result) = try Self.settle(Array(Order.file(orders).utf8), program: program)
    #expect(try result.get().counts.inputRows == 2)
    #expect(
      try Self.audit(directory) == [
        #"2,rejected,bad_amount: amount "9999999999999999.99" is too large to convert into IDR"#,
        "3,qualified,",
      ])
  }
}

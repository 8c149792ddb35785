import Foundation
import Testing

/// Every command that reads rows accounts for each of them exactly once, whatever the rows hold:
/// `settle convert --batch` (one output row per input row), `settle commissions` (one audit line
/// per row, the same from a file or standard input) and `settle payouts` (one payout per earner).
@Suite struct NothingLostCommandTests {
  static func write(_ bytes: [UInt8], in directory: String, _ name: String) throws -> String {
    let path = directory + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  static func rows(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var fields: [String] = []
    var field = ""
    var isQuoted = false
    var scalars = Array(text.unicodeScalars)[...]
    while let scalar = scalars.popFirst() {
      if isQuoted {
        if scalar == "\"" && scalars.first == "\"" {
          field.unicodeScalars.append(scalar)
          scalars.removeFirst()
        } else if scalar == "\"" {
          isQuoted = false
        } else {
          field.unicodeScalars.append(scalar)
        }
      } else if scalar == "\"" {
        isQuoted = true
      } else if scalar == "," {
        fields.append(field)
        field = ""
      } else if scalar == "\n" {
        rows.append(fields + [field])
        fields = []
        field = ""
      } else {
        field.unicodeScalars.append(scalar)
      }
    }
    return rows
  }

  // MARK: settle convert --batch

  @Test("convert --batch writes one row per input row: converted, or its error naming the line")
  func batchConversion() throws {
    let directory = try CommissionsCommandTests.temporaryDirectory()
    var input = Array("\u{FEFF}amount,from,to,date\r\n".utf8)
    let rows: [(text: [UInt8], error: String?)] = [
      (Array("123.45,USD,JPY,2026-10-04\r\n".utf8), nil),
      (Array("\n".utf8), "line 3: expected 4 fields, found 1"),
      (Array("1,USD,EUR,2026-10-30,extra\n".utf8), "line 4: expected 4 fields, found 5"),
      (Array("1,\"USD\"x,EUR,2026-10-30\n".utf8), "PATH:5: characters after a closing quote"),
      (Array("1,U\"SD,EUR,2026-10-30\n".utf8), "PATH:6: a quote inside an unquoted field"),
      (Array("1,USD,EUR,2026-10-30".utf8) + [0] + Array("\n".utf8), "line 7: \"2026-10-30\u{0}\" is not a day"),
      (Array("1,US".utf8) + [0xFF] + Array(",EUR,2026-10-30\n".utf8), "line 8: currency"),
      (
        Array(("1," + String(repeating: "x", count: 1 << 20) + ",EUR,2026-10-30\n").utf8),
        "PATH:9: longer than 1048576 bytes"
      ),
      (Array("\"1\n0\",USD,JPY,2026-10-04\n".utf8), "line 10: amount"),
      (Array("100,EUR,USD,2026-10-30\n".utf8), nil),
      (Array("1,\"USD,EUR,2026-10-30\n".utf8), "PATH:13: a quoted field is not closed before the end of the file"),
      (Array("2,EUR,USD,2026-10-30".utf8), nil),
    ]
    for row in rows { input += row.text }
    let path = try Self.write(input, in: directory, "batch.csv")
    let result = try SettleProcess.run(["convert", "--batch", path])
    #expect(result.status == 1)
    let output = Self.rows(result.standardOutput)
    #expect(output.first == ["amount", "from", "to", "date", "result", "rate_date", "error"])
    #expect(output.count == rows.count + 1)
    for (row, written) in zip(rows, output.dropFirst()) {
      // The input's fields (four, or as many as the row has), then result, rate_date and error.
      #expect(written.count >= 7, "\(written)")
      if let error = row.error {
        let expected = error.replacingOccurrences(of: "PATH", with: path)
        #expect(written.last?.hasPrefix(expected) == true, "\(written.last ?? "") should begin \(expected)")
      } else {
        #expect(written.last == "", "\(written)")
      }
    }
    #expect(output[1][4] == "19465")
    #expect(output[10][4] == "111.72")
    #expect(output[12][4] == "2.23")
    #expect(
      result.standardError
        == "settle: \(rows.filter { $0.error != nil }.count) rows of \(path) could not be converted; see the error column\n"
    )
  }

  // MARK: settle commissions

  /// A hostile orders file: good rows among malformed, short, long, empty, duplicate, non-UTF-8 and NUL-holding ones.
  static func hostileOrders() -> [UInt8] {
    func order(
      _ id: String, affiliate: String = "A1", amount: String = "100.00", orderedAt: String = "2026-10-02T12:00:00Z"
    )
      -> String
    {
      "\(id),\(affiliate),2026-10-01T10:00:00Z,\(orderedAt),completed,US,new,electronics,\(amount),USD"
    }
    var bytes = Array(
      "\u{FEFF}order_id,affiliate_id,clicked_at,ordered_at,status,buyer_country,buyer_type,category,amount,currency\r\n"
        .utf8)
    for line in [
      order("G1") + "\r\n", "\n", order("G2", amount: "\"12,50\"") + "\n", order("G1") + "\n",
      order("G3", orderedAt: "2026-10-32T00:00:00Z") + "\n", order("G\"4") + "\n", order("G5") + ",extra\n",
      order("G6", amount: "") + "\n", order("G7", affiliate: "A2") + "\n",
      order("G8", amount: String(repeating: "9", count: 1 << 20)) + "\n",
    ] {
      bytes += Array(line.utf8)
    }
    bytes += Array("N1".utf8) + [0] + Array(order("", affiliate: "A3").utf8) + [10]
    bytes += Array(order("U1", affiliate: "A\u{FF}").utf8.map { $0 == 0xC3 ? 0xFF : $0 }.filter { $0 != 0xBF }) + [10]
    bytes += Array(order("G9").utf8)
    return bytes
  }

  @Test("commissions accounts for every row once, the same from a file and from standard input")
  func commissionsFromFileAndStandardInput() throws {
    let directory = try CommissionsCommandTests.temporaryDirectory()
    let orders = Self.hostileOrders()
    let path = try Self.write(orders, in: directory, "orders.csv")
    let fromFile = try SettleProcess.run([
      "commissions", "--orders", path, "--period", "2026-10", "--out", directory + "/file", "--no-ledger",
    ])
    #expect(fromFile.status == 0, "\(fromFile.standardError)")
    #expect(
      fromFile.standardOutput.hasPrefix(
        "settled 2026-10 under Alibaba.com Affiliate Program: 13 rows — 3 qualified, 0 not qualified, 0 out of period, 10 rejected"
      ))
    let audit = Self.rows(try CommissionsCommandTests.text(directory + "/file/orders.csv"))
    #expect(
      audit.dropFirst().map { "\($0[0]) \($0[3]) \($0[4].prefix { $0 != ":" })" } == [
        "2 qualified ", "3 rejected wrong_field_count", "4 rejected bad_amount", "5 rejected duplicate_order_id",
        "6 rejected bad_timestamp", "7 rejected malformed_csv", "8 rejected wrong_field_count",
        "9 rejected missing_value", "10 qualified ", "11 rejected malformed_csv", "12 rejected malformed_csv",
        "13 rejected malformed_csv", "14 qualified ",
      ])
    // Standard input gets the file's bytes themselves (SettleProcess would pass them as text).
    let process = Process()
    process.executableURL = URL(fileURLWithPath: SettleProcess.executable)
    process.arguments = [
      "commissions", "--orders", "-", "--period", "2026-10", "--out", directory + "/stdin", "--no-ledger",
    ]
    process.currentDirectoryURL = URL(fileURLWithPath: SettleProcess.repositoryRoot)
    process.standardInput = FileHandle(forReadingAtPath: path)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    for name in ["orders.csv", "commissions.csv"] {
      #expect(
        try CommissionsCommandTests.data(directory + "/stdin/" + name)
          == CommissionsCommandTests.data(directory + "/file/" + name), "\(name)")
    }
    #expect(
      try CommissionsCommandTests.text(directory + "/file/commissions.csv") == """
        affiliate_id,market,orders,sales,commission,currency
        A1,US,2,200.00,20.00,USD
        A2,US,1,100.00,10.00,USD

        """)
  }

  // MARK: settle payouts

  @Test("payouts pays or holds every earner once, rejects rows that name no one, and reconciles")
  func payouts() throws {
    let directory = try CommissionsCommandTests.temporaryDirectory()
    let header =
      "affiliate_id,name,email,country,payout_method,payout_currency,payoneer_payee_id,iban,bic,account_number,routing_code,address_line,city,postal_code"
    var affiliates = Array("\u{FEFF}\(header)\r\n".utf8)
    affiliates += Array("A1,Alba,,US,payoneer,USD,PY-1,,,,,,,\r\n".utf8)
    affiliates += Array("\n".utf8)
    // Not well-formed CSV: it names no affiliate (it is listed in the manifest); A2's next row pays it.
    affiliates += Array("A2,\"Bad\"x,,US,payoneer,USD,PY-2,,,,,,,\n".utf8)
    affiliates += Array("A2,Second,,US,payoneer,USD,PY-2,,,,,,,\n".utf8)
    affiliates += Array("A3,Nul".utf8) + [0] + Array(",,US,payoneer,USD,PY-3,,,,,,,\n".utf8)
    affiliates += Array("A4,Four,,US,payoneer,USD,PY-4,,,,,,,".utf8)
    let affiliatesPath = try Self.write(affiliates, in: directory, "affiliates.csv")
    let orders = ["A1", "A2", "A3", "A4", "A5"].enumerated().map { index, affiliate in
      "O\(index),\(affiliate),2026-10-01T10:00:00Z,2026-10-02T12:00:00Z,completed,US,new,electronics,100.00,USD"
    }
    let ordersPath = try Self.write(
      Array(
        ("order_id,affiliate_id,clicked_at,ordered_at,status,buyer_country,buyer_type,category,amount,currency\n"
          + orders.joined(separator: "\n") + "\n").utf8), in: directory, "orders.csv")
    let out = directory + "/out"
    let result = try SettleProcess.run([
      "payouts", "--orders", ordersPath, "--affiliates", affiliatesPath, "--payer", "samples/payer.yaml",
      "--period", "2026-10", "--created-at", "2026-11-02T09:00:00Z", "--out", out, "--no-ledger",
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let report = Self.rows(try CommissionsCommandTests.text(out + "/payouts.csv"))
    #expect(
      report.dropFirst().map { "\($0[0]) \($0[7]) \($0[8].prefix { $0 != ":" })" } == [
        "A1 ready ", "A2 ready ", "A3 held malformed_row", "A4 ready ", "A5 held unknown_affiliate",
      ])
    let manifest = try CommissionsCommandTests.text(out + "/manifest.json")
    #expect(manifest.contains("\"rows\": 6"))
    #expect(manifest.contains("\"reconciled\": true"))
    #expect(manifest.contains("affiliate_id is empty"))
  }
}

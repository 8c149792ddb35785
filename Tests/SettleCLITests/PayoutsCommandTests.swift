import Foundation
import Testing

/// `settle payouts`, run as a user would from the repository root, on the bundled samples.
@Suite struct PayoutsCommandTests {
  static let schemas = SettleProcess.repositoryRoot + "/../shared/schemas"

  /// A generated month of orders for AFF0001…AFF3000, the ids of `samples/affiliates.csv`.
  static func generatedOrders(in directory: String) throws -> String {
    let generated = try SettleProcess.run([
      "generate", "orders", "--count", "20000", "--seed", "7", "--period", "2026-10",
    ])
    #expect(generated.status == 0)
    let path = directory + "/orders.csv"
    try Data(generated.standardOutput.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  static func batch(orders: String, out: String, extra: [String] = []) throws -> SettleProcess.Result {
    try SettleProcess.run(
      [
        "payouts", "--orders", orders, "--affiliates", "samples/affiliates.csv", "--payer", "samples/payer.yaml",
        "--period", "2026-10", "--created-at", "2026-11-02T09:00:00Z", "--out", out,
      ] + extra)
  }

  /// The run keeps only the rates its days need: a rate day far outside the period is one of them.
  @Test func aRateDayOutsideThePeriodIsRead() throws {
    let directory = try CommissionsCommandTests.temporaryDirectory()
    let orders = try PayoutsCommandTests.generatedOrders(in: directory)
    let out = directory + "/out"
    let batch = try PayoutsCommandTests.batch(orders: orders, out: out, extra: ["--rate-date", "2024-03-28"])
    #expect(batch.status == 0, "\(batch.standardError)")
    #expect(try CommissionsCommandTests.text(out + "/manifest.json").contains("\"rate_date\": \"2024-03-28\""))
    // A day the history cannot answer for is named, as before.
    let late = try PayoutsCommandTests.batch(orders: orders, out: out, extra: ["--rate-date", "2031-01-06"])
    #expect(late.status != 0)
    #expect(late.standardError.contains("2031-01-06"), "\(late.standardError)")
  }

  @Test func theSampleBatchWritesEveryFormatAndTheSameBytesTwice() throws {
    let directory = try CommissionsCommandTests.temporaryDirectory()
    let orders = try PayoutsCommandTests.generatedOrders(in: directory)
    let out = directory + "/out"
    let first = try PayoutsCommandTests.batch(orders: orders, out: out)
    #expect(first.status == 0, "\(first.standardError)")
    #expect(first.standardOutput.contains("batch ST202610-"))
    #expect(first.standardError.contains("payouts held: see \(out)/payouts.csv"))
    let names = CommissionsCommandTests.contents(out)
    for name in ["payoneer-001.json", "wise-001.csv", "wire.xml", "payouts.csv", "manifest.json", "commissions.csv"] {
      #expect(names.contains(name), "\(name) in \(names)")
    }
    let before = try names.map { try CommissionsCommandTests.data(out + "/" + $0) }
    let second = try PayoutsCommandTests.batch(orders: orders, out: out)
    #expect(second.status == 0)
    #expect(try names.map { try CommissionsCommandTests.data(out + "/" + $0) } == before)
    let report = try CommissionsCommandTests.text(out + "/payouts.csv")
    for reason in [
      "unknown_affiliate", "invalid_details", "formula_text", "missing_details", "duplicate_affiliate",
      "unsupported_currency",
    ] {
      // The reason is quoted when its detail quotes a value.
      #expect(
        report.contains(",held,\(reason):") || report.contains(",held,\"\(reason):"), "a payout held for \(reason)")
    }
    let manifest = try CommissionsCommandTests.text(out + "/manifest.json")
    #expect(manifest.contains("\"reconciled\": true"))

    let valid = try SettleProcess.run([
      "payouts", "validate", out + "/wire.xml", "--schema", PayoutsCommandTests.schemas + "/pain.001.001.09.xsd",
    ])
    #expect(valid.status == 0)
    #expect(
      valid.standardOutput == "\(out)/wire.xml: valid against \(PayoutsCommandTests.schemas)/pain.001.001.09.xsd\n")
  }

  @Test func validateListsEachViolationWithItsLine() throws {
    let directory = try CommissionsCommandTests.temporaryDirectory()
    let broken = """
      <?xml version="1.0" encoding="UTF-8"?>
      <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">
        <CstmrCdtTrfInitn>
          <Nothing/>
        </CstmrCdtTrfInitn>
      </Document>

      """
    try Data(broken.utf8).write(to: URL(fileURLWithPath: directory + "/wire.xml"))
    let result = try SettleProcess.run(
      [
        "payouts", "validate", directory + "/wire.xml", "--schema",
        PayoutsCommandTests.schemas + "/pain.001.001.09.xsd",
      ])
    #expect(result.status == 1)
    #expect(result.standardError.contains("\(directory)/wire.xml:4: "))
    #expect(
      result.standardError.hasSuffix("schema violations against \(PayoutsCommandTests.schemas)/pain.001.001.09.xsd\n"))
  }

  @Test func anInvalidPayerFileStopsTheRunBeforeAnythingIsWritten() throws {
    let directory = try CommissionsCommandTests.temporaryDirectory()
    try Data("name: Payer\niban: NL91ABNA0417164301\nbic: ABNANL2A\ncountry: NL\ncurrency: USD\n".utf8)
      .write(to: URL(fileURLWithPath: directory + "/payer.yaml"))
    let result = try SettleProcess.run(
      [
        "payouts", "--orders", CommissionsCommandTests.goldenOrders, "--affiliates", "samples/affiliates.csv",
        "--payer", directory + "/payer.yaml", "--period", "2026-10", "--out", directory + "/out",
      ])
    #expect(result.status == 1)
    #expect(result.standardError.hasPrefix("settle: \(directory)/payer.yaml:2: iban: IBAN \"NL91ABNA0417164301\""))
    #expect(CommissionsCommandTests.contents(directory + "/out").isEmpty)
  }

  @Test func anUnknownWireFormatIsRefused() throws {
    let directory = try CommissionsCommandTests.temporaryDirectory()
    let result = try PayoutsCommandTests.batch(
      orders: CommissionsCommandTests.goldenOrders, out: directory + "/out",
      extra: ["--wire-format", "pain.001.001.02"])
    #expect(result.status != 0)
    #expect(result.standardError.contains("pain.001.001.02"))
  }
}

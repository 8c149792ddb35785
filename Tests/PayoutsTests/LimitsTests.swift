import Commissions
import Dates
import Files
import Foundation
import Money
@testable import Payouts
import Testing

/// The limits of what a payout run reads, each exactly at the limit (read) and one past it
/// (refused naming the file, line, field and value, or the row held, as the limit says): rows and
/// bytes of the affiliates file, payouts per batch, identifiers, the payer file.
@Suite struct PayoutsLimitsTests {
  static func affiliatesFile(rows: Int) throws -> String {
    let directory = try PayoutFixtures.temporaryDirectory()
    let path = directory + "/affiliates.csv"
    try PayoutFixtures.write(PayoutFixtures.affiliates((1...rows).map { PayoutFixtures.payoneer("P\($0)") }), to: path)
    return path
  }

  static let usd: Currency = {
    do { return try Currency(code: "USD") } catch { preconditionFailure("USD is a currency") }
  }()

  // MARK: Affiliate rows

  @Test("an affiliates file of exactly rowsMax rows is read; one row more is refused naming its line")
  func rows() throws {
    let path = try Self.affiliatesFile(rows: 4)
    let read = try AffiliatesFile.load(path: path, settlementCurrency: Self.usd, fileBytesMax: 1 << 20, rowsMax: 4)
    #expect(read.rowCount == 4)
    #expect(read.entries.count == 4)
    let error = #expect(throws: PayoutsError.self) {
      try AffiliatesFile.load(path: path, settlementCurrency: Self.usd, fileBytesMax: 1 << 20, rowsMax: 3)
    }
    #expect(error?.description == "\(path):5: more than 3 affiliate rows; a batch reads at most 3")
  }

  @Test("rows that are not well-formed CSV count toward rowsMax too")
  func malformedRowsCount() throws {
    let directory = try PayoutFixtures.temporaryDirectory()
    let path = directory + "/affiliates.csv"
    try PayoutFixtures.write(PayoutFixtures.affiliatesHeader + "\nP\"1\nP\"2\nP\"3\n", to: path)
    let read = try AffiliatesFile.load(path: path, settlementCurrency: Self.usd, fileBytesMax: 1 << 20, rowsMax: 3)
    #expect(read.rejectedRows.map(\.line) == [2, 3, 4])
    let error = #expect(throws: PayoutsError.self) {
      try AffiliatesFile.load(path: path, settlementCurrency: Self.usd, fileBytesMax: 1 << 20, rowsMax: 2)
    }
    #expect(error?.description == "\(path):4: more than 2 affiliate rows; a batch reads at most 2")
  }

  @Test("the default limits: a million rows, 512 MiB")
  func defaults() {
    #expect(AffiliatesFile.rowsMax == 1_000_000)
    #expect(AffiliatesFile.fileBytesMax == 536_870_912)
  }

  // MARK: Affiliates file size

  @Test("an affiliates file of exactly fileBytesMax bytes is read; one byte more is refused before any row")
  func fileSize() throws {
    let path = try Self.affiliatesFile(rows: 2)
    let size = try PayoutFixtures.bytes(path).count
    let read = try AffiliatesFile.load(path: path, settlementCurrency: Self.usd, fileBytesMax: size, rowsMax: 2)
    #expect(read.rowCount == 2)
    let error = #expect(throws: FileError.self) {
      try AffiliatesFile.load(path: path, settlementCurrency: Self.usd, fileBytesMax: size - 1, rowsMax: 2)
    }
    #expect(error?.description == "\(path): cannot read: is \(size) bytes, more than the limit of \(size - 1) bytes")
  }

  @Test("a header that is not well-formed CSV stops the read naming line 1")
  func malformedHeader() throws {
    let directory = try PayoutFixtures.temporaryDirectory()
    let path = directory + "/affiliates.csv"
    try PayoutFixtures.write("affiliate_id,\"payout_method\"x\nP1,payoneer\n", to: path)
    let error = #expect(throws: PayoutsError.self) {
      try AffiliatesFile.load(path: path, settlementCurrency: Self.usd)
    }
    #expect(
      error?.description == "\(path):1: the header row is not well-formed CSV: characters after a closing quote")
  }

  // MARK: Identifiers

  @Test("a payee id of exactly identifierBytesMax bytes is paid; one byte more holds the payout naming the field")
  func identifierBytes() throws {
    let atLimit = String(repeating: "p", count: AffiliatesFile.identifierBytesMax)
    let run = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders([("P1", "100.00"), ("P2", "100.00")]),
      affiliates: PayoutFixtures.affiliates([
        PayoutFixtures.payoneer("P1", payee: atLimit), PayoutFixtures.payoneer("P2", payee: atLimit + "p"),
      ]))
    #expect(run.payout("P1")?.isReady == true)
    #expect(
      run.payout("P2")?.holdReason?.description
        == "invalid_details: \(run.directory)/affiliates.csv:3: payoneer_payee_id: longer than 64 bytes")
  }

  // MARK: Payouts per batch

  @Test("a batch of exactly payoutsMax payouts is made; one more is refused naming both counts")
  func payoutsPerBatch() throws {
    let run = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders([("P1", "100.00"), ("P2", "100.00"), ("P3", "100.00")]),
      affiliates: PayoutFixtures.affiliates([PayoutFixtures.payoneer("P1"), PayoutFixtures.payoneer("P2")]))
    let affiliates = try AffiliatesFile.load(path: run.directory + "/affiliates.csv", settlementCurrency: Self.usd)
    let options = PayoutBatch.Options.defaults(
      for: try Month("2026-10"), createdAt: try Timestamp("2026-11-02T09:00:00Z"), wireFormat: .pain00100109)
    func batch(payoutsMax: Int) throws -> PayoutBatch {
      try PayoutBatch(
        settlement: run.summary, affiliates: affiliates, payer: try PayoutFixtures.payer(),
        rates: try PayoutFixtures.rates(), options: options, carried: [:], adjustments: [], payoutsMax: payoutsMax)
    }
    #expect(try batch(payoutsMax: 3).payouts.count == 3)
    let error = #expect(throws: PayoutsError.self) { try batch(payoutsMax: 2) }
    #expect(error?.description == "3 affiliates are owed money; a batch holds at most 2")
    #expect(PayoutBatch.payoutsMax == 1_000_000)
  }

  // MARK: Largest payout

  @Test("a payout of exactly payoutMajorUnitsMax is paid; a cent more is held naming the amount and the limit")
  func largestPayout() throws {
    // 10 % of the order: exactly a trillion dollars, and a cent more.
    let run = try PayoutFixtures.batch(
      orders: PayoutFixtures.orders([("P1", "10000000000000.00"), ("P2", "10000000000000.10")]),
      affiliates: PayoutFixtures.affiliates([
        PayoutFixtures.payoneer("P1", currency: "USD"), PayoutFixtures.payoneer("P2", currency: "USD"),
      ]))
    #expect(PayoutBatch.payoutMajorUnitsMax == 1_000_000_000_000)
    #expect(run.payout("P1")?.isReady == true)
    #expect(run.payout("P1")?.payoutAmount?.amountText == "1000000000000.00")
    #expect(
      run.payout("P2")?.holdReason?.description
        == "above_maximum: 1000000000000.01 USD is more than the 1000000000000 USD one payout may be")
    #expect(run.batch.readyTotal + run.batch.heldTotal == run.summary.totalCommission)
  }

  @Test("a wire payout past the limit is held, and the other wires are still written and valid")
  func hugeWireDoesNotStopTheBatch() throws {
    // Two orders of nearly the largest amount in each of six markets: 11,999,999,999,999,999.88
    // dollars of commission, more digits than pain.001 takes; before the limit no wire was written.
    var orders: [(affiliate: String, amount: String)] = []
    for _ in 0..<12 { orders.append(("R1", "9999999999999999.91")) }
    var text = PayoutFixtures.orders(orders + [("R2", "100.00")])
    for (index, country) in ["US", "US", "CA", "CA", "MX", "MX", "GB", "GB", "DE", "DE", "FR", "FR"].enumerated() {
      text = text.replacingOccurrences(
        of: "O\(index + 1),R1,2026-10-01T10:00:00Z,2026-10-02T12:00:00Z,completed,US,",
        with: "O\(index + 1),R1,2026-10-01T10:00:00Z,2026-10-02T12:00:00Z,completed,\(country),")
    }
    let run = try PayoutFixtures.batch(
      orders: text,
      affiliates: PayoutFixtures.affiliates([
        PayoutFixtures.wire("R1", currency: "USD"), PayoutFixtures.wire("R2", currency: "USD"),
      ]))
    #expect(run.payout("R1")?.holdReason?.code == .aboveMaximum)
    #expect(run.payout("R1")?.settlementAmount.amountText == "11999999999999999.88")
    #expect(run.payout("R2")?.isReady == true)
    #expect(try run.outputNames().contains("wire.xml"))
  }

  // MARK: Payer file

  @Test("a payer file of exactly fileBytesMax bytes is read; one byte more is refused naming the file")
  func payerFileSize() throws {
    let directory = try PayoutFixtures.temporaryDirectory()
    let padding = Payer.fileBytesMax - PayoutFixtures.payerYAML.utf8.count - 3
    let atLimit = PayoutFixtures.payerYAML + "\n#" + String(repeating: "x", count: padding) + "\n"
    #expect(atLimit.utf8.count == Payer.fileBytesMax)
    try PayoutFixtures.write(atLimit, to: directory + "/payer.yaml")
    #expect(try Payer.load(path: directory + "/payer.yaml").name == "Settle Test Treasury B.V.")
    try PayoutFixtures.write(atLimit + "\n", to: directory + "/payer.yaml")
    let error = #expect(throws: FileError.self) { try Payer.load(path: directory + "/payer.yaml") }
    #expect(error?.description == "\(directory)/payer.yaml: cannot read: larger than the limit of 65536 bytes")
  }

  @Test("a payer name of exactly nameCharactersMax characters is read; one more is refused naming line and key")
  func payerName() throws {
    func yaml(name: String) -> [UInt8] {
      Array(PayoutFixtures.payerYAML.replacingOccurrences(of: "Settle Test Treasury B.V.", with: name).utf8)
    }
    let atLimit = String(repeating: "é", count: Payer.nameCharactersMax)
    #expect(try Payer.parse(yaml(name: atLimit), source: "payer.yaml").name == atLimit)
    let error = #expect(throws: PayoutsError.self) {
      try Payer.parse(yaml(name: atLimit + "é"), source: "payer.yaml")
    }
    #expect(error?.description == "payer.yaml:1: name: longer than 140 characters")
  }
}

import Commissions
import Dates
import Digest
import Files
import Foundation
import Money
import Rates
import TestScratch

/// The repository's files, the real rates store, and period settlements run into temporary directories.
enum SettlementFixtures {
  static let repositoryRoot: String = {
    var path = #filePath
    for _ in 0..<4 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
    return path
  }()
  static let goldenDirectory = repositoryRoot + "/Tests/CommissionsTests/Golden"
  static let ratesDirectory = repositoryRoot + "/rates"
  static let ratesPath = ratesDirectory + "/eurofxref-hist.xml"

  /// The real rates store, read once for all tests.
  private static let loadedRates = Result<RateTable, any Error> { try RatesStore(directory: ratesDirectory).load() }
  static func rates() throws -> RateTable { try loadedRates.get() }

  /// SHA-256 of the rates store, as `settle commissions` records it.
  private static let loadedRatesSHA256 = Result<String, any Error> {
    SHA256.hexDigest(of: try FileReader.readAll(path: ratesPath, bytesMax: RatesStore.storeBytesMax))
  }
  static func ratesSHA256() throws -> String { try loadedRatesSHA256.get() }

  static func month(_ text: String) throws -> Month { try Month(text) }

  /// The default program with one tier: a bonus of 1 percentage point above `threshold` of sales.
  static func tieredProgram(salesAbove threshold: String = "150.00") throws -> Program {
    let text =
      String(decoding: try bytes(repositoryRoot + "/programs/alibaba.yaml"), as: UTF8.self)
      + "tiers:\n  - sales_above: \(threshold)\n    bonus_percentage_points: 1\n"
    return try Program.parse(Array(text.utf8), source: "tiered.yaml")
  }

  static func bytes(_ path: String) throws -> [UInt8] { try FileReader.readAll(path: path, bytesMax: 64 << 20) }
  static func text(_ path: String) throws -> String { String(decoding: try bytes(path), as: UTF8.self) }

  /// A fresh temporary directory.
  static func temporaryDirectory() throws -> String { try TestScratch.folder("commissions") }

  /// The names in a directory, hidden ones included, sorted.
  static func contents(of directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
  }

  static func write(_ text: String, to path: String) throws {
    try AtomicFile.write(Array(text.utf8), to: path)
  }

  /// The options `settle commissions` would pass, with the default program's file name.
  static func options(
    orders: String, out: String, strict: Bool = false, programSource: String = "programs/alibaba.yaml"
  )
    throws -> PeriodSettlement.RunOptions
  {
    PeriodSettlement.RunOptions(
      ordersPath: orders, outputDirectory: out, strict: strict, programSource: programSource,
      ratesSource: "rates/eurofxref-hist.xml", ratesSHA256: try ratesSHA256())
  }

  /// Settles the orders file at `ordersPath` into `out/` of `directory`, or of a fresh one.
  static func settle(
    path ordersPath: String, period: String = "2026-10", program: Program = .alibaba, strict: Bool = false,
    directory: String? = nil
  ) throws -> SettledRun {
    let out = try (directory ?? temporaryDirectory()) + "/out"
    let settlement = PeriodSettlement(program: program, rates: try rates(), period: try month(period))
    let summary = try settlement.run(try options(orders: ordersPath, out: out, strict: strict))
    return SettledRun(
      outputDirectory: out, summary: summary, commissionsCSV: try text(out + "/commissions.csv"),
      auditCSV: try text(out + "/orders.csv"), summaryJSON: try text(out + "/summary.json"))
  }

  /// Writes `orders` (a whole CSV file) to `orders.csv` in a fresh directory and settles it into its `out/`.
  static func settle(
    _ orders: String, period: String = "2026-10", program: Program = .alibaba, strict: Bool = false
  ) throws -> SettledRun {
    let directory = try temporaryDirectory()
    try write(orders, to: directory + "/orders.csv")
    return try settle(
      path: directory + "/orders.csv", period: period, program: program, strict: strict, directory: directory)
  }

  static func settle(
    _ orders: [Order], period: String = "2026-10", program: Program = .alibaba, strict: Bool = false
  ) throws -> SettledRun {
    try settle(Order.file(orders), period: period, program: program, strict: strict)
  }

  /// The audit line of a single order settled alone (its input line is 2).
  static func auditLine(of order: Order, period: String = "2026-10", program: Program = .alibaba) throws -> String {
    let run = try settle([order], period: period, program: program)
    return run.auditRows.first ?? ""
  }
}

/// What one run wrote.
struct SettledRun {
  let outputDirectory: String
  let summary: SettlementSummary
  let commissionsCSV: String
  let auditCSV: String
  let summaryJSON: String

  /// The audit's lines after its header.
  var auditRows: [String] {
    Array(auditCSV.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast().map(String.init))
  }

  /// `commissions.csv`'s lines after its header.
  var commissionRows: [String] {
    Array(
      commissionsCSV.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast().map(String.init))
  }
}

/// One row of an orders file, valid and qualifying by default: a new US buyer, 100.00 USD on
/// Friday 2026-10-02, clicked the day before.
struct Order {
  static let header =
    "order_id,affiliate_id,clicked_at,ordered_at,status,buyer_country,buyer_type,category,amount,currency"

  var orderID = "O1"
  var affiliateID = "A1"
  var clickedAt = "2026-10-01T10:00:00Z"
  var orderedAt = "2026-10-02T12:00:00Z"
  var status = "completed"
  var buyerCountry = "US"
  var buyerType = "new"
  var category = "electronics"
  var amount = "100.00"
  var currency = "USD"

  /// The fields as written, in the header's order; a field that needs quotes must carry them.
  var line: String {
    [orderID, affiliateID, clickedAt, orderedAt, status, buyerCountry, buyerType, category, amount, currency]
      .joined(separator: ",")
  }

  static func file(_ orders: [Order]) -> String {
    ([header] + orders.map(\.line)).joined(separator: "\n") + "\n"
  }

  /// A copy with some fields changed.
  func with(_ change: (inout Order) -> Void) -> Order {
    var copy = self
    change(&copy)
    return copy
  }
}

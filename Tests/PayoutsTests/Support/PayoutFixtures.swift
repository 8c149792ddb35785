import BankDetails
import Commissions
import Dates
import Digest
import Files
import Foundation
import Money
import Payouts
import Rates
import TestScratch

/// The repository's files, the real rates store, and payout batches made in temporary directories.
enum PayoutFixtures {
  static let repositoryRoot: String = {
    var path = #filePath
    for _ in 0..<4 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
    return path
  }()
  static let schemasDirectory = repositoryRoot + "/../shared/schemas"

  private static let loadedRates = Result<RateTable, any Error> {
    try RatesStore(directory: repositoryRoot + "/rates").load()
  }
  static func rates() throws -> RateTable { try loadedRates.get() }

  static func temporaryDirectory() throws -> String { try TestScratch.folder("payouts") }

  static func write(_ text: String, to path: String) throws { try AtomicFile.write(Array(text.utf8), to: path) }
  static func bytes(_ path: String) throws -> [UInt8] { try FileReader.readAll(path: path, bytesMax: 64 << 20) }
  static func text(_ path: String) throws -> String { String(decoding: try bytes(path), as: UTF8.self) }

  /// Minor units as decimal text with `digits` fraction digits: `12345, 2` → `123.45`.
  static func decimal(_ minorUnits: Int128, digits: Int) -> String {
    var text = String(minorUnits)
    guard digits > 0 else { return text }
    if text.count <= digits { text = String(repeating: "0", count: digits + 1 - text.count) + text }
    text.insert(".", at: text.index(text.endIndex, offsetBy: -digits))
    return text
  }

  static let payerYAML = """
    name: Settle Test Treasury B.V.
    iban: NL91ABNA0417164300
    bic: ABNANL2A
    country: NL
    currency: USD
    """

  static func payer() throws -> Payer { try Payer.parse(Array(payerYAML.utf8), source: "payer.yaml") }

  /// One qualifying order per (affiliate, amount in USD), all on Friday 2026-10-02: a new US
  /// buyer, so the commission is exactly 10 % of the amount.
  static func orders(_ rows: [(affiliate: String, amount: String)]) -> String {
    var lines = ["order_id,affiliate_id,clicked_at,ordered_at,status,buyer_country,buyer_type,category,amount,currency"]
    for (index, row) in rows.enumerated() {
      lines.append(
        "O\(index + 1),\(row.affiliate),2026-10-01T10:00:00Z,2026-10-02T12:00:00Z,completed,US,new,electronics,\(row.amount),USD"
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static let affiliatesHeader = AffiliatesFile.columns.joined(separator: ",")

  /// An affiliates file from rows given as column → value (other columns empty).
  static func affiliates(_ rows: [[String: String]]) -> String {
    var lines = [affiliatesHeader]
    for row in rows {
      lines.append(AffiliatesFile.columns.map { csvField(row[$0] ?? "") }.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func csvField(_ value: String) -> String {
    value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
      ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
  }

  static func payoneer(_ id: String, currency: String = "USD", payee: String? = nil) -> [String: String] {
    [
      "affiliate_id": id, "name": "Payee \(id)", "country": "US", "payout_method": "payoneer",
      "payout_currency": currency, "payoneer_payee_id": payee ?? "PY-\(id)",
    ]
  }

  static func wiseEmail(_ id: String, currency: String = "AUD") -> [String: String] {
    [
      "affiliate_id": id, "name": "Wise \(id)", "email": "\(id.lowercased())@example.com", "country": "AU",
      "payout_method": "wise", "payout_currency": currency,
    ]
  }

  static func wire(_ id: String, name: String? = nil, iban: String = "DE89370400440532013000", currency: String = "EUR")
    -> [String: String]
  {
    [
      "affiliate_id": id, "name": name ?? "Wire \(id)", "country": "DE", "payout_method": "wire",
      "payout_currency": currency, "iban": iban, "bic": "DEUTDEFF", "address_line": "Taunusanlage 12",
      "city": "Frankfurt am Main", "postal_code": "60325",
    ]
  }

  /// A settled October 2026 and its batch, made in a fresh directory whose `out/` holds every file.
  static func batch(
    orders: String, affiliates: String, program: Program = .alibaba, createdAt: String = "2026-11-02T09:00:00Z",
    wireFormat: WireFormat = .pain00100109, directory: String? = nil, carried: [String: Int64] = [:],
    adjustments: [Adjustment] = []
  ) throws -> BatchRun {
    let directory = try directory ?? temporaryDirectory()
    try write(orders, to: directory + "/orders.csv")
    try write(affiliates, to: directory + "/affiliates.csv")
    let out = directory + "/out"
    let period = try Month("2026-10")
    let settlement = PeriodSettlement(program: program, rates: try rates(), period: period)
    let summary = try settlement.run(
      PeriodSettlement.RunOptions(
        ordersPath: directory + "/orders.csv", outputDirectory: out, strict: false, programSource: "test",
        ratesSource: "rates/eurofxref-hist.xml", ratesSHA256: "test"))
    let affiliatesFile = try AffiliatesFile.load(
      path: directory + "/affiliates.csv", settlementCurrency: program.settlementCurrency)
    let options = PayoutBatch.Options.defaults(for: period, createdAt: try Timestamp(createdAt), wireFormat: wireFormat)
    let batch = try PayoutBatch(
      settlement: summary, affiliates: affiliatesFile, payer: try payer(), rates: try rates(), options: options,
      carried: carried, adjustments: adjustments)
    let files = try PayoutFiles(
      batch: batch,
      sources: ManifestSources(
        ordersPath: "orders.csv", programSource: "test", ratesSource: "rates/eurofxref-hist.xml", ratesSHA256: "test",
        affiliates: affiliatesFile, payerPath: "payer.yaml"))
    try files.write(to: out)
    return BatchRun(directory: directory, out: out, summary: summary, batch: batch, files: files)
  }
}

/// What one batch run made.
struct BatchRun {
  let directory: String
  let out: String
  let summary: SettlementSummary
  let batch: PayoutBatch
  let files: PayoutFiles

  func payout(_ affiliateID: String) -> Payout? { batch.payouts.first { $0.affiliateID == affiliateID } }
  func text(_ name: String) throws -> String { try PayoutFixtures.text(out + "/" + name) }

  /// `payouts.csv`'s rows after the header, split into fields (no field in these tests holds a comma).
  func reportRows() throws -> [[String]] {
    try text("payouts.csv").split(separator: "\n").dropFirst().map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
  }

  /// The names of the files in `out/`, sorted.
  func outputNames() throws -> [String] { try FileReader.names(inDirectory: out) }
}

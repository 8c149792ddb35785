import Dates
import Files
public import Payouts
public import Rates
import TestScratch

/// What the ledger, preview and server tests need to settle and pay months as `settle payouts`
/// does: the repository's rates store, scratch folders, orders and affiliates files, and a payer.
public enum TreasuryInputs {
  public static let repositoryRoot: String = {
    var path = #filePath
    for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
    return path
  }()

  private static let loadedRates = Result<RateTable, any Error> {
    try RatesStore(directory: repositoryRoot + "/rates").load()
  }
  /// The repository's rates store, loaded once: what the settlement runs convert with.
  public static func storedRates() throws -> RateTable { try loadedRates.get() }

  /// A fresh folder `PREFIX-N` in the test process's scratch folder.
  public static func temporaryDirectory(prefix: String) throws -> String { try TestScratch.folder(prefix) }

  public static func write(_ text: String, to path: String) throws {
    try AtomicFile.write(Array(text.utf8), to: path)
  }

  /// One order in USD (completed unless `status` says otherwise) by a new buyer, ordered at noon UTC on `day` (`YYYY-MM-DD`) and
  /// clicked the day before: commission 10 % of `amount` in a core market (US, DE, …), 9 % elsewhere.
  public struct Order {
    public var id: String
    public var affiliate: String
    public var country: String
    public var amount: String
    public var day: String
    public var status: String

    public init(
      id: String, affiliate: String, country: String, amount: String, day: String, status: String = "completed"
    ) {
      self.id = id
      self.affiliate = affiliate
      self.country = country
      self.amount = amount
      self.day = day
      self.status = status
    }
  }

  /// An orders file holding `orders`.
  public static func ordersCSV(_ orders: [Order]) throws -> String {
    var lines = ["order_id,affiliate_id,clicked_at,ordered_at,status,buyer_country,buyer_type,category,amount,currency"]
    for order in orders {
      let clicked = try Day(order.day).advanced(by: -1)
      lines.append(
        "\(order.id),\(order.affiliate),\(clicked)T10:00:00Z,\(order.day)T12:00:00Z,\(order.status),\(order.country),new,"
          + "electronics,\(order.amount),USD")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// An affiliates file from rows given as column → value (other columns empty).
  public static func affiliatesCSV(_ rows: [[String: String]]) -> String {
    var lines = [AffiliatesFile.columns.joined(separator: ",")]
    for row in rows { lines.append(AffiliatesFile.columns.map { row[$0] ?? "" }.joined(separator: ",")) }
    return lines.joined(separator: "\n") + "\n"
  }

  /// An affiliate paid by Payoneer in USD: the payout is the settlement amount, unconverted.
  public static func payoneerRow(_ id: String) -> [String: String] {
    [
      "affiliate_id": id, "name": "Payee \(id)", "country": "US", "payout_method": "payoneer",
      "payout_currency": "USD", "payoneer_payee_id": "PY-\(id)",
    ]
  }

  /// An affiliates file of `ids`, each paid by Payoneer in USD.
  public static func payoneerAffiliatesCSV(_ ids: [String]) -> String { affiliatesCSV(ids.map(payoneerRow)) }

  /// A payer with a Dutch IBAN, paying in USD.
  public static func payer() throws -> Payer {
    let yaml = """
      name: Settle Test Treasury B.V.
      iban: NL91ABNA0417164300
      bic: ABNANL2A
      country: NL
      currency: USD
      """
    return try Payer.parse(Array(yaml.utf8), source: "payer.yaml")
  }
}

import CSV
import JSONText
public import Dates
public import Money

/// The result of settling a period: counts, totals, and what produced them.
public struct SettlementSummary: Sendable {
  public let program: Program
  public let period: Month
  public let options: PeriodSettlement.RunOptions
  public let counts: OutcomeCounts
  /// Per affiliate and market, sorted by affiliate id then market.
  public let lines: [CommissionLine]
  /// Sum of qualifying order amounts in their own currencies.
  public let qualifyingAmounts: [Currency: Int128]
  /// Distinct affiliate ids among the lines.
  private let affiliateCount: Int

  /// One line of `commissions.csv`.
  public struct CommissionLine: Sendable, Equatable {
    public let affiliateID: String
    public let market: String
    public let orders: Int
    public let sales: Money
    public let commission: Money
  }

  init(
    program: Program, period: Month, options: PeriodSettlement.RunOptions, counts: OutcomeCounts,
    groups: AffiliateMarketTotals, tierOfAffiliate: [Int], qualifyingAmounts: [Currency: Int128]
  ) {
    self.program = program
    self.period = period
    self.options = options
    self.counts = counts
    self.qualifyingAmounts = qualifyingAmounts
    let currency = program.settlementCurrency
    // One string per affiliate, shared by its lines.
    let affiliateIDs = (0..<groups.affiliates.count).map { affiliate in
      groups.affiliates.withBytes(at: affiliate) { String(decoding: $0, as: UTF8.self) }
    }
    var lines: [CommissionLine] = []
    lines.reserveCapacity(groups.count)
    // Byte order of the affiliate id, then the market: the same order on every machine and locale.
    for group in groups.groupsInFileOrder() {
      let affiliate = groups.affiliate(ofGroup: group)
      let tier = tierOfAffiliate.isEmpty ? 0 : tierOfAffiliate[affiliate]
      lines.append(
        CommissionLine(
          affiliateID: affiliateIDs[affiliate], market: groups.markets[group].code,
          orders: groups.orders(ofGroup: group),
          sales: Money(minorUnits: groups.sales(ofGroup: group), currency: currency),
          commission: Money(minorUnits: groups.commission(ofGroup: group, tier: tier), currency: currency)))
    }
    self.lines = lines
    affiliateCount = Set(affiliateIDs).count
  }

  /// Total sales and commission in the settlement currency, summed in 128 bits.
  public var totalSales: Int128 { lines.reduce(0) { $0 + Int128($1.sales.minorUnits) } }
  public var totalCommission: Int128 { lines.reduce(0) { $0 + Int128($1.commission.minorUnits) } }

  /// `commissions.csv`: `affiliate_id,market,orders,sales,commission,currency`.
  public func commissionsCSV() -> [UInt8] {
    var output = Array("affiliate_id,market,orders,sales,commission,currency\n".utf8)
    output.reserveCapacity(output.count + lines.count * 64)
    for line in lines {
      CSVEscaping.append(line.affiliateID, to: &output)
      output.append(UInt8(ascii: ","))
      CSVEscaping.append(line.market, to: &output)
      output.append(UInt8(ascii: ","))
      DecimalText.append(Int64(line.orders), scale: 0, to: &output)
      output.append(UInt8(ascii: ","))
      DecimalText.append(line.sales.minorUnits, scale: line.sales.currency.minorUnits, to: &output)
      output.append(UInt8(ascii: ","))
      DecimalText.append(line.commission.minorUnits, scale: line.commission.currency.minorUnits, to: &output)
      output.append(UInt8(ascii: ","))
      CSVEscaping.append(line.sales.currency.code, to: &output)
      output.append(UInt8(ascii: "\n"))
    }
    return output
  }

  /// `summary.json`: counts by outcome and reason (adding up to the input rows), totals, the
  /// program and rates store with their SHA-256, and the run's parameters.
  public func json() -> String {
    let currency = program.settlementCurrency
    var outcomes: [(String, String)] = []
    for outcome in OrderOutcome.allCases { outcomes.append((outcome.rawValue, String(counts.byOutcome[outcome] ?? 0))) }
    var notQualified: [(String, String)] = []
    for reason in NotQualifiedReason.allCases {
      notQualified.append((reason.rawValue, String(counts.byReason[reason.rawValue] ?? 0)))
    }
    var rejected: [(String, String)] = []
    for reason in RejectionReason.allCases {
      rejected.append((reason.rawValue, String(counts.byReason[reason.rawValue] ?? 0)))
    }
    var amounts: [(String, String)] = []
    for (orderCurrency, total) in qualifyingAmounts.sorted(by: { $0.key < $1.key }) {
      amounts.append(
        (orderCurrency.code, JSON.string(SettlementSummary.decimalText(total, minorUnits: orderCurrency.minorUnits))))
    }
    let settlementTotals = JSON.object([
      ("currency", JSON.string(currency.code)),
      ("sales", JSON.string(SettlementSummary.decimalText(totalSales, minorUnits: currency.minorUnits))),
      ("commission", JSON.string(SettlementSummary.decimalText(totalCommission, minorUnits: currency.minorUnits))),
      ("affiliates", String(affiliateCount)),
      ("lines", String(lines.count)),
    ])
    return JSON.object(
      pretty: true,
      [
        ("period", JSON.string(period.description)),
        ("input_rows", String(counts.inputRows)),
        ("outcomes", JSON.object(outcomes)),
        ("reasons", JSON.object([("not_qualified", JSON.object(notQualified)), ("rejected", JSON.object(rejected))])),
        ("totals", settlementTotals),
        ("qualifying_order_amounts", JSON.object(amounts)),
        (
          "program",
          JSON.object([
            ("name", JSON.string(program.name)), ("file", JSON.string(options.programSource)),
            ("sha256", JSON.string(program.fileSHA256)),
          ])
        ),
        (
          "rates",
          JSON.object([("store", JSON.string(options.ratesSource)), ("sha256", JSON.string(options.ratesSHA256))])
        ),
        (
          "parameters",
          JSON.object([
            ("orders", JSON.string(options.ordersPath)), ("period", JSON.string(period.description)),
            ("settlement_currency", JSON.string(currency.code)),
            ("rounding", JSON.string(PeriodSettlement.rounding.rawValue)),
            ("strict", options.strict ? "true" : "false"), ("out", JSON.string(options.outputDirectory)),
          ])
        ),
      ]) + "\n"
  }

  /// A 128-bit count of minor units as exact decimal text.
  static func decimalText(_ minorUnits: Int128, minorUnits digits: UInt8) -> String {
    let magnitude = minorUnits.magnitude
    var text = String(magnitude)
    if digits > 0 {
      if text.count <= Int(digits) { text = String(repeating: "0", count: Int(digits) + 1 - text.count) + text }
      text.insert(".", at: text.index(text.endIndex, offsetBy: -Int(digits)))
    }
    return minorUnits < 0 ? "-" + text : text
  }
}

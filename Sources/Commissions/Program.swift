public import Countries
public import Money

/// An affiliate program's rules: who earns commission, at what percentage, in which currency.
public struct Program: Sendable {
  /// A buyer of an order: first paid order, or a returning buyer.
  public enum BuyerType: String, Sendable, CaseIterable {
    case new
    case returning
  }

  /// Percentages per buyer type, as exact decimals (`10` means 10 %).
  public struct Percentages: Sendable, Equatable {
    public let new: FixedDecimal
    public let returning: FixedDecimal

    public subscript(buyerType: BuyerType) -> FixedDecimal {
      switch buyerType {
      case .new: new
      case .returning: returning
      }
    }
  }

  /// A group of buyer countries sharing percentages; `countries == nil` means every other country.
  public struct Market: Sendable {
    public let name: String
    public let countries: [Country]?
    public let percentages: Percentages
  }

  /// A fixed amount per qualifying order, converted into the settlement currency like an order.
  public struct Bounty: Sendable {
    public let amount: Money
    public let buyerTypes: [BuyerType]
  }

  /// Extra percentage points for every qualifying order of an affiliate whose qualifying sales in
  /// the period are above `salesAbove` (in the settlement currency).
  public struct Tier: Sendable {
    public let salesAbove: Money
    public let bonusPercentagePoints: FixedDecimal
  }

  public let name: String
  public let settlementCurrency: Currency
  public let attributionWindowDays: Int
  public let excludedCountries: Set<Country>
  public let excludedCategories: Set<String>
  public let markets: [Market]
  public let bounty: Bounty?
  /// Ascending by threshold.
  public let tiers: [Tier]
  /// Payouts below this are held; nil or zero for no minimum.
  public let minimumPayout: Money?
  public let payoutFrequency: String
  public let payoutMethod: String
  /// SHA-256 of the program file's bytes, lowercase hex.
  public let fileSHA256: String

  /// The market a buyer country belongs to: its listed market, else the `every_other` market.
  public func market(for country: Country) -> Market? {
    if let listed = markets.first(where: { $0.countries?.contains(country) == true }) { return listed }
    return markets.first { $0.countries == nil }
  }

  /// The same program with another settlement currency (`--currency`).
  public func settling(in currency: Currency) throws(MoneyError) -> Program {
    Program(
      name: name, settlementCurrency: currency, attributionWindowDays: attributionWindowDays,
      excludedCountries: excludedCountries, excludedCategories: excludedCategories, markets: markets,
      bounty: bounty,
      tiers: try tiers.map { (tier) throws(MoneyError) in
        guard tier.salesAbove.currency == currency else {
          throw MoneyError(.currencyMismatch(tier.salesAbove.currency, currency), operation: "settle tiers set in")
        }
        return tier
      },
      minimumPayout: minimumPayout, payoutFrequency: payoutFrequency, payoutMethod: payoutMethod,
      fileSHA256: fileSHA256)
  }

  init(
    name: String, settlementCurrency: Currency, attributionWindowDays: Int, excludedCountries: Set<Country>,
    excludedCategories: Set<String>, markets: [Market], bounty: Bounty?, tiers: [Tier], minimumPayout: Money?,
    payoutFrequency: String, payoutMethod: String, fileSHA256: String
  ) {
    self.name = name
    self.settlementCurrency = settlementCurrency
    self.attributionWindowDays = attributionWindowDays
    self.excludedCountries = excludedCountries
    self.excludedCategories = excludedCategories
    self.markets = markets
    self.bounty = bounty
    self.tiers = tiers
    self.minimumPayout = minimumPayout
    self.payoutFrequency = payoutFrequency
    self.payoutMethod = payoutMethod
    self.fileSHA256 = fileSHA256
  }
}

/// A program file that cannot be used, naming the file and key.
public struct ProgramError: Error, Equatable, CustomStringConvertible {
  public let source: String
  public let line: Int?
  public let key: String
  public let problem: String

  public init(source: String, line: Int?, key: String, problem: String) {
    self.source = source
    self.line = line
    self.key = key
    self.problem = problem
  }

  public var description: String {
    let location = line.map { "\(source):\($0)" } ?? source
    return key.isEmpty ? "\(location): \(problem)" : "\(location): \(key): \(problem)"
  }
}

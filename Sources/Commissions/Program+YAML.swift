import Countries
import Digest
import Files
import Money
import Yams

extension Program {
  /// Largest program file read.
  public static let fileBytesMax = 1 << 20

  /// Reads a program file (YAML).
  /// - Throws: `FileError` when it cannot be read; `ProgramError` naming the key otherwise.
  public static func load(path: String) throws -> Program {
    let bytes = try FileReader.readAll(path: path, bytesMax: fileBytesMax)
    return try parse(bytes, source: path)
  }

  /// The default program: the Alibaba.com affiliate program (also shipped as `programs/alibaba.yaml`).
  public static var alibaba: Program {
    do {
      return try parse(Array(alibabaYAML.utf8), source: "programs/alibaba.yaml")
    } catch {
      preconditionFailure("the built-in program is valid: \(error)")
    }
  }

  /// Parses a program. Every scalar is read as its exact text, so percentages and amounts never
  /// pass through binary floating point.
  /// - Throws: `ProgramError` for an unknown key, a missing field, an unknown currency or country,
  ///   overlapping markets, or a value out of range, naming the key.
  public static func parse(_ bytes: [UInt8], source: String) throws(ProgramError) -> Program {
    let text = String(decoding: bytes, as: UTF8.self)
    let root: Node
    do {
      guard let composed = try Yams.compose(yaml: text) else {
        throw ProgramError(source: source, line: nil, key: "", problem: "the file is empty")
      }
      root = composed
    } catch let error as ProgramError {
      throw error
    } catch let error as YamlError {
      throw programError(error, text: text, source: source)
    } catch {
      throw ProgramError(source: source, line: nil, key: "", problem: "not valid YAML: \(error)")
    }
    let reader = ProgramReader(source: source)
    return try reader.program(root, fileSHA256: SHA256.hexDigest(of: bytes))
  }
}

/// Yams' error as one line naming the file, line and key (its own message quotes the whole file).
private func programError(_ error: YamlError, text: String, source: String) -> ProgramError {
  switch error {
  case .duplicatedKeysInMapping(let duplicates, let context):
    let key = duplicates.sorted().first ?? ""
    // The line of the key's second appearance, where the mistake is.
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let appearances = lines.indices.filter { lines[$0].drop(while: { $0 == " " }).hasPrefix(key + ":") }
    let line = appearances.count > 1 ? appearances[1] + 1 : context.mark.line
    return ProgramError(source: source, line: line, key: key, problem: "appears twice")
  case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
    .composer(_, let problem, let mark, _):
    return ProgramError(source: source, line: mark.line, key: "", problem: "not valid YAML: \(problem)")
  default:
    let firstLine = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
    return ProgramError(source: source, line: nil, key: "", problem: "not valid YAML: \(firstLine)")
  }
}

/// Walks the YAML tree, checking every key against what it expects.
private struct ProgramReader {
  let source: String

  func failure(_ node: Node?, _ key: String, _ problem: String) -> ProgramError {
    ProgramError(source: source, line: node?.mark?.line, key: key, problem: problem)
  }

  /// The mapping's entries by key, refusing unknown, duplicate and (where required) missing keys.
  func entries(_ node: Node, _ path: String, required: Set<String>, optional: Set<String>) throws(ProgramError)
    -> [String: Node]
  {
    guard case .mapping(let mapping) = node else { throw failure(node, path, "expected a mapping of keys") }
    var result: [String: Node] = [:]
    for (keyNode, value) in mapping {
      guard let key = keyNode.string else { throw failure(keyNode, path, "keys must be plain text") }
      let keyPath = path.isEmpty ? key : "\(path).\(key)"
      guard required.contains(key) || optional.contains(key) else {
        throw failure(
          keyNode, keyPath,
          "unknown key (expected one of \((required.union(optional)).sorted().joined(separator: ", ")))")
      }
      guard result[key] == nil else { throw failure(keyNode, keyPath, "appears twice") }
      if case .alias = value { throw failure(value, keyPath, "YAML aliases are not accepted") }
      result[key] = value
    }
    for key in required.sorted() where result[key] == nil {
      throw failure(node, path.isEmpty ? key : "\(path).\(key)", "missing")
    }
    return result
  }

  func scalar(_ node: Node, _ key: String) throws(ProgramError) -> String {
    guard case .scalar(let scalar) = node else { throw failure(node, key, "expected a single value") }
    return scalar.string
  }

  func list(_ node: Node, _ key: String) throws(ProgramError) -> [Node] {
    guard case .sequence(let sequence) = node else { throw failure(node, key, "expected a list") }
    return Array(sequence)
  }

  func decimal(_ node: Node, _ key: String) throws(ProgramError) -> FixedDecimal {
    let text = try scalar(node, key)
    do {
      return try FixedDecimal(text)
    } catch {
      throw failure(node, key, "\(error)")
    }
  }

  func percentage(_ node: Node, _ key: String) throws(ProgramError) -> FixedDecimal {
    let value = try decimal(node, key)
    guard value >= FixedDecimal(significand: 0, scale: 0), value <= FixedDecimal(significand: 100, scale: 0) else {
      throw failure(node, key, "\(value) is not a percentage between 0 and 100")
    }
    return value
  }

  func currency(_ node: Node, _ key: String) throws(ProgramError) -> Currency {
    let code = try scalar(node, key)
    do {
      return try Currency(code: code)
    } catch {
      throw failure(node, key, "\(error)")
    }
  }

  func country(_ node: Node, _ key: String) throws(ProgramError) -> Country {
    let code = try scalar(node, key)
    do {
      return try Country(code: code)
    } catch {
      throw failure(node, key, "\(error)")
    }
  }

  func money(_ node: Node, _ key: String, currency: Currency) throws(ProgramError) -> Money {
    let text = try scalar(node, key)
    do {
      return try Money(parsing: text, currency: currency)
    } catch {
      throw failure(node, key, "\(error)")
    }
  }

  func program(_ root: Node, fileSHA256: String) throws(ProgramError) -> Program {
    let keys = try entries(
      root, "", required: ["name", "settlement_currency", "attribution_window_days", "markets"],
      optional: ["excluded_countries", "excluded_categories", "bounty", "tiers", "payouts"])
    let name = try scalar(keys["name"] ?? root, "name")
    let settlementCurrency = try currency(keys["settlement_currency"] ?? root, "settlement_currency")
    let windowNode = keys["attribution_window_days"] ?? root
    guard let windowDays = Int(try scalar(windowNode, "attribution_window_days")), (1...366).contains(windowDays) else {
      throw failure(windowNode, "attribution_window_days", "expected a whole number of days from 1 to 366")
    }
    var excludedCountries: Set<Country> = []
    if let node = keys["excluded_countries"] {
      for (index, item) in try list(node, "excluded_countries").enumerated() {
        excludedCountries.insert(try country(item, "excluded_countries[\(index)]"))
      }
    }
    var excludedCategories: Set<String> = []
    if let node = keys["excluded_categories"] {
      for (index, item) in try list(node, "excluded_categories").enumerated() {
        excludedCategories.insert(try scalar(item, "excluded_categories[\(index)]"))
      }
    }
    let markets = try self.markets(keys["markets"] ?? root)
    let bounty = try keys["bounty"].map { (node) throws(ProgramError) in try self.bounty(node) }
    let tiers =
      try keys["tiers"].map { (node) throws(ProgramError) in
        try self.tiers(node, settlementCurrency, markets: markets)
      } ?? []
    var frequency = "monthly"
    var method = "wire"
    var minimum: Money?
    if let node = keys["payouts"] {
      let payout = try entries(node, "payouts", required: [], optional: ["frequency", "minimum", "method"])
      if let value = payout["frequency"] { frequency = try scalar(value, "payouts.frequency") }
      if let value = payout["method"] { method = try scalar(value, "payouts.method") }
      if let value = payout["minimum"] { minimum = try money(value, "payouts.minimum", currency: settlementCurrency) }
    }
    return Program(
      name: name, settlementCurrency: settlementCurrency, attributionWindowDays: windowDays,
      excludedCountries: excludedCountries, excludedCategories: excludedCategories, markets: markets, bounty: bounty,
      tiers: tiers, minimumPayout: minimum, payoutFrequency: frequency, payoutMethod: method, fileSHA256: fileSHA256)
  }

  func markets(_ node: Node) throws(ProgramError) -> [Program.Market] {
    let items = try list(node, "markets")
    guard !items.isEmpty else { throw failure(node, "markets", "at least one market is needed") }
    var markets: [Program.Market] = []
    var marketOfCountry: [Country: String] = [:]
    var everyOtherKey: String?
    for (index, item) in items.enumerated() {
      let path = "markets[\(index)]"
      let keys = try entries(item, path, required: ["name", "countries", "percentage"], optional: [])
      let name = try scalar(keys["name"] ?? item, "\(path).name")
      let countriesNode = keys["countries"] ?? item
      var countries: [Country]?
      if case .scalar(let scalar) = countriesNode {
        guard scalar.string == "every_other" else {
          throw failure(countriesNode, "\(path).countries", "expected a list of countries or every_other")
        }
        if let everyOtherKey {
          throw failure(
            countriesNode, "\(path).countries", "overlaps \(everyOtherKey): only one market can be every_other")
        }
        everyOtherKey = "\(path).countries"
      } else {
        var listed: [Country] = []
        for (position, countryNode) in try list(countriesNode, "\(path).countries").enumerated() {
          let country = try self.country(countryNode, "\(path).countries[\(position)]")
          if let other = marketOfCountry[country] {
            throw failure(countryNode, "\(path).countries[\(position)]", "\(country) overlaps \(other)")
          }
          marketOfCountry[country] = "\(path) (\(name))"
          listed.append(country)
        }
        countries = listed
      }
      let percentageNode = keys["percentage"] ?? item
      let percentageKeys = try entries(
        percentageNode, "\(path).percentage", required: ["new", "returning"], optional: [])
      let percentages = Program.Percentages(
        new: try percentage(percentageKeys["new"] ?? item, "\(path).percentage.new"),
        returning: try percentage(percentageKeys["returning"] ?? item, "\(path).percentage.returning"))
      markets.append(Program.Market(name: name, countries: countries, percentages: percentages))
    }
    return markets
  }

  func bounty(_ node: Node) throws(ProgramError) -> Program.Bounty {
    let keys = try entries(node, "bounty", required: ["amount", "currency"], optional: ["buyer_types"])
    let bountyCurrency = try currency(keys["currency"] ?? node, "bounty.currency")
    let amount = try money(keys["amount"] ?? node, "bounty.amount", currency: bountyCurrency)
    guard amount.minorUnits > 0 else { throw failure(node, "bounty.amount", "must be more than zero") }
    var buyerTypes = Program.BuyerType.allCases
    if let typesNode = keys["buyer_types"] {
      buyerTypes = []
      for (index, item) in try list(typesNode, "bounty.buyer_types").enumerated() {
        let text = try scalar(item, "bounty.buyer_types[\(index)]")
        guard let type = Program.BuyerType(rawValue: text) else {
          throw failure(item, "bounty.buyer_types[\(index)]", "\"\(text)\" is not new or returning")
        }
        buyerTypes.append(type)
      }
    }
    return Program.Bounty(amount: amount, buyerTypes: buyerTypes)
  }

  func tiers(_ node: Node, _ settlementCurrency: Currency, markets: [Program.Market]) throws(ProgramError)
    -> [Program.Tier]
  {
    var tiers: [Program.Tier] = []
    for (index, item) in try list(node, "tiers").enumerated() {
      let path = "tiers[\(index)]"
      let keys = try entries(item, path, required: ["sales_above", "bonus_percentage_points"], optional: [])
      let threshold = try money(keys["sales_above"] ?? item, "\(path).sales_above", currency: settlementCurrency)
      let bonus = try percentage(keys["bonus_percentage_points"] ?? item, "\(path).bonus_percentage_points")
      if let previous = tiers.last, threshold.minorUnits <= previous.salesAbove.minorUnits {
        throw failure(item, "\(path).sales_above", "thresholds must increase")
      }
      try checkSums(
        bonus, markets: markets, node: keys["bonus_percentage_points"] ?? item, key: "\(path).bonus_percentage_points")
      tiers.append(Program.Tier(salesAbove: threshold, bonusPercentagePoints: bonus))
    }
    return tiers
  }

  /// A tier's bonus is added to every market's percentages: refuses a bonus whose exact sum with one of them
  /// does not fit 64 bits at their common scale (too many fraction digits between the two), naming the market.
  func checkSums(_ bonus: FixedDecimal, markets: [Program.Market], node: Node, key: String) throws(ProgramError) {
    for (index, market) in markets.enumerated() {
      for buyerType in Program.BuyerType.allCases {
        let base = market.percentages[buyerType]
        guard PercentageLevels.exactSum(base, bonus) == nil else { continue }
        throw failure(
          node, key,
          "\(bonus) added to markets[\(index)].percentage.\(buyerType.rawValue) (\(base)) has no exact sum in 64 bits at "
            + "\(max(base.scale, bonus.scale)) fraction digits")
      }
    }
  }
}

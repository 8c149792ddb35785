import Countries
import Money
import Rates

/// What the codes an order names mean under one program and one rate table.
///
/// A buyer country or currency is found by the slot of its letters: one array read per code and
/// order, where looking it up in the country or currency table, then in the program's markets and
/// exclusions and in the rates, took five (and the shared tables' lazy initialisation was checked
/// on every call). Excluded categories are compared as bytes, held in one array.
struct OrderCodes {
  /// A buyer country, with what the program does with it.
  struct Buyer {
    let country: Country
    let isExcluded: Bool
    /// The index of the program's market for the country, or -1 when it has none.
    let market: Int16
  }

  /// Per two-letter slot (26²): the assigned country with those letters, or nil.
  private let buyers: [Buyer?]
  /// Per three-letter slot (26³): 0 when the letters are not a currency the rates cover, else the
  /// currency's number in `currencies` plus one.
  private let currencyNumbers: [UInt8]
  /// The currencies the rates cover (the euro and every currency with a rate), in code order.
  let currencies: [Currency]
  /// The excluded categories' bytes, one after another, and where each ends.
  private let excludedCategoryBytes: [UInt8]
  private let excludedCategoryEnds: [Int]

  init(program: Program, rates: RateTable) {
    var buyers = [Buyer?](repeating: nil, count: 26 * 26)
    let excluded = Set(program.excludedCountries)
    for country in Country.all {
      let market = program.market(for: country).flatMap { market in
        program.markets.firstIndex { $0.name == market.name && $0.countries == market.countries }
      }
      buyers[OrderCodes.slot(country)] = Buyer(
        country: country, isExcluded: excluded.contains(country), market: Int16(market ?? -1))
    }
    self.buyers = buyers
    currencies = Currency.all.filter { $0.code == "EUR" || rates.currencies.contains($0) }
    precondition(currencies.count < Int(UInt8.max), "at most 254 covered currencies, not \(currencies.count)")
    var currencyNumbers = [UInt8](repeating: 0, count: 26 * 26 * 26)
    for (number, currency) in currencies.enumerated() { currencyNumbers[OrderCodes.slot(currency)] = UInt8(number + 1) }
    self.currencyNumbers = currencyNumbers
    var categoryBytes: [UInt8] = []
    var categoryEnds: [Int] = []
    for category in program.excludedCategories.sorted() {
      categoryBytes += Array(category.utf8)
      categoryEnds.append(categoryBytes.count)
    }
    excludedCategoryBytes = categoryBytes
    excludedCategoryEnds = categoryEnds
  }

  /// Whether these bytes are one of the program's excluded categories.
  func isExcludedCategory(_ category: UnsafeBufferPointer<UInt8>) -> Bool {
    excludedCategoryBytes.withUnsafeBufferPointer { all in
      var start = 0
      for end in excludedCategoryEnds {
        if end - start == category.count, category.elementsEqual(all[start..<end]) { return true }
        start = end
      }
      return false
    }
  }

  /// The assigned country these two bytes name, or nil.
  @inline(__always)
  func buyer(_ bytes: UnsafeBufferPointer<UInt8>) -> Buyer? {
    guard bytes.count == 2 else { return nil }
    let first = bytes[0] &- 65
    let second = bytes[1] &- 65
    guard first < 26, second < 26 else { return nil }
    return buyers[Int(first) &* 26 &+ Int(second)]
  }

  /// The number in `currencies` of the covered currency these three bytes name, or nil.
  @inline(__always)
  func currencyNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard bytes.count == 3 else { return nil }
    let first = bytes[0] &- 65
    let second = bytes[1] &- 65
    let third = bytes[2] &- 65
    guard first < 26, second < 26, third < 26 else { return nil }
    let number = Int(currencyNumbers[Int(first) &* 676 &+ Int(second) &* 26 &+ Int(third)])
    return number == 0 ? nil : number - 1
  }

  private static func slot(_ country: Country) -> Int {
    Int((country.packedCode >> 8) &- 65) * 26 + Int((country.packedCode & 0xFF) &- 65)
  }

  private static func slot(_ currency: Currency) -> Int {
    let code = currency.packedCode
    return (Int((code >> 16) & 0xFF) - 65) * 676 + (Int((code >> 8) & 0xFF) - 65) * 26 + (Int(code & 0xFF) - 65)
  }
}

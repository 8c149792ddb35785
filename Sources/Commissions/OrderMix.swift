import Countries
import Money

/// What the synthetic orders are made of, and in what proportions.
///
/// Weights are relative; where a field's weights sum to 10,000 each is a share in hundredths of a
/// percent. The proportions are chosen so that 10,000 rows show every case a settlement must handle:
/// refunds, excluded countries (CN, IN, NG) and categories (weapons, tobacco), zero-decimal currencies,
/// huge amounts, orders outside the period and clicks on both sides of the 30-day attribution window.
struct OrderMix: Sendable {
  /// A column whose text is one of a few options.
  struct Field: Sendable {
    let tokens: [ByteCursor.Token]
    let texts: [String]
    let choice: WeightedChoice

    init(_ options: [(text: String, weight: Int)]) {
      self.texts = options.map(\.text)
      self.tokens = options.map { ByteCursor.Token($0.text) }
      self.choice = WeightedChoice(weights: options.map(\.weight))
    }

    @inline(__always)
    func pick(_ random: UInt64) -> ByteCursor.Token { tokens[choice.pick(random)] }
  }

  /// A currency an order can be paid in, with a rough rate to size typical orders.
  struct PaymentCurrency: Sendable {
    let token: ByteCursor.Token
    let currency: Currency
    /// 10^minorUnits.
    let minorUnitsPerUnit: UInt64
    /// Units of the currency per US dollar, in millionths; only to size amounts, never to convert.
    let unitsPerDollarMillionths: UInt64
  }

  // MARK: Columns

  let statuses = Field([("completed", 8000), ("refunded", 800), ("cancelled", 700), ("pending", 500)])

  let buyerTypes = Field([("new", 4000), ("returning", 6000)])

  /// The program's core markets (`programs/alibaba.yaml`), most orders come from there.
  let coreCountries = Field([
    ("US", 3000), ("GB", 900), ("DE", 900), ("CA", 700), ("FR", 600), ("AU", 500), ("NL", 250), ("MX", 150),
  ])

  /// Countries the program refuses commission for.
  let excludedCountries = Field([("CN", 5), ("IN", 3), ("NG", 2)])

  /// Every other assigned ISO 3166-1 country, equally likely.
  let otherCountries: Field

  enum CountryKind: Int { case core, other, excluded }
  let countryKinds = WeightedChoice(weights: [7000, 2700, 300])

  let categories = Field([
    ("electronics", 1800), ("apparel", 1500), ("home", 1200), ("machinery", 1000), ("beauty", 800),
    ("packaging", 600), ("toys", 500), ("sports", 500), ("automotive", 450), ("health", 400), ("jewelry", 300),
    ("furniture", 300), ("lighting", 250), ("office-supplies", 200),
    // Forbidden by the program.
    ("weapons", 100), ("tobacco", 100),
  ])

  /// The currencies the ECB publishes reference rates for, and EUR, with rough units per dollar.
  let paymentCurrencies: [PaymentCurrency] = [
    ("USD", 1_000_000), ("EUR", 920_000), ("GBP", 790_000), ("CAD", 1_370_000), ("AUD", 1_520_000),
    ("JPY", 150_000_000), ("MXN", 19_000_000), ("KRW", 1_380_000_000), ("ISK", 138_000_000), ("CHF", 880_000),
    ("SEK", 10_500_000), ("NOK", 10_700_000), ("DKK", 6_900_000), ("PLN", 4_000_000), ("CZK", 23_000_000),
    ("HUF", 360_000_000), ("RON", 4_600_000), ("TRY", 34_000_000), ("BRL", 5_500_000), ("CNY", 7_200_000),
    ("HKD", 7_800_000), ("IDR", 16_000_000_000), ("ILS", 3_700_000), ("INR", 84_000_000), ("MYR", 4_400_000),
    ("NZD", 1_650_000), ("PHP", 57_000_000), ("SGD", 1_340_000), ("THB", 34_000_000), ("ZAR", 18_000_000),
  ].map { (code: String, unitsPerDollarMillionths: UInt64) in
    let currency: Currency
    do {
      currency = try Currency(code: code)
    } catch {
      preconditionFailure("\(error)")
    }
    var minorUnitsPerUnit: UInt64 = 1
    for _ in 0..<currency.minorUnits { minorUnitsPerUnit *= 10 }
    return PaymentCurrency(
      token: ByteCursor.Token(code), currency: currency, minorUnitsPerUnit: minorUnitsPerUnit,
      unitsPerDollarMillionths: unitsPerDollarMillionths)
  }

  /// Index into `paymentCurrencies`, in the same order.
  let currencyChoice = WeightedChoice(weights: [
    4540, 2000, 600, 350, 350, 300, 200, 100, 50, 100, 80, 70, 60, 80, 50, 50, 40, 60, 150, 150, 80, 60, 40, 100,
    50, 60, 50, 80, 50, 50,
  ])

  // MARK: Amounts

  /// Order sizes in US dollars: a band, then uniform within it to the cent.
  enum AmountBand: Int { case small, medium, large, huge }
  let amountBands = WeightedChoice(weights: [3500, 4500, 1990, 10])
  /// Dollar bounds of the small, medium and large bands, in cents, lower inclusive, upper exclusive.
  let amountBandCents: [(lower: UInt64, upper: UInt64)] = [(500, 5000), (5000, 50_000), (50_000, 500_001)]
  /// A huge amount is 10^9 to 10^10 units of its own currency, whatever the currency.
  static let hugeAmountUnits: Range<UInt64> = 1_000_000_000..<10_000_000_000

  // MARK: Times

  static let secondsPerDay: Int64 = 86_400
  /// The attribution window of the default program: 30 days of 24 hours.
  static let attributionWindowSeconds: Int64 = 30 * secondsPerDay

  /// Where an order falls: inside the period, in the month before or after, or on a boundary second.
  enum OrderedPlacement: Int {
    case inPeriod, previousMonth, nextMonth, periodFirstSecond, periodLastSecond, nextMonthFirstSecond,
      previousMonthLastSecond
  }
  let orderedPlacements = WeightedChoice(weights: [9580, 200, 200, 5, 5, 5, 5])

  /// Where the click falls relative to the order.
  enum ClickPlacement: Int {
    /// 0 to 30 days minus a second before, more often recent.
    case withinWindow
    /// The same second as the order.
    case sameSecond
    /// Exactly 30×24 h before: still attributed.
    case windowEdge
    /// 30×24 h and one second before: expired.
    case justExpired
    /// 30×24 h and two seconds to 60 days before.
    case longExpired
    /// One second to three hours after the order.
    case afterOrder
  }
  let clickPlacements = WeightedChoice(weights: [9500, 100, 100, 100, 100, 100])

  /// How often a timestamp is written with a UTC offset instead of `Z`, in ten-thousandths: 1%.
  static let offsetFormTenThousandths: UInt64 = 100
  /// Offsets east of UTC, in minutes, for the offset form; ±14 h and −12 h move the local date.
  let offsetsMinutes: [Int] = [60, 120, 330, 345, 540, 840, -210, -300, -480, -720, 0]

  init() {
    let named = Set(coreCountries.texts + excludedCountries.texts)
    otherCountries = Field(Country.all.map(\.code).filter { !named.contains($0) }.map { ($0, 1) })
    precondition(paymentCurrencies.count == currencyChoice.optionCount, "one weight per payment currency")
  }

  // MARK: Affiliates

  /// Affiliates are `AFF0001` … `AFF3000`.
  static let affiliateCount: UInt64 = 3000
}

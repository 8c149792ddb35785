public import Dates
public import Money

/// One ECB publication: the reference rates of one day, in units of each currency per EUR.
public struct Publication: Sendable, Equatable {
  public let day: Day
  /// Rates exactly as published (decimal text, never through binary floating point), in feed order.
  public let rates: [CurrencyRate]

  public init(day: Day, rates: [CurrencyRate]) {
    self.day = day
    self.rates = rates
  }
}

/// A currency's reference rate: units of the currency per 1 EUR.
public struct CurrencyRate: Sendable, Equatable {
  public let currency: Currency
  public let rate: FixedDecimal

  public init(currency: Currency, rate: FixedDecimal) {
    self.currency = currency
    self.rate = rate
  }
}

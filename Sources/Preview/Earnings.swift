public import Dates
public import Money

/// An amount in the settlement currency and the same amount converted into the display currency.
public struct Amount: Sendable, Equatable {
  /// As the ledger holds it (USD for the Alibaba program).
  public let settlement: Money
  /// `settlement` converted exactly at the earnings' rates and rounded once, half-even.
  public let display: Money
}

/// An affiliate's commission in one market (buyer country) of one period.
public struct MarketEarnings: Sendable, Equatable {
  /// The buyer country, ISO 3166-1 alpha-2.
  public let market: String
  public let orders: Int
  public let commission: Amount
}

/// A payout instructed to the affiliate when a period closed.
public struct PayoutEarnings: Sendable, Equatable {
  public let reference: String
  /// `wire`, `payoneer`, …: the affiliate's payout method when the batch was made.
  public let method: String
  /// `instructed`, `paid` or `failed`.
  public let state: String
  /// The settlement amount, and that amount converted into the display currency at the earnings' rates.
  public let amount: Amount
  /// As instructed, in the payout currency (at the rate of the batch, not the display rate).
  public let paid: Money
}

/// One period's commissions per market and its payouts.
public struct PeriodEarnings: Sendable, Equatable {
  public enum Status: String, Sendable {
    /// Not closed yet: the figures are the latest provisional run's and may change.
    case open
    /// Closed: the closing run's figures, frozen.
    case closed
  }

  public let period: Month
  public let status: Status
  /// By market code.
  public let markets: [MarketEarnings]
  /// The sum of the markets' settlement commissions; its display amount is that sum converted once,
  /// which may differ by a minor unit from the sum of the markets' display amounts.
  public let total: Amount
  /// By reference.
  public let payouts: [PayoutEarnings]
}

/// What an affiliate has earned and been paid, in the settlement currency and in a display currency.
public struct Earnings: Sendable, Equatable {
  public let affiliateID: String
  /// The currency the program settles in (the latest period's).
  public let settlementCurrency: Currency
  /// The currency the affiliate asked to see.
  public let displayCurrency: Currency
  /// Units of the settlement currency per EUR in the publication used.
  public let rateFrom: FixedDecimal
  /// Units of the display currency per EUR in the publication used.
  public let rateTo: FixedDecimal
  /// The latest ECB publication in the rates store: every display amount uses its rates.
  public let publicationDay: Day
  /// Ascending by period.
  public let periods: [PeriodEarnings]
  /// The payable balance carried to the next batch, in the settlement currency (zero when the ledger has
  /// none; negative: owed back). One program settles in one currency, so there is one such balance.
  public let balance: Amount
}

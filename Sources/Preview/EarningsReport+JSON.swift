import JSONText
import Money

extension EarningsReport {
  /// The earnings API's body: one JSON object, keys in a fixed order, no trailing newline.
  ///
  /// Amounts are strings with exactly their currency's minor-unit digits (`"19465"`, `"1234.50"`,
  /// `"-0.125"`), never JSON numbers, so no client parses them into a float; rates are the ECB's
  /// exact text. `settlement` amounts are in `settlement_currency`, `display` ones in `currency`;
  /// a payout's `paid` names its own currency.
  public static func json(_ earnings: Earnings) -> String {
    JSON.object([
      ("affiliate_id", JSON.string(earnings.affiliateID)),
      ("currency", JSON.string(earnings.displayCurrency.code)),
      ("settlement_currency", JSON.string(earnings.settlementCurrency.code)),
      (
        "rate",
        JSON.object([
          ("publication_day", JSON.string(earnings.publicationDay.description)),
          ("settlement_per_eur", JSON.string(earnings.rateFrom.description)),
          ("display_per_eur", JSON.string(earnings.rateTo.description)),
        ])
      ),
      ("periods", array(earnings.periods.map(json))),
      ("balance", json(earnings.balance)),
    ])
  }

  static func json(_ period: PeriodEarnings) -> String {
    JSON.object([
      ("period", JSON.string(period.period.description)),
      ("status", JSON.string(period.status.rawValue)),
      ("total", json(period.total)),
      (
        "markets",
        array(
          period.markets.map { market in
            JSON.object([
              ("market", JSON.string(market.market)), ("orders", String(market.orders)),
              ("commission", json(market.commission)),
            ])
          })
      ),
      (
        "payouts",
        array(
          period.payouts.map { payout in
            JSON.object([
              ("reference", JSON.string(payout.reference)), ("method", JSON.string(payout.method)),
              ("state", JSON.string(payout.state)), ("amount", json(payout.amount)),
              (
                "paid",
                JSON.object([
                  ("amount", JSON.string(payout.paid.amountText)), ("currency", JSON.string(payout.paid.currency.code)),
                ])
              ),
            ])
          })
      ),
    ])
  }

  static func json(_ amount: Amount) -> String {
    JSON.object([
      ("settlement", JSON.string(amount.settlement.amountText)), ("display", JSON.string(amount.display.amountText)),
    ])
  }

  static func array(_ elements: [String]) -> String { "[" + elements.joined(separator: ", ") + "]" }
}

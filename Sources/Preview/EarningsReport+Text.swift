extension EarningsReport {
  /// The text `settle preview` prints: each period's markets, total and payouts, the balance
  /// carried and the rate used, amounts formatted for `locale` (`MoneyFormat`), one item a line.
  public static func text(_ earnings: Earnings, locale: String) -> String {
    func format(_ amount: Amount) -> String {
      MoneyFormat.string(amount.settlement, locale: locale) + " = " + MoneyFormat.string(amount.display, locale: locale)
    }
    var lines = [
      "Affiliate \(earnings.affiliateID): earnings in \(earnings.displayCurrency.code), "
        + "settled in \(earnings.settlementCurrency.code)"
    ]
    for period in earnings.periods {
      lines.append(
        "\(period.period) " + (period.status == .open ? "(open: provisional, may change)" : "(closed)"))
      for market in period.markets {
        let orders = market.orders == 1 ? "1 order" : "\(market.orders) orders"
        lines.append("  \(market.market): \(orders), commission \(format(market.commission))")
      }
      lines.append("  Total: \(format(period.total))")
      for payout in period.payouts {
        lines.append(
          "  Payout \(payout.reference) by \(payout.method), \(payout.state): \(format(payout.amount))"
            + " (instructed as \(MoneyFormat.string(payout.paid, locale: locale)))")
      }
    }
    lines.append("Balance carried: \(format(earnings.balance))")
    lines.append(rateLine(earnings))
    return lines.joined(separator: "\n") + "\n"
  }

  /// `Rate: 1 EUR = 1.1172 USD = 175.68 JPY (ECB publication of 2026-10-30)`, EUR itself left out.
  static func rateLine(_ earnings: Earnings) -> String {
    var legs: [String] = []
    for (currency, rate) in [
      (earnings.settlementCurrency, earnings.rateFrom), (earnings.displayCurrency, earnings.rateTo),
    ] where currency.code != "EUR" && !legs.contains("\(rate) \(currency.code)") {
      legs.append("\(rate) \(currency.code)")
    }
    let publication = "ECB publication of \(earnings.publicationDay)"
    guard !legs.isEmpty else { return "Rate: none needed, amounts are in EUR (\(publication))" }
    return "Rate: 1 EUR = " + legs.joined(separator: " = ") + " (\(publication))"
  }
}

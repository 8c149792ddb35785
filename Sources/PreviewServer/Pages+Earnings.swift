import Money
import Preview

extension Pages {
  /// The earnings page: the figures formatted for `locale`, a currency selector and a bar chart.
  static func earnings(_ earnings: Earnings, locale: String, currencyCodes: [String]) -> String {
    let format = { (money: Money) in MoneyFormat.string(money, locale: locale) }
    let display = earnings.displayCurrency.code
    let periods: [[String: Any]] = earnings.periods.reversed().map { period in
      [
        "period": period.period.description, "status": period.status.rawValue,
        "markets": period.markets.map { market in
          [
            "market": market.market, "orders": market.orders, "display": format(market.commission.display),
            "settlement": format(market.commission.settlement),
          ] as [String: Any]
        },
        "totalDisplay": format(period.total.display), "totalSettlement": format(period.total.settlement),
        "hasPayouts": !period.payouts.isEmpty,
        "payouts": period.payouts.map { payout in
          [
            "reference": payout.reference, "method": payout.method, "state": payout.state,
            "display": format(payout.amount.display), "settlement": format(payout.amount.settlement),
            "paid": format(payout.paid),
          ] as [String: Any]
        },
      ]
    }
    let values: [String: Any] = [
      "title": "Earnings of \(earnings.affiliateID)", "affiliateID": earnings.affiliateID,
      "affiliatePath": pathSegment(earnings.affiliateID), "locale": locale,
      "lang": locale.replacing("_", with: "-"),
      "settlementCurrency": earnings.settlementCurrency.code, "displayCurrency": display,
      "rateFrom": earnings.rateFrom.description, "rateTo": earnings.rateTo.description,
      "publicationDay": earnings.publicationDay.description,
      "balanceDisplay": format(earnings.balance.display), "balanceSettlement": format(earnings.balance.settlement),
      "currencies": currencyCodes.map { ["code": $0, "selected": $0 == display] as [String: Any] },
      "chart": chart(earnings, format: format), "periods": periods,
    ]
    return render("earnings", values)
  }

  /// Bar chart geometry, in SVG user units.
  static let barWidthMax: Int64 = 480
  static let barHeight = 22
  static let barGap = 8
  static let chartLabelWidth = 48

  /// One bar per market: commission over every period shown, in the display currency. Widths
  /// are scaled in integers from the exact minor units (the largest bar is `barWidthMax`; a
  /// negative total draws no bar but keeps its label).
  static func chart(_ earnings: Earnings, format: (Money) -> String) -> [String: Any] {
    var totals: [String: Int64] = [:]
    for period in earnings.periods {
      for market in period.markets {
        let (sum, overflow) = (totals[market.market] ?? 0).addingReportingOverflow(
          market.commission.display.minorUnits)
        totals[market.market] = overflow ? Int64.max : sum
      }
    }
    let markets = totals.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    let largest = markets.first.map { max($0.value, 0) } ?? 0
    let bars: [[String: Any]] = markets.enumerated().map { index, market in
      let top = index * (barHeight + barGap)
      return [
        "market": market.key, "y": top, "textY": top + barHeight - 6,
        "width": barWidth(market.value, largest: largest), "x": chartLabelWidth,
        "label": format(Money(minorUnits: market.value, currency: earnings.displayCurrency)),
      ]
    }
    return [
      "bars": bars, "height": max(markets.count * (barHeight + barGap), barHeight),
      "width": chartLabelWidth + Int(barWidthMax) + 160, "labelX": chartLabelWidth + Int(barWidthMax) + 8,
      "isEmpty": markets.isEmpty,
    ]
  }

  /// `value / largest × barWidthMax`, rounded down, through a 128-bit product: exact for any
  /// Int64 minor units.
  static func barWidth(_ value: Int64, largest: Int64) -> Int64 {
    guard value > 0, largest > 0 else { return 0 }
    let product = value.multipliedFullWidth(by: barWidthMax)
    return largest.dividingFullWidth(product).quotient
  }
}

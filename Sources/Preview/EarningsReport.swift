public import Ledger
import Money
public import Rates
import Dates

/// An affiliate's earnings from the ledger, shown in a currency of its choice: the model behind
/// `settle preview` and the server's earnings API and page.
public enum EarningsReport {
  /// Builds an affiliate's earnings in `currencyCode` at the latest ECB publication in `rates`.
  ///
  /// Every display amount is converted exactly (`Conversion`: one 128-bit multiplication and
  /// one division) from its own settlement currency and rounded once, half-even. A period's total
  /// is its markets' settlement commissions summed first and then converted once.
  /// - Throws: `EarningsError` for an unknown currency or affiliate, or a currency the latest
  ///   publication does not list; `LedgerError` when the ledger cannot be read; `MoneyError` when
  ///   an amount does not fit in 64 bits of minor units.
  public static func earnings(affiliateID: String, currencyCode: String, ledger: Ledger, rates: RateTable) throws
    -> Earnings
  {
    let displayCurrency: Currency
    do {
      displayCurrency = try Currency(code: currencyCode)
    } catch {
      throw EarningsError.unknownCurrency(currencyCode)
    }
    guard let publicationDay = rates.lastDay else {
      preconditionFailure("a rate table always holds a publication")
    }
    guard rates.rate(displayCurrency, publicationIndex: rates.publications.count - 1) != nil else {
      throw EarningsError.notPublished(currency: displayCurrency.code, day: publicationDay)
    }
    let history = try ledger.history(of: affiliateID)
    guard history.isKnown else { throw EarningsError.unknownAffiliate(affiliateID) }
    var converter = DisplayConverter(rates: rates, displayCurrency: displayCurrency, publicationDay: publicationDay)
    let settlementCurrency = settlementCurrency(of: history)
    let rated = try converter.conversion(from: settlementCurrency)
    let periods = try periodEarnings(history, converter: &converter)
    let balance =
      history.balances.first { $0.currency == settlementCurrency } ?? Money.zero(settlementCurrency)
    return Earnings(
      affiliateID: affiliateID, settlementCurrency: settlementCurrency, displayCurrency: displayCurrency,
      rateFrom: rated.rateFrom, rateTo: rated.rateTo, publicationDay: publicationDay, periods: periods,
      balance: try converter.amount(balance))
  }

  /// The latest period's settlement currency; for an affiliate with only a balance, the balance's.
  static func settlementCurrency(of history: Ledger.AffiliateHistory) -> Currency {
    let latestCommission = history.commissions.last
    let latestPayout = history.payouts.last
    if let commission = latestCommission, latestPayout.map({ $0.period <= commission.period }) ?? true {
      return commission.commission.currency
    }
    if let payout = latestPayout { return payout.settlementAmount.currency }
    guard let balance = history.balances.first else {
      preconditionFailure("a known affiliate has a commission, a payout or a balance")
    }
    return balance.currency
  }

  /// Groups commissions and payouts by period, ascending, in one pass over both: the ledger gives
  /// commissions by period then market, and payouts by period.
  static func periodEarnings(_ history: Ledger.AffiliateHistory, converter: inout DisplayConverter) throws
    -> [PeriodEarnings]
  {
    let commissions = history.commissions
    let payouts = history.payouts
    var periods: [PeriodEarnings] = []
    var commissionStart = commissions.startIndex
    var payoutStart = payouts.startIndex
    while commissionStart < commissions.endIndex || payoutStart < payouts.endIndex {
      let month = min(
        commissionStart < commissions.endIndex ? commissions[commissionStart].period : payouts[payoutStart].period,
        payoutStart < payouts.endIndex ? payouts[payoutStart].period : commissions[commissionStart].period)
      precondition(periods.last.map { $0.period < month } ?? true, "the ledger gives an affiliate's rows by period")
      var commissionEnd = commissionStart
      while commissionEnd < commissions.endIndex && commissions[commissionEnd].period == month { commissionEnd += 1 }
      var payoutEnd = payoutStart
      while payoutEnd < payouts.endIndex && payouts[payoutEnd].period == month { payoutEnd += 1 }
      periods.append(
        try period(
          month, commissions[commissionStart..<commissionEnd], payouts[payoutStart..<payoutEnd], converter: &converter))
      commissionStart = commissionEnd
      payoutStart = payoutEnd
    }
    return periods
  }

  /// One period's markets (by market code), total and payouts (by reference).
  static func period(
    _ month: Month, _ commissions: ArraySlice<Ledger.MarketCommission>, _ payouts: ArraySlice<Ledger.AffiliatePayout>,
    converter: inout DisplayConverter
  ) throws -> PeriodEarnings {
    // A period with payouts but no commission of its own (a balance carried and paid) is closed:
    // the ledger instructs payouts only when it closes a period.
    let isOpen = commissions.contains { !$0.isClosed }
    let currency = commissions.first?.commission.currency ?? payouts.first?.settlementAmount.currency
    var total = Money.zero(currency ?? converter.displayCurrency)
    var markets: [MarketEarnings] = []
    markets.reserveCapacity(commissions.count)
    for commission in commissions.sorted(by: { $0.market < $1.market }) {
      total = try total.adding(commission.commission)
      markets.append(
        MarketEarnings(
          market: commission.market, orders: commission.orders, commission: try converter.amount(commission.commission))
      )
    }
    return PeriodEarnings(
      period: month, status: isOpen ? .open : .closed, markets: markets, total: try converter.amount(total),
      payouts: try payouts.sorted(by: { $0.reference < $1.reference }).map { payout in
        PayoutEarnings(
          reference: payout.reference, method: payout.method, state: payout.state,
          amount: try converter.amount(payout.settlementAmount), paid: payout.payoutAmount)
      })
  }
}

/// Converts settlement amounts into the display currency at one publication, one exact conversion
/// per settlement currency.
struct DisplayConverter {
  let rates: RateTable
  let displayCurrency: Currency
  let publicationDay: Day
  private var conversions: [Currency: RatedConversion] = [:]
  /// The conversion used last: an affiliate's amounts are nearly all in one settlement currency.
  private var latest: RatedConversion?

  init(rates: RateTable, displayCurrency: Currency, publicationDay: Day) {
    self.rates = rates
    self.displayCurrency = displayCurrency
    self.publicationDay = publicationDay
  }

  /// The conversion from `source`, both rates from the publication of `publicationDay`.
  /// - Throws: `EarningsError.notPublished` when the publication has no rate for a currency.
  mutating func conversion(from source: Currency) throws -> RatedConversion {
    if let latest, latest.conversion.source == source { return latest }
    if let known = conversions[source] {
      latest = known
      return known
    }
    let rated: RatedConversion
    do {
      rated = try rates.conversion(from: source, to: displayCurrency, on: publicationDay)
    } catch {
      if case .currencyNotPublished(_, let currency, _) = error.kind {
        throw EarningsError.notPublished(currency: currency.code, day: publicationDay)
      }
      throw error
    }
    precondition(rated.publicationDay == publicationDay, "conversion for \(publicationDay) used another day")
    conversions[source] = rated
    latest = rated
    return rated
  }

  /// `money` and `money` converted, rounded once half-even.
  mutating func amount(_ money: Money) throws -> Amount {
    let display = try conversion(from: money.currency).conversion.convert(money, rounding: .halfEven)
    return Amount(settlement: money, display: display)
  }
}

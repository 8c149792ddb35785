import Dates
import Ledger
import Money
import Preview
import Rates
import Testing

/// Every display amount checked against a reference written apart from `Conversion`: the exact
/// quotient in Int128 with the scales spelled out, rounded half-even by hand.
@Suite struct ConversionTests {
  /// Hand-picked rates (`PreviewFixtures.displayRates`): units per EUR, as significand and scale.
  static let rates: [String: (significand: Int128, scale: Int)] = [
    "USD": (11172, 4), "JPY": (17568, 2), "KWD": (34213, 5), "EUR": (1, 0),
  ]

  /// `minorUnits` of `source` in minor units of `target`, rounded once half-even.
  static func reference(_ minorUnits: Int64, from source: Currency, to target: Currency) -> Int64 {
    guard let from = rates[source.code], let to = rates[target.code] else { return Int64.min }
    // target minor = source minor × 10^-sourceDigits × (to / 10^toScale) ÷ (from / 10^fromScale) × 10^targetDigits
    var numerator = Int128(minorUnits) * to.significand
    var denominator = from.significand
    let exponent = Int(target.minorUnits) + from.scale - Int(source.minorUnits) - to.scale
    for _ in 0..<abs(exponent) {
      if exponent > 0 { numerator *= 10 } else { denominator *= 10 }
    }
    var quotient = numerator / denominator
    let remainder = numerator % denominator
    let twiceRemainder = 2 * abs(remainder)
    if twiceRemainder > denominator || (twiceRemainder == denominator && quotient % 2 != 0) {
      quotient += numerator < 0 ? -1 : 1
    }
    return Int64(quotient)
  }

  static func amounts(_ earnings: Earnings) -> [Amount] {
    var amounts = [earnings.balance]
    for period in earnings.periods {
      amounts.append(period.total)
      amounts += period.markets.map(\.commission) + period.payouts.map(\.amount)
    }
    return amounts
  }

  /// Zero, two and three minor digits, and the settlement currency itself.
  @Test(arguments: ["JPY", "EUR", "KWD", "USD"])
  func everyDisplayAmountMatchesTheReference(code: String) throws {
    let earnings = try EarningsTests.earnings(try EarningsTests.twoMonths(), in: code)
    #expect(earnings.displayCurrency.code == code)
    #expect(earnings.rateFrom == FixedDecimal(significand: 11172, scale: 4))
    let amounts = ConversionTests.amounts(earnings)
    #expect(amounts.count == 8)  // balance; September's total, 2 markets, payout; October's total, 2 markets
    for amount in amounts {
      #expect(amount.settlement.currency.code == "USD")
      #expect(amount.display.currency.code == code)
      #expect(
        amount.display.minorUnits
          == ConversionTests.reference(
            amount.settlement.minorUnits, from: try Currency(code: "USD"), to: earnings.displayCurrency))
    }
  }

  /// The figures themselves, September then October: markets by code, then the total.
  @Test func exactFiguresInThreeCurrencies() throws {
    let treasury = try EarningsTests.twoMonths()
    let expected: [String: [[Int64]]] = [
      // DE 1.95, US 15.00, total 16.95 | BR 22.50, US 1.00, total 23.50 (USD)
      "JPY": [[307, 2359, 2665], [3538, 157, 3695]],
      "EUR": [[175, 1343, 1517], [2014, 90, 2103]],
      "KWD": [[597, 4594, 5191], [6890, 306, 7197]],
    ]
    for (code, periods) in expected {
      let earnings = try EarningsTests.earnings(treasury, in: code)
      let figures = earnings.periods.map {
        $0.markets.map(\.commission.display.minorUnits) + [$0.total.display.minorUnits]
      }
      #expect(figures == periods, "\(code)")
      #expect(earnings.periods.map(\.total.settlement.minorUnits) == [1695, 2350])
      #expect(earnings.periods.map(\.markets).map { $0.map(\.market) } == [["DE", "US"], ["BR", "US"]])
      #expect(earnings.periods.map(\.markets).map { $0.map(\.orders) } == [[1, 2], [1, 1]])
      #expect(earnings.periods.map(\.status) == [.closed, .open])
      #expect(earnings.periods.map(\.period.description) == ["2026-09", "2026-10"])
      #expect(earnings.publicationDay == (try Day("2026-10-30")))
    }
  }

  /// A period's total is its settlement sum converted once: in JPY and EUR that is one minor unit
  /// below the sum of the converted markets (¥2,359 + ¥307 = ¥2,666, but 16.95 USD is ¥2,665).
  @Test func totalIsTheConvertedSumNotTheSumOfConvertedParts() throws {
    let treasury = try EarningsTests.twoMonths()
    for (code, partsSum, total) in [("JPY", Int64(2666), Int64(2665)), ("EUR", 1518, 1517), ("KWD", 5191, 5191)] {
      let september = try #require(try EarningsTests.earnings(treasury, in: code).periods.first)
      #expect(september.markets.map(\.commission.display.minorUnits).reduce(0, +) == partsSum, "\(code)")
      #expect(september.total.display.minorUnits == total, "\(code)")
      #expect(
        september.total.display.minorUnits
          == ConversionTests.reference(
            september.total.settlement.minorUnits, from: try Currency(code: "USD"), to: september.total.display.currency
          ))
    }
  }

  @Test func paidAffiliateHasAPayoutAndNoBalance() throws {
    let earnings = try EarningsTests.earnings(try EarningsTests.twoMonths(), "A2", in: "EUR")
    #expect(earnings.periods.count == 1)
    let september = try #require(earnings.periods.first)
    #expect(september.markets.map(\.commission.settlement.minorUnits) == [400])
    #expect(september.payouts.map(\.state) == ["instructed"])
    #expect(september.payouts.map(\.method) == ["payoneer"])
    #expect(september.payouts.map(\.amount.display.minorUnits) == [358])
    #expect(september.payouts.map(\.paid) == [Money(minorUnits: 400, currency: try Currency(code: "USD"))])
    #expect(earnings.balance.settlement == Money(minorUnits: 0, currency: try Currency(code: "USD")))
    #expect(earnings.balance.display.minorUnits == 0)
  }

  // MARK: Failing twins

  @Test func unknownAffiliate_Fails() throws {
    let treasury = try EarningsTests.twoMonths()
    #expect(throws: EarningsError.unknownAffiliate("A3")) { try EarningsTests.earnings(treasury, "A3", in: "JPY") }
    // The id is compared exactly: no trimming, no case folding.
    #expect(throws: EarningsError.unknownAffiliate("a1")) { try EarningsTests.earnings(treasury, "a1", in: "JPY") }
    let empty = try PreviewTreasury()
    #expect(throws: EarningsError.unknownAffiliate("A1")) { try EarningsTests.earnings(empty, "A1", in: "JPY") }
  }

  @Test func unknownOrUnpublishedCurrency_Fails() throws {
    let treasury = try EarningsTests.twoMonths()
    for code in ["XYZ", "jpy", "", "JPYY"] {
      #expect(throws: EarningsError.unknownCurrency(code)) { try EarningsTests.earnings(treasury, in: code) }
    }
    // CHF is ISO 4217, but not in the hand-picked publication.
    #expect(throws: EarningsError.notPublished(currency: "CHF", day: try Day("2026-10-30"))) {
      try EarningsTests.earnings(treasury, in: "CHF")
    }
  }

  @Test func errorsSayWhatIsWrongInOneLine() throws {
    #expect(
      EarningsError.unknownAffiliate("A3").description
        == "no earnings for affiliate \"A3\": the ledger has no commission, payout or balance for it")
    #expect(EarningsError.unknownCurrency("XYZ").description == "currency \"XYZ\" is not an ISO 4217 code")
    #expect(
      EarningsError.notPublished(currency: "KWD", day: try Day("2026-10-30")).description
        == "the ECB publication of 2026-10-30 has no rate for KWD")
  }
}

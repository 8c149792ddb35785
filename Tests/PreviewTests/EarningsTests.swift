import Dates
import Ledger
import Money
import Preview
import Rates
import Testing

/// Earnings from a real ledger: September closed and paid, October open with a provisional run.
@Suite struct EarningsTests {
  typealias Order = PreviewFixtures.Order

  /// A1 earns 15.00 USD in US and 1.95 USD in DE in September (closed, paid by Payoneer), then
  /// 1.00 USD in US and 22.50 USD in BR in October (open, provisional). A2 earns 4.00 USD in September.
  static func twoMonths() throws -> PreviewTreasury {
    let treasury = try PreviewTreasury()
    try treasury.payouts(
      "2026-09",
      [
        Order(id: "O-1", affiliate: "A1", amount: "100.00", country: "US", day: "2026-09-03"),
        Order(id: "O-2", affiliate: "A1", amount: "50.00", country: "US", day: "2026-09-17"),
        Order(id: "O-3", affiliate: "A1", amount: "19.50", country: "DE", day: "2026-09-20"),
        Order(id: "O-4", affiliate: "A2", amount: "40.00", country: "US", day: "2026-09-21"),
      ], affiliates: ["A1", "A2"])
    try treasury.provisional(
      "2026-10",
      [
        Order(id: "O-5", affiliate: "A1", amount: "10.00", country: "US", day: "2026-10-05"),
        Order(id: "O-6", affiliate: "A1", amount: "250.00", country: "BR", day: "2026-10-12"),
      ], recordedAt: "2026-10-25T08:00:00Z")
    return treasury
  }

  static func earnings(_ treasury: PreviewTreasury, _ affiliateID: String = "A1", in code: String) throws -> Earnings {
    try EarningsReport.earnings(
      affiliateID: affiliateID, currencyCode: code, ledger: treasury.ledger, rates: try PreviewFixtures.displayRates())
  }

  /// The API body, byte for byte: JPY has no minor digits, USD two.
  @Test func jsonOfTwoMonthsInJPY() throws {
    let earnings = try EarningsTests.earnings(try EarningsTests.twoMonths(), in: "JPY")
    let september =
      #"{"period": "2026-09", "status": "closed", "total": {"settlement": "16.95", "display": "2665"}, "#
      + #""markets": [{"market": "DE", "orders": 1, "commission": {"settlement": "1.95", "display": "307"}}, "#
      + #"{"market": "US", "orders": 2, "commission": {"settlement": "15.00", "display": "2359"}}], "#
      + #""payouts": [{"reference": "ST2609CB64189E3384", "method": "payoneer", "state": "instructed", "#
      + #""amount": {"settlement": "16.95", "display": "2665"}, "paid": {"amount": "16.95", "currency": "USD"}}]}"#
    let october =
      #"{"period": "2026-10", "status": "open", "total": {"settlement": "23.50", "display": "3695"}, "#
      + #""markets": [{"market": "BR", "orders": 1, "commission": {"settlement": "22.50", "display": "3538"}}, "#
      + #"{"market": "US", "orders": 1, "commission": {"settlement": "1.00", "display": "157"}}], "payouts": []}"#
    #expect(
      EarningsReport.json(earnings)
        == #"{"affiliate_id": "A1", "currency": "JPY", "settlement_currency": "USD", "#
        + #""rate": {"publication_day": "2026-10-30", "settlement_per_eur": "1.1172", "display_per_eur": "175.68"}, "#
        + #""periods": [\#(september), \#(october)], "balance": {"settlement": "0.00", "display": "0"}}"#)
  }

  @Test func textOfTwoMonthsInJapanese() throws {
    let earnings = try EarningsTests.earnings(try EarningsTests.twoMonths(), in: "JPY")
    #expect(
      EarningsReport.text(earnings, locale: "ja_JP") == """
        Affiliate A1: earnings in JPY, settled in USD
        2026-09 (closed)
          DE: 1 order, commission $1.95 = ¥307
          US: 2 orders, commission $15.00 = ¥2,359
          Total: $16.95 = ¥2,665
          Payout ST2609CB64189E3384 by payoneer, instructed: $16.95 = ¥2,665 (instructed as $16.95)
        2026-10 (open: provisional, may change)
          BR: 1 order, commission $22.50 = ¥3,538
          US: 1 order, commission $1.00 = ¥157
          Total: $23.50 = ¥3,695
        Balance carried: $0.00 = ¥0
        Rate: 1 EUR = 1.1172 USD = 175.68 JPY (ECB publication of 2026-10-30)

        """)
  }

  @Test func unknownCurrency_Fails() throws {
    let treasury = try PreviewTreasury()
    #expect(throws: EarningsError.unknownCurrency("XYZ")) {
      try EarningsReport.earnings(
        affiliateID: "A1", currencyCode: "XYZ", ledger: treasury.ledger, rates: try PreviewFixtures.displayRates())
    }
  }
}

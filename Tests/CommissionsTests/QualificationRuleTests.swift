import Commissions
import Testing

/// Which orders belong to the period and which of them earn commission: each rule with an order
/// just inside it, and the boundaries on both sides. The default order is a new US buyer paying
/// 100.00 USD on Friday 2026-10-02, so a qualifying one pays 10.00.
@Suite struct QualificationRuleTests {
  static let order = Order()

  @Test func theDefaultOrderQualifies() throws {
    #expect(
      try SettlementFixtures.auditLine(of: QualificationRuleTests.order) == "2,O1,A1,qualified,,2026-10-02,100.00,10.00"
    )
  }

  // MARK: The period

  @Test(arguments: [
    // The first second of October is in; the last second of September is out.
    ("2026-10-01T00:00:00Z", "2026-09-30T12:00:00Z", "qualified,,2026-10-01,100.00,10.00"),
    ("2026-09-30T23:59:59Z", "2026-09-30T12:00:00Z", "out_of_period,,,,"),
    ("2026-09-30T23:59:59.999999999Z", "2026-09-30T12:00:00Z", "out_of_period,,,,"),
    // The last second of October is in; the first second of November is out.
    ("2026-10-31T23:59:59Z", "2026-10-20T00:00:00Z", "qualified,,2026-10-30,100.00,10.00"),
    ("2026-10-31T23:59:59.999999999Z", "2026-10-20T00:00:00Z", "qualified,,2026-10-30,100.00,10.00"),
    ("2026-11-01T00:00:00Z", "2026-10-20T00:00:00Z", "out_of_period,,,,"),
    // Offsets are normalised to UTC: 1 a.m. on 1 November in UTC+2 is 23:00 on 31 October.
    ("2026-11-01T01:00:00+02:00", "2026-10-20T00:00:00Z", "qualified,,2026-10-30,100.00,10.00"),
    ("2026-11-01T02:00:00+02:00", "2026-10-20T00:00:00Z", "out_of_period,,,,"),
    // …and 1 a.m. on 1 October in UTC+2 is 23:00 on 30 September.
    ("2026-10-01T01:00:00+02:00", "2026-09-30T12:00:00Z", "out_of_period,,,,"),
    ("2026-10-01T02:00:00+02:00", "2026-09-30T12:00:00Z", "qualified,,2026-10-01,100.00,10.00"),
    // A negative offset pushes an evening order into the next UTC day and month.
    ("2026-09-30T22:00:00-02:00", "2026-09-30T12:00:00Z", "qualified,,2026-10-01,100.00,10.00"),
    ("2026-09-30T21:59:59-02:00", "2026-09-30T12:00:00Z", "out_of_period,,,,"),
  ])
  func anOrderBelongsToTheMonthOfItsUTCInstant(orderedAt: String, clickedAt: String, expected: String) throws {
    let order = QualificationRuleTests.order.with {
      $0.orderedAt = orderedAt
      $0.clickedAt = clickedAt
    }
    #expect(try SettlementFixtures.auditLine(of: order) == "2,O1,A1," + expected)
  }

  /// The same instant, written in UTC+2, is September's in September and not October's.
  @Test func anOffsetOrderSettlesInTheMonthOfItsUTCDayAtThatDaysRate() throws {
    let order = QualificationRuleTests.order.with {
      $0.orderedAt = "2026-10-01T01:00:00+02:00"
      $0.clickedAt = "2026-09-30T12:00:00Z"
      $0.amount = "100.00"
      $0.currency = "EUR"
    }
    // 100.00 EUR at 1.1355 USD per EUR (2026-09-30) is 113.55 USD; 10 % is 11.355, a tie rounded to even.
    #expect(
      try SettlementFixtures.auditLine(of: order, period: "2026-09") == "2,O1,A1,qualified,,2026-09-30,113.55,11.36")
    #expect(try SettlementFixtures.auditLine(of: order, period: "2026-10") == "2,O1,A1,out_of_period,,,,")
  }

  /// Out of the period comes first: a refunded order of another month is out of period, not refunded.
  @Test func theRulesApplyOnlyWithinThePeriod() throws {
    let order = QualificationRuleTests.order.with {
      $0.status = "refunded"
      $0.buyerCountry = "CN"
      $0.orderedAt = "2026-11-02T12:00:00Z"
    }
    #expect(try SettlementFixtures.auditLine(of: order) == "2,O1,A1,out_of_period,,,,")
    #expect(
      try SettlementFixtures.auditLine(of: order, period: "2026-11") == "2,O1,A1,not_qualified,status_not_completed,,,")
  }

  // MARK: The rules, each with an order just inside it

  @Test(arguments: ["refunded", "cancelled", "pending"])
  func onlyCompletedOrdersQualify(status: String) throws {
    let order = QualificationRuleTests.order.with { $0.status = status }
    #expect(try SettlementFixtures.auditLine(of: order) == "2,O1,A1,not_qualified,status_not_completed,,,")
    let completed = order.with { $0.status = "completed" }
    #expect(try SettlementFixtures.auditLine(of: completed) == "2,O1,A1,qualified,,2026-10-02,100.00,10.00")
  }

  @Test(arguments: [("CN", "HK"), ("IN", "PK"), ("NG", "GH")])
  func excludedBuyerCountriesEarnNothing(excluded: String, neighbour: String) throws {
    let order = QualificationRuleTests.order.with { $0.buyerCountry = excluded }
    #expect(try SettlementFixtures.auditLine(of: order) == "2,O1,A1,not_qualified,excluded_country,,,")
    // A neighbour is in the other market: 9 % for a new buyer.
    let allowed = order.with { $0.buyerCountry = neighbour }
    #expect(try SettlementFixtures.auditLine(of: allowed) == "2,O1,A1,qualified,,2026-10-02,100.00,9.00")
  }

  @Test(arguments: [("weapons", "weapon"), ("tobacco", "tobacco-free")])
  func excludedCategoriesEarnNothing(excluded: String, allowed: String) throws {
    let order = QualificationRuleTests.order.with { $0.category = excluded }
    #expect(try SettlementFixtures.auditLine(of: order) == "2,O1,A1,not_qualified,excluded_category,,,")
    let other = order.with { $0.category = allowed }
    #expect(try SettlementFixtures.auditLine(of: other) == "2,O1,A1,qualified,,2026-10-02,100.00,10.00")
  }

  @Test func anOrderBeforeItsClickEarnsNothing() throws {
    let before = QualificationRuleTests.order.with {
      $0.clickedAt = "2026-10-02T12:00:01Z"
      $0.orderedAt = "2026-10-02T12:00:00Z"
    }
    #expect(try SettlementFixtures.auditLine(of: before) == "2,O1,A1,not_qualified,order_before_click,,,")
    let oneNanosecondBefore = before.with { $0.clickedAt = "2026-10-02T12:00:00.000000001Z" }
    #expect(try SettlementFixtures.auditLine(of: oneNanosecondBefore) == "2,O1,A1,not_qualified,order_before_click,,,")
    // Ordered in the same instant as the click (written in another offset) qualifies.
    let sameInstant = before.with { $0.clickedAt = "2026-10-02T14:00:00+02:00" }
    #expect(try SettlementFixtures.auditLine(of: sameInstant) == "2,O1,A1,qualified,,2026-10-02,100.00,10.00")
  }

  @Test(arguments: [
    ("2026-10-31T00:00:00Z", "qualified,,2026-10-30,100.00,10.00"),  // exactly 30 × 24 h
    ("2026-10-31T02:00:00+02:00", "qualified,,2026-10-30,100.00,10.00"),  // the same instant
    ("2026-10-31T00:00:00.000000001Z", "not_qualified,attribution_expired,,,"),
    ("2026-10-31T00:00:01Z", "not_qualified,attribution_expired,,,"),
    ("2026-10-30T23:59:59.999999999Z", "qualified,,2026-10-30,100.00,10.00"),
  ])
  func theAttributionWindowIsThirtyTimesTwentyFourHours(orderedAt: String, expected: String) throws {
    let order = QualificationRuleTests.order.with {
      $0.clickedAt = "2026-10-01T00:00:00Z"
      $0.orderedAt = orderedAt
    }
    #expect(try SettlementFixtures.auditLine(of: order) == "2,O1,A1," + expected)
  }

  /// The window is hours, not calendar days: a click across the end of daylight saving time
  /// in an offset timestamp still counts 30 × 24 h in UTC.
  @Test func theWindowIsMeasuredBetweenInstants() throws {
    let order = QualificationRuleTests.order.with {
      $0.clickedAt = "2026-10-01T02:00:00+02:00"  // 2026-10-01T00:00:00Z
      $0.orderedAt = "2026-10-30T23:00:00-01:00"  // 2026-10-31T00:00:00Z
    }
    #expect(try SettlementFixtures.auditLine(of: order) == "2,O1,A1,qualified,,2026-10-30,100.00,10.00")
    let oneSecondLater = order.with { $0.orderedAt = "2026-10-30T23:00:01-01:00" }
    #expect(try SettlementFixtures.auditLine(of: oneSecondLater) == "2,O1,A1,not_qualified,attribution_expired,,,")
  }

  /// An order failing several rules gets the first reason in the order the rules are checked.
  @Test func theFirstFailingRuleIsTheReason() throws {
    let everything = QualificationRuleTests.order.with {
      $0.status = "pending"
      $0.buyerCountry = "CN"
      $0.category = "weapons"
      $0.clickedAt = "2026-10-03T00:00:00Z"
    }
    #expect(try SettlementFixtures.auditLine(of: everything) == "2,O1,A1,not_qualified,status_not_completed,,,")
    let completed = everything.with { $0.status = "completed" }
    #expect(try SettlementFixtures.auditLine(of: completed) == "2,O1,A1,not_qualified,excluded_country,,,")
    let allowedCountry = completed.with { $0.buyerCountry = "US" }
    #expect(try SettlementFixtures.auditLine(of: allowedCountry) == "2,O1,A1,not_qualified,excluded_category,,,")
    let allowedCategory = allowedCountry.with { $0.category = "toys" }
    #expect(try SettlementFixtures.auditLine(of: allowedCategory) == "2,O1,A1,not_qualified,order_before_click,,,")
    let expired = allowedCategory.with { $0.clickedAt = "2026-09-01T00:00:00Z" }
    #expect(try SettlementFixtures.auditLine(of: expired) == "2,O1,A1,not_qualified,attribution_expired,,,")
    let inWindow = expired.with { $0.clickedAt = "2026-09-02T12:00:00Z" }
    #expect(try SettlementFixtures.auditLine(of: inWindow) == "2,O1,A1,qualified,,2026-10-02,100.00,10.00")
  }

  // MARK: Markets

  @Test(arguments: ["US", "CA", "MX", "GB", "DE", "FR", "AU", "NL"])
  func coreMarketsPayTenPercentNewAndSixReturning(country: String) throws {
    let new = QualificationRuleTests.order.with { $0.buyerCountry = country }
    let returning = new.with {
      $0.orderID = "O2"
      $0.buyerType = "returning"
    }
    let run = try SettlementFixtures.settle([new, returning])
    #expect(
      run.auditRows == ["2,O1,A1,qualified,,2026-10-02,100.00,10.00", "3,O2,A1,qualified,,2026-10-02,100.00,6.00"])
    #expect(run.commissionRows == ["A1,\(country),2,200.00,16.00,USD"])
  }

  @Test(arguments: ["BR", "JP", "ZA", "CH", "IE", "ES", "IT", "BE", "AT", "SG", "AE", "NZ"])
  func everyOtherMarketPaysNineNewAndFiveReturning(country: String) throws {
    let new = QualificationRuleTests.order.with { $0.buyerCountry = country }
    let returning = new.with {
      $0.orderID = "O2"
      $0.buyerType = "returning"
    }
    let run = try SettlementFixtures.settle([new, returning])
    #expect(
      run.auditRows == ["2,O1,A1,qualified,,2026-10-02,100.00,9.00", "3,O2,A1,qualified,,2026-10-02,100.00,5.00"])
    #expect(run.commissionRows == ["A1,\(country),2,200.00,14.00,USD"])
  }

  /// The market is the buyer's country, whatever the currency paid in.
  @Test func theMarketIsTheBuyerCountryNotTheCurrency() throws {
    let orders = [
      QualificationRuleTests.order.with {
        $0.buyerCountry = "BR"
        $0.currency = "EUR"
        $0.amount = "10.00"
      },
      QualificationRuleTests.order.with {
        $0.orderID = "O2"
        $0.buyerCountry = "DE"
        $0.currency = "EUR"
        $0.amount = "10.00"
      },
    ]
    // 10.00 EUR is 11.225 USD at 1.1225, a tie rounded to even: 11.22. 9 % is 1.01025, 10 % 1.1225.
    let run = try SettlementFixtures.settle(orders)
    #expect(run.commissionRows == ["A1,BR,1,11.22,1.01,USD", "A1,DE,1,11.22,1.12,USD"])
  }

  /// Lines are sorted by affiliate id, byte by byte, then market; totals are sums of the rounded figures.
  @Test func commissionLinesAreSortedAndSummedFromRoundedFigures() throws {
    let orders = [
      Order(orderID: "O1", affiliateID: "b", buyerCountry: "US"),
      Order(orderID: "O2", affiliateID: "B", buyerCountry: "US"),
      Order(orderID: "O3", affiliateID: "A10", buyerCountry: "GB"),
      Order(orderID: "O4", affiliateID: "A10", buyerCountry: "DE"),
      Order(orderID: "O5", affiliateID: "A2", buyerCountry: "US"),
      // Three times 10.04 GBP: each is 13.25 USD (13.2535…), so the line is 39.75, not 39.76.
      Order(orderID: "O6", affiliateID: "A1", amount: "10.04", currency: "GBP"),
      Order(orderID: "O7", affiliateID: "A1", amount: "10.04", currency: "GBP"),
      Order(orderID: "O8", affiliateID: "A1", amount: "10.04", currency: "GBP"),
    ]
    let run = try SettlementFixtures.settle(orders)
    #expect(
      run.commissionRows == [
        "A1,US,3,39.75,3.99,USD", "A10,DE,1,100.00,10.00,USD", "A10,GB,1,100.00,10.00,USD", "A2,US,1,100.00,10.00,USD",
        "B,US,1,100.00,10.00,USD", "b,US,1,100.00,10.00,USD",
      ])
    #expect(run.summary.totalSales == 539_75)
    #expect(run.summary.totalCommission == 53_99)
  }

  /// A program without an `every_other` market pays nothing for an unlisted country.
  @Test func aCountryInNoMarketEarnsNothing() throws {
    let program = try Program.parse(
      Array(
        """
        name: Core only
        settlement_currency: USD
        attribution_window_days: 30
        markets:
          - name: core
            countries: [US, CA]
            percentage: {new: 10, returning: 6}

        """.utf8), source: "core.yaml")
    let unlisted = QualificationRuleTests.order.with { $0.buyerCountry = "BR" }
    #expect(try SettlementFixtures.auditLine(of: unlisted, program: program) == "2,O1,A1,not_qualified,no_market,,,")
    let listed = unlisted.with { $0.buyerCountry = "CA" }
    #expect(
      try SettlementFixtures.auditLine(of: listed, program: program) == "2,O1,A1,qualified,,2026-10-02,100.00,10.00")
  }
}

/// A click centuries before the order: the window rule must still answer, not overflow.
@Suite struct AttributionWindowRangeTests {
  struct WrongAuditLine: Error {}

  /// 226 years between click and order is 7.1 × 10¹⁸ ns, inside 64 bits: expired.
  @Test func aClickTwoCenturiesBeforeTheOrderHasExpired() throws {
    let order = Order(clickedAt: "1800-01-01T00:00:00Z")
    #expect(try SettlementFixtures.auditLine(of: order) == "2,O1,A1,not_qualified,attribution_expired,,,")
  }

  /// 327 years is 1.03 × 10¹⁹ ns: `ordered − clicked` does not fit in Int64 nanoseconds, and the
  /// order is `attribution_expired` like any other late one. Run in a child process, so that a
  /// regression that traps fails this test instead of ending the suite.
  @Test func aClickThreeCenturiesBeforeTheOrderHasExpired() async {
    await #expect(processExitsWith: .success) {
      let order = Order(clickedAt: "1700-01-01T00:00:00Z")
      guard try SettlementFixtures.auditLine(of: order) == "2,O1,A1,not_qualified,attribution_expired,,," else {
        throw WrongAuditLine()
      }
    }
  }
}

import Commissions
import Money
import Rates
import Testing

/// How qualifying orders convert: the rate of the order's UTC day under the 7-day rule, each
/// figure rounded once half-even from its exact value, and the run stopped when a day has no rate.
@Suite struct SettlementConversionTests {
  /// The ECB publication of Friday 2026-10-02, as printed in `rates/eurofxref-hist.xml`.
  static let ratesOf20261002: [(currency: String, rate: String, minorUnits: Int)] = [
    ("EUR", "1", 2), ("USD", "1.1225", 2), ("JPY", "176.99", 0), ("GBP", "0.85033", 2), ("ISK", "137", 0),
    ("CHF", "0.9279", 2), ("HUF", "369.18", 2), ("KRW", "1513.44", 0), ("IDR", "20149.32", 2), ("BRL", "5.861", 2),
    ("ZAR", "18.7839", 2),
  ]

  /// Amounts in minor units: the edges, and a spread from a fixed linear congruential sequence.
  static let minorUnitAmounts: [Int64] = {
    var amounts: [Int64] = [
      1, 2, 5, 49, 50, 51, 99, 100, 101, 1004, 12_345, 99_999, 100_000, 1_234_567, 98_765_432, 999_999_999_999,
    ]
    var state: UInt64 = 0x5E77_1E00
    for _ in 0..<24 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      amounts.append(Int64(state >> 40) % 10_000_000 + 1)
    }
    return amounts
  }()

  /// Every currency of the day × amount × market and buyer type, settled in `settlement`, against
  /// the independent Int128 reference.
  @Test(arguments: ["USD", "JPY", "EUR"])
  func everyFigureEqualsTheExactValueRoundedOnceHalfEven(settlement: String) throws {
    let program = try Program.alibaba.settling(in: try Currency(code: settlement))
    let rates = SettlementConversionTests.ratesOf20261002
    guard let target = rates.first(where: { $0.currency == settlement }) else {
      Issue.record("no rate for \(settlement)")
      return
    }
    let kinds: [(country: String, buyerType: String, percentage: String)] = [
      ("US", "new", "10"), ("US", "returning", "6"), ("BR", "new", "9"), ("BR", "returning", "5"),
    ]
    var orders: [Order] = []
    var expected: [String] = []
    for source in rates {
      for (index, minorUnits) in SettlementConversionTests.minorUnitAmounts.enumerated() {
        let kind = kinds[index % kinds.count]
        let amount = ExactReference.text(Int128(minorUnits), digits: source.minorUnits)
        let orderID = "\(source.currency)-\(index)"
        orders.append(
          Order(
            orderID: orderID, buyerCountry: kind.country, buyerType: kind.buyerType, amount: amount,
            currency: source.currency))
        let sales = ExactReference.converted(
          amount, rateFrom: source.rate, rateTo: target.rate, targetDigits: target.minorUnits)
        let commission = ExactReference.converted(
          amount, rateFrom: source.rate, rateTo: target.rate, percentage: kind.percentage,
          targetDigits: target.minorUnits)
        expected.append("\(orders.count + 1),\(orderID),A1,qualified,,2026-10-02,\(sales),\(commission)")
      }
    }
    let run = try SettlementFixtures.settle(orders, program: program)
    #expect(run.auditRows.count == expected.count)
    for (actual, wanted) in zip(run.auditRows, expected) {
      #expect(actual == wanted)
    }
  }

  /// The reference itself, against figures worked out with Python's decimal module.
  @Test func theReferenceAgreesWithHandWorkedFigures() {
    #expect(ExactReference.converted("50.00", rateFrom: "0.85033", rateTo: "1.1225", targetDigits: 2) == "66.00")
    #expect(
      ExactReference.converted("12800", rateFrom: "177.28", rateTo: "1.1204", percentage: "9", targetDigits: 2)
        == "7.28")
    #expect(ExactReference.converted("10.00", rateFrom: "1", rateTo: "1.1225", targetDigits: 2) == "11.22")
    #expect(ExactReference.converted("10.00", rateFrom: "1", rateTo: "1.1355", targetDigits: 2) == "11.36")
    #expect(ExactReference.converted("123.45", rateFrom: "1.1225", rateTo: "176.99", targetDigits: 0) == "19465")
    #expect(ExactReference.converted("0.01", rateFrom: "176.99", rateTo: "1", targetDigits: 2) == "0.00")
  }

  // MARK: Zero-decimal currencies

  @Test func zeroDecimalOrderCurrenciesConvertIntoCents() throws {
    let orders = [
      // 12800 JPY on Monday 2026-10-05: 12800 × 1.1204 ÷ 177.28 = 80.8953… USD; 9 % is 7.2805….
      Order(orderedAt: "2026-10-05T09:00:00+02:00", buyerCountry: "BR", amount: "12800", currency: "JPY"),
      // 5300 ISK on 2026-10-30: 5300 × 1.1172 ÷ 136 = 43.5379… USD; 5 % is 2.1768….
      Order(
        orderID: "O2", clickedAt: "2026-10-20T10:00:00Z", orderedAt: "2026-10-30T10:00:00Z", buyerCountry: "BR",
        buyerType: "returning", amount: "5300", currency: "ISK"),
    ]
    let run = try SettlementFixtures.settle(orders)
    #expect(run.auditRows == ["2,O1,A1,qualified,,2026-10-05,80.90,7.28", "3,O2,A1,qualified,,2026-10-30,43.54,2.18"])
    #expect(run.commissionRows == ["A1,BR,2,124.44,9.46,USD"])
  }

  @Test func aZeroDecimalSettlementCurrencyRoundsToWholeUnits() throws {
    let program = try Program.alibaba.settling(in: try Currency(code: "JPY"))
    let orders = [
      // 123.45 USD on Sunday 2026-10-04, at Friday's rates: 19464.958… JPY; 10 % is 1946.4958….
      Order(orderedAt: "2026-10-04T12:00:00Z", amount: "123.45"),
      // 5300 ISK on 2026-10-30, zero decimals to zero decimals: 6846.3529… JPY; 10 % is 684.635….
      Order(
        orderID: "O2", clickedAt: "2026-10-20T10:00:00Z", orderedAt: "2026-10-30T10:00:00Z", amount: "5300",
        currency: "ISK"),
      // 99.99 EUR on 2026-10-02 from Brazil: 17697.2301 JPY; 9 % is 1592.750709.
      Order(orderID: "O3", buyerCountry: "BR", amount: "99.99", currency: "EUR"),
    ]
    let run = try SettlementFixtures.settle(orders, program: program)
    #expect(
      run.auditRows == [
        "2,O1,A1,qualified,,2026-10-02,19465,1946", "3,O2,A1,qualified,,2026-10-30,6846,685",
        "4,O3,A1,qualified,,2026-10-02,17697,1593",
      ])
    #expect(run.commissionRows == ["A1,BR,1,17697,1593,JPY", "A1,US,2,26311,2631,JPY"])
    #expect(run.summaryJSON.contains(#""totals": {"currency": "JPY", "sales": "44008", "commission": "4224""#))
  }

  /// The failing twin of the zero-decimal cases: a fraction of a yen is refused, not rounded.
  @Test(arguments: [
    ("100.5", "JPY", "JPY has no minor unit, so no fraction digits are allowed"),
    ("1.0", "ISK", "ISK has no minor unit, so no fraction digits are allowed"),
    ("12.505", "USD", "USD allows at most 2 fraction digits"),
  ])
  func tooManyFractionDigitsForTheCurrencyAreRejected(amount: String, currency: String, problem: String) throws {
    let order = Order(amount: amount, currency: currency)
    #expect(
      try SettlementFixtures.auditLine(of: order)
        == "2,O1,A1,rejected,\"bad_amount: amount \"\"\(amount)\"\" is not a plain decimal: \(problem)\",,,")
  }

  /// Currencies with three minor units: the ECB publishes none, so an order in one is refused
  /// and a program settling in one cannot convert.
  @Test func threeDecimalCurrenciesAreNotCoveredByTheECB() throws {
    let kuwaiti = Order(amount: "12.500", currency: "KWD")
    #expect(
      try SettlementFixtures.auditLine(of: kuwaiti)
        == "2,O1,A1,rejected,bad_currency: currency KWD is not covered by the ECB rates,,,")
    let bahraini = try Program.alibaba.settling(in: try Currency(code: "BHD"))
    let out = try SettlementFixtures.temporaryDirectory()
    try SettlementFixtures.write(Order.file([Order()]), to: out + "/in.csv")
    let settlement = PeriodSettlement(
      program: bahraini, rates: try SettlementFixtures.rates(), period: try SettlementFixtures.month("2026-10"))
    let error = #expect(throws: RatesError.self) {
      try settlement.run(try SettlementFixtures.options(orders: out + "/in.csv", out: out + "/out"))
    }
    #expect(
      error?.description
        == "no ECB rate for BHD on 2026-10-02: the publication of 2026-10-02 does not list it (\(SettlementFixtures.ratesPath))"
    )
    #expect(try SettlementFixtures.contents(of: out + "/out") == [])
  }

  // MARK: Rounding

  /// 10.04 GBP is 13.2535… USD: sales 13.25, and 10 % of the exact value is 1.3253… → 1.33,
  /// where 10 % of the rounded sales, 1.325, would round half-even to 1.32.
  @Test func commissionIsRoundedFromTheExactValueNotFromTheRoundedSales() throws {
    let order = Order(amount: "10.04", currency: "GBP")
    #expect(try SettlementFixtures.auditLine(of: order) == "2,O1,A1,qualified,,2026-10-02,13.25,1.33")
    // The same in yen: 2.19 USD is 345.307… JPY, 10 % is 34.53… → 35 (not 34.5 → 34);
    // 1.49 USD is 234.93… JPY, 10 % is 23.49… → 23 (not 23.5 → 24).
    let yen = try Program.alibaba.settling(in: try Currency(code: "JPY"))
    let run = try SettlementFixtures.settle(
      [
        Order(amount: "2.19"),
        Order(orderID: "O2", amount: "1.49"),
      ], program: yen)
    #expect(run.auditRows == ["2,O1,A1,qualified,,2026-10-02,345,35", "3,O2,A1,qualified,,2026-10-02,235,23"])
  }

  /// Ties go to the even neighbour: 11.225 → 11.22 and 11.355 → 11.36.
  @Test func tiesRoundHalfEven() throws {
    let down = Order(amount: "10.00", currency: "EUR")
    #expect(try SettlementFixtures.auditLine(of: down) == "2,O1,A1,qualified,,2026-10-02,11.22,1.12")
    let up = down.with {
      $0.clickedAt = "2026-09-29T10:00:00Z"
      $0.orderedAt = "2026-09-30T12:00:00Z"
    }
    #expect(try SettlementFixtures.auditLine(of: up, period: "2026-09") == "2,O1,A1,qualified,,2026-09-30,11.36,1.14")
  }

  // MARK: The rate of the day

  @Test(arguments: [
    ("2026-10-02T23:59:59Z", "2026-10-02", "66.00,6.60"),  // Friday
    ("2026-10-03T00:00:00Z", "2026-10-02", "66.00,6.60"),  // Saturday: Friday's publication
    ("2026-10-04T23:59:59Z", "2026-10-02", "66.00,6.60"),  // Sunday
    ("2026-10-05T00:00:00Z", "2026-10-05", "66.12,6.61"),  // Monday: its own (GBP 0.8472, USD 1.1204)
    ("2026-10-04T23:00:00-02:00", "2026-10-05", "66.12,6.61"),  // Sunday evening in UTC-2 is Monday in UTC
  ])
  func aWeekendOrderUsesFridaysPublication(orderedAt: String, rateDate: String, figures: String) throws {
    let order = Order(orderedAt: orderedAt, amount: "50.00", currency: "GBP")
    #expect(try SettlementFixtures.auditLine(of: order) == "2,O1,A1,qualified,,\(rateDate),\(figures)")
  }

  /// Christmas and Boxing Day 2025 have no publication: orders then use Christmas Eve's.
  @Test func aTARGETHolidayUsesTheLastPublicationBefore() throws {
    let orders = ["2025-12-24T12:00:00Z", "2025-12-25T12:00:00Z", "2025-12-26T12:00:00Z", "2025-12-29T12:00:00Z"]
      .enumerated().map { index, orderedAt in
        Order(
          orderID: "O\(index + 1)", clickedAt: "2025-12-20T00:00:00Z", orderedAt: orderedAt, amount: "50.00",
          currency: "GBP")
      }
    // 50.00 GBP is 67.5163… USD on 24 December and 67.4192… on 29 December.
    let run = try SettlementFixtures.settle(orders, period: "2025-12")
    #expect(
      run.auditRows == [
        "2,O1,A1,qualified,,2025-12-24,67.52,6.75", "3,O2,A1,qualified,,2025-12-24,67.52,6.75",
        "4,O3,A1,qualified,,2025-12-24,67.52,6.75", "5,O4,A1,qualified,,2025-12-29,67.42,6.74",
      ])
  }

  /// The last publication is Friday 2026-10-30: it answers for the seven days after it and no more.
  @Test func aPublicationAnswersForSevenDaysAfterIt() throws {
    let lastDay = Order(
      clickedAt: "2026-11-01T00:00:00Z", orderedAt: "2026-11-06T23:59:59Z", buyerCountry: "GB", amount: "100.00",
      currency: "GBP")
    // 100.00 GBP × 1.1172 ÷ 0.8338 = 133.9889… USD; 10 % is 13.3988….
    #expect(
      try SettlementFixtures.auditLine(of: lastDay, period: "2026-11") == "2,O1,A1,qualified,,2026-10-30,133.99,13.40")
    let dayAfter = lastDay.with { $0.orderedAt = "2026-11-07T00:00:00Z" }
    #expect(
      throws: RatesError(
        .noPublicationNear(day: try .init("2026-11-07"), currency: try Currency(code: "GBP"), lookbackDaysMax: 7),
        source: SettlementFixtures.ratesPath)
    ) {
      try SettlementFixtures.settle([dayAfter], period: "2026-11")
    }
  }

  /// A day with no usable rate stops the run, names the day and currency, and writes nothing:
  /// a previous run's files in the output directory stay as they were, with no temporary files left.
  @Test func aDayWithoutARateStopsTheRunAndWritesNothing() throws {
    let directory = try SettlementFixtures.temporaryDirectory()
    let out = directory + "/out"
    let good = Order(clickedAt: "2026-11-01T00:00:00Z", orderedAt: "2026-11-06T12:00:00Z", currency: "GBP")
    let settlement = PeriodSettlement(
      program: .alibaba, rates: try SettlementFixtures.rates(), period: try SettlementFixtures.month("2026-11"))
    try SettlementFixtures.write(Order.file([good]), to: directory + "/good.csv")
    _ = try settlement.run(try SettlementFixtures.options(orders: directory + "/good.csv", out: out))
    let before = try ["commissions.csv", "orders.csv", "summary.json"].map {
      try SettlementFixtures.bytes(out + "/" + $0)
    }

    let late = good.with {
      $0.orderID = "O2"
      $0.orderedAt = "2026-11-20T12:00:00Z"
    }
    try SettlementFixtures.write(
      Order.file([good, late, good.with { $0.orderID = "O3" }]), to: directory + "/late.csv")
    let error = #expect(throws: RatesError.self) {
      try settlement.run(try SettlementFixtures.options(orders: directory + "/late.csv", out: out))
    }
    #expect(
      error?.description
        == "no ECB rate for GBP on 2026-11-20: no publication on that day or the 7 days before (\(SettlementFixtures.ratesPath))"
    )
    #expect(try SettlementFixtures.contents(of: out) == ["commissions.csv", "orders.csv", "summary.json"])
    #expect(
      try ["commissions.csv", "orders.csv", "summary.json"].map { try SettlementFixtures.bytes(out + "/" + $0) }
        == before)

    // Into a fresh directory, nothing at all.
    let fresh = directory + "/fresh"
    #expect(throws: RatesError.self) {
      try settlement.run(try SettlementFixtures.options(orders: directory + "/late.csv", out: fresh))
    }
    #expect(try SettlementFixtures.contents(of: fresh) == [])
  }

  /// The twin: an order that does not qualify is never converted, so its day needs no rate.
  @Test func anOrderThatDoesNotQualifyNeedsNoRate() throws {
    let refunded = Order(
      clickedAt: "2026-11-01T00:00:00Z", orderedAt: "2026-11-20T12:00:00Z", status: "refunded", currency: "GBP")
    #expect(
      try SettlementFixtures.auditLine(of: refunded, period: "2026-11")
        == "2,O1,A1,not_qualified,status_not_completed,,,")
    let outOfPeriod = refunded.with { $0.status = "completed" }
    #expect(try SettlementFixtures.auditLine(of: outOfPeriod, period: "2026-10") == "2,O1,A1,out_of_period,,,,")
  }

  /// A currency the ECB once published but no longer does has no rate on the day: the run stops.
  @Test func aCurrencyTheECBStoppedPublishingStopsTheRun() throws {
    let rouble = Order(amount: "1000.00", currency: "RUB")
    #expect(
      throws: RatesError(
        .currencyNotPublished(
          day: try .init("2026-10-02"), currency: try Currency(code: "RUB"), publicationDay: try .init("2026-10-02")),
        source: SettlementFixtures.ratesPath)
    ) {
      try SettlementFixtures.settle([rouble])
    }
    // In February 2022 the ECB still published it: 1000.00 RUB × 1.1354 ÷ 86.2815 = 13.1592… USD on 2022-02-18.
    let published = rouble.with {
      $0.clickedAt = "2022-02-17T00:00:00Z"
      $0.orderedAt = "2022-02-18T12:00:00Z"
    }
    #expect(
      try SettlementFixtures.auditLine(of: published, period: "2022-02") == "2,O1,A1,qualified,,2022-02-18,13.16,1.32")
  }

  /// `--currency EUR`: the same orders settled in euros.
  @Test func settlingInEuros() throws {
    let euro = try Program.alibaba.settling(in: try Currency(code: "EUR"))
    // 100.00 USD ÷ 1.1225 = 89.0868… EUR; 10 % is 8.9086….
    let run = try SettlementFixtures.settle([Order()], program: euro)
    #expect(run.auditRows == ["2,O1,A1,qualified,,2026-10-02,89.09,8.91"])
    #expect(run.commissionRows == ["A1,US,1,89.09,8.91,EUR"])
    #expect(run.summaryJSON.contains(#""settlement_currency": "EUR""#))
  }
}

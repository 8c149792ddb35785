import Commissions
import Countries
import Digest
import Money
import Testing

/// Program files: the default, each refusal naming its key, and what bounties and tiers pay.
@Suite struct ProgramTests {
  /// A small valid program; tests replace one line of it.
  static let minimal = """
    name: Test program
    settlement_currency: USD
    attribution_window_days: 30
    excluded_countries: [CN]
    excluded_categories: [weapons]
    markets:
      - name: core
        countries: [US, GB]
        percentage:
          new: 10
          returning: 6
      - name: other
        countries: every_other
        percentage:
          new: 9
          returning: 5

    """

  static func parse(_ text: String) throws(ProgramError) -> Program {
    try Program.parse(Array(text.utf8), source: "test.yaml")
  }

  static func replacing(_ old: String, with new: String) -> String {
    precondition(minimal.contains(old), "the minimal program contains \(old)")
    return minimal.replacing(old, with: new)
  }

  // MARK: The default program

  @Test func theDefaultProgramIsTheAlibabaProgram() throws {
    let program = Program.alibaba
    #expect(program.name == "Alibaba.com Affiliate Program")
    #expect(program.settlementCurrency.code == "USD")
    #expect(program.attributionWindowDays == 30)
    #expect(program.excludedCountries.map(\.code).sorted() == ["CN", "IN", "NG"])
    #expect(program.excludedCategories == ["weapons", "tobacco"])
    #expect(program.markets.map(\.name) == ["core", "other"])
    #expect(program.markets[0].countries?.map(\.code) == ["US", "CA", "MX", "GB", "DE", "FR", "AU", "NL"])
    #expect(program.markets[1].countries == nil)
    #expect(program.markets.map { "\($0.percentages.new)/\($0.percentages.returning)" } == ["10/6", "9/5"])
    #expect(program.bounty == nil)
    #expect(program.tiers.isEmpty)
    #expect(program.minimumPayout?.minorUnits == 0)
    #expect(program.payoutFrequency == "monthly")
    #expect(program.payoutMethod == "wire")
    #expect(program.market(for: try Country(code: "MX"))?.name == "core")
    #expect(program.market(for: try Country(code: "JP"))?.name == "other")
  }

  /// `programs/alibaba.yaml` is the built-in text, byte for byte: same SHA-256, same rules.
  @Test func theShippedFileIsTheBuiltInProgram() throws {
    let path = SettlementFixtures.repositoryRoot + "/programs/alibaba.yaml"
    let bytes = try SettlementFixtures.bytes(path)
    #expect(SHA256.hexDigest(of: bytes) == Program.alibaba.fileSHA256)
    #expect(Program.alibaba.fileSHA256 == "628afab24e333a6c9d927df822f3b395d5b4e80d56070e540c23ee02654272e1")
    let loaded = try Program.load(path: path)
    #expect(loaded.fileSHA256 == Program.alibaba.fileSHA256)
    #expect(loaded.name == Program.alibaba.name)
  }

  /// The twin: one byte more is another program, with another fingerprint.
  @Test func anyChangeToTheFileChangesItsFingerprint() throws {
    let bytes = try SettlementFixtures.bytes(SettlementFixtures.repositoryRoot + "/programs/alibaba.yaml")
    let edited = try Program.parse(bytes + Array("\n".utf8), source: "edited.yaml")
    #expect(edited.fileSHA256 != Program.alibaba.fileSHA256)
    #expect(edited.fileSHA256 == SHA256.hexDigest(of: bytes + Array("\n".utf8)))
  }

  @Test func theMinimalProgramParses() throws {
    let program = try ProgramTests.parse(ProgramTests.minimal)
    #expect(program.name == "Test program")
    #expect(program.markets.count == 2)
    #expect(program.fileSHA256 == SHA256.hexDigest(of: Array(ProgramTests.minimal.utf8)))
  }

  /// Country codes that YAML 1.1 would read as booleans stay countries: `NO` is Norway.
  @Test func norwayIsACountryNotFalse() throws {
    let program = try ProgramTests.parse(
      ProgramTests.replacing("excluded_countries: [CN]", with: "excluded_countries: [NO]"))
    #expect(program.excludedCountries == [try Country(code: "NO")])
    let failure = #expect(throws: ProgramError.self) {
      try ProgramTests.parse(ProgramTests.replacing("excluded_countries: [CN]", with: "excluded_countries: [NO, ON]"))
    }
    #expect(failure?.key == "excluded_countries[1]")
  }

  // MARK: Refusals, each naming its key

  @Test(arguments: [
    // An unknown key, at the top and inside a market.
    (
      replacing("name: Test program\n", with: "name: Test program\ncookie_days: 30\n"),
      #"test.yaml:2: cookie_days: unknown key (expected one of attribution_window_days, bounty, excluded_categories, excluded_countries, markets, name, payouts, settlement_currency, tiers)"#
    ),
    (
      replacing("  - name: core\n", with: "  - name: core\n    region: americas\n"),
      "test.yaml:8: markets[0].region: unknown key (expected one of countries, name, percentage)"
    ),
    // A missing field.
    (replacing("settlement_currency: USD\n", with: ""), "test.yaml:1: settlement_currency: missing"),
    (replacing("      returning: 6\n", with: ""), "test.yaml:10: markets[0].percentage.returning: missing"),
    // Unknown currency and country.
    (
      replacing("settlement_currency: USD", with: "settlement_currency: XYZ"),
      #"test.yaml:2: settlement_currency: currency "XYZ" is not an ISO 4217 currency with minor units"#
    ),
    (
      replacing("countries: [US, GB]", with: "countries: [US, UK]"),
      #"test.yaml:8: markets[0].countries[1]: country "UK" is not an ISO 3166-1 alpha-2 code"#
    ),
    // Overlapping markets.
    (
      replacing("  - name: other\n    countries: every_other", with: "  - name: other\n    countries: [FR, GB]"),
      "test.yaml:13: markets[1].countries[1]: GB overlaps markets[0] (core)"
    ),
    (
      replacing("countries: [US, GB]", with: "countries: every_other"),
      "test.yaml:13: markets[1].countries: overlaps markets[0].countries: only one market can be every_other"
    ),
    // Percentages and the window out of range.
    (
      replacing("new: 10", with: "new: 100.01"),
      "test.yaml:10: markets[0].percentage.new: 100.01 is not a percentage between 0 and 100"
    ),
    (
      replacing("returning: 5", with: "returning: -1"),
      "test.yaml:16: markets[1].percentage.returning: -1 is not a percentage between 0 and 100"
    ),
    (
      replacing("attribution_window_days: 30", with: "attribution_window_days: 0"),
      "test.yaml:3: attribution_window_days: expected a whole number of days from 1 to 366"
    ),
    (
      replacing("attribution_window_days: 30", with: "attribution_window_days: 367"),
      "test.yaml:3: attribution_window_days: expected a whole number of days from 1 to 366"
    ),
    (
      replacing("attribution_window_days: 30", with: "attribution_window_days: 30.5"),
      "test.yaml:3: attribution_window_days: expected a whole number of days from 1 to 366"
    ),
    (
      replacing("attribution_window_days: 30", with: "attribution_window_days: thirty"),
      "test.yaml:3: attribution_window_days: expected a whole number of days from 1 to 366"
    ),
  ])
  func aBadProgramIsRefusedNamingTheKey(text: String, message: String) throws {
    let error = #expect(throws: ProgramError.self) { try ProgramTests.parse(text) }
    #expect(error?.description == message)
  }

  /// The twins: the values just inside each range are accepted.
  @Test(arguments: [
    ("new: 10", "new: 100"), ("new: 10", "new: 0"), ("new: 10", "new: 12.345"),
    ("attribution_window_days: 30", "attribution_window_days: 1"),
    ("attribution_window_days: 30", "attribution_window_days: 366"),
    ("countries: [US, GB]", "countries: [US, GB, FR]"),
  ])
  func aValueJustInsideItsRangeIsAccepted(old: String, new: String) throws {
    _ = try ProgramTests.parse(ProgramTests.replacing(old, with: new))
  }

  /// The window comes from the program: with one day, exactly 24 h qualifies and a second more expires.
  @Test func theAttributionWindowComesFromTheProgram() throws {
    let program = try ProgramTests.parse(
      ProgramTests.replacing("attribution_window_days: 30", with: "attribution_window_days: 1"))
    let order = Order(clickedAt: "2026-10-01T12:00:00Z", orderedAt: "2026-10-02T12:00:00Z")
    #expect(
      try SettlementFixtures.auditLine(of: order, program: program) == "2,O1,A1,qualified,,2026-10-02,100.00,10.00")
    let late = order.with { $0.orderedAt = "2026-10-02T12:00:01Z" }
    #expect(
      try SettlementFixtures.auditLine(of: late, program: program) == "2,O1,A1,not_qualified,attribution_expired,,,")
  }

  /// Excluded countries and categories come from the program too; with none, nothing is excluded.
  @Test func exclusionsComeFromTheProgram() throws {
    let program = try ProgramTests.parse(ProgramTests.minimal)
    let india = Order(buyerCountry: "IN", category: "tobacco")
    #expect(
      try SettlementFixtures.auditLine(of: india, program: program) == "2,O1,A1,qualified,,2026-10-02,100.00,9.00")
    let china = india.with { $0.buyerCountry = "CN" }
    #expect(
      try SettlementFixtures.auditLine(of: china, program: program) == "2,O1,A1,not_qualified,excluded_country,,,")
    let weapons = india.with { $0.category = "weapons" }
    #expect(
      try SettlementFixtures.auditLine(of: weapons, program: program) == "2,O1,A1,not_qualified,excluded_category,,,")
  }

  @Test func notYAMLAndEmptyFilesAreRefused() throws {
    let empty = #expect(throws: ProgramError.self) { try ProgramTests.parse("") }
    #expect(empty?.description == "test.yaml: the file is empty")
    let notMapping = #expect(throws: ProgramError.self) { try ProgramTests.parse("- a\n- b\n") }
    #expect(notMapping?.description == "test.yaml:1: expected a mapping of keys")
  }

  /// A key given twice is refused in one line naming the key and the line of its second appearance
  /// (Yams refuses it first; its own message would quote the whole file).
  @Test func aKeyTwiceIsRefused() throws {
    let error = #expect(throws: ProgramError.self) {
      try ProgramTests.parse(ProgramTests.replacing("name: Test program\n", with: "name: Test program\nname: Other\n"))
    }
    #expect(error?.description == "test.yaml:2: name: appears twice")
  }

  // MARK: Bounties

  static let bounty =
    minimal + """
      bounty:
        amount: 2.50
        currency: EUR
        buyer_types: [new]

      """

  @Test func aBountyParses() throws {
    let program = try ProgramTests.parse(ProgramTests.bounty)
    #expect(program.bounty?.amount == Money(minorUnits: 250, currency: try Currency(code: "EUR")))
    #expect(program.bounty?.buyerTypes == [.new])
  }

  @Test(arguments: [
    ("amount: 2.50", "amount: 0", "test.yaml:18: bounty.amount: must be more than zero"),
    (
      "amount: 2.50", "amount: 2.505",
      #"test.yaml:18: bounty.amount: amount "2.505" is not a plain decimal: EUR allows at most 2 fraction digits"#
    ),
    (
      "buyer_types: [new]", "buyer_types: [vip]", #"test.yaml:20: bounty.buyer_types[0]: "vip" is not new or returning"#
    ),
    ("  currency: EUR\n", "", "test.yaml:18: bounty.currency: missing"),
  ])
  func aBadBountyIsRefused(old: String, new: String, message: String) throws {
    let error = #expect(throws: ProgramError.self) {
      try ProgramTests.parse(ProgramTests.bounty.replacing(old, with: new))
    }
    #expect(error?.description == message)
  }

  /// The bounty is converted at the order's day like an order, rounded once, and added to the
  /// commission of the buyer types it names; sales are untouched.
  @Test func aBountyIsConvertedAtTheOrdersDayAndAddedToTheCommission() throws {
    let program = try ProgramTests.parse(ProgramTests.bounty)
    let orders = [
      Order(),
      Order(orderID: "O2", buyerType: "returning"),
      Order(orderID: "O3", clickedAt: "2026-10-29T00:00:00Z", orderedAt: "2026-10-30T12:00:00Z"),
      Order(orderID: "O4", status: "refunded"),
    ]
    let run = try SettlementFixtures.settle(orders, program: program)
    // 2.50 EUR is 2.80625 USD on 2026-10-02 (→ 2.81) and 2.793 USD on 2026-10-30 (→ 2.79).
    #expect(
      run.auditRows == [
        "2,O1,A1,qualified,,2026-10-02,100.00,12.81", "3,O2,A1,qualified,,2026-10-02,100.00,6.00",
        "4,O3,A1,qualified,,2026-10-30,100.00,12.79", "5,O4,A1,not_qualified,status_not_completed,,,",
      ])
    #expect(run.commissionRows == ["A1,US,3,300.00,31.60,USD"])
  }

  /// The twin: without `buyer_types` a bounty is paid for both; and settled in yen it is yen.
  @Test func aBountyForEveryBuyerTypeInAnotherSettlementCurrency() throws {
    let program = try ProgramTests.parse(ProgramTests.bounty.replacing("  buyer_types: [new]\n", with: ""))
      .settling(in: try Currency(code: "JPY"))
    #expect(program.bounty?.buyerTypes == [.new, .returning])
    let run = try SettlementFixtures.settle([Order(buyerType: "returning")], program: program)
    // 100.00 USD is 15767.48… JPY (→ 15767), 6 % is 946.04… (→ 946); 2.50 EUR is 442.475 JPY (→ 442).
    #expect(run.auditRows == ["2,O1,A1,qualified,,2026-10-02,15767,1388"])
  }

  // MARK: Tiers

  static let tiers =
    minimal + """
      tiers:
        - sales_above: 150.00
          bonus_percentage_points: 2
        - sales_above: 1000.00
          bonus_percentage_points: 2.5

      """

  @Test func tiersParse() throws {
    let program = try ProgramTests.parse(ProgramTests.tiers)
    #expect(program.tiers.map(\.salesAbove.minorUnits) == [150_00, 1000_00])
    #expect(program.tiers.map { "\($0.bonusPercentagePoints)" } == ["2", "2.5"])
  }

  @Test func tierThresholdsMustIncrease() throws {
    let error = #expect(throws: ProgramError.self) {
      try ProgramTests.parse(ProgramTests.tiers.replacing("sales_above: 1000.00", with: "sales_above: 150.00"))
    }
    #expect(error?.description == "test.yaml:20: tiers[1].sales_above: thresholds must increase")
  }

  /// A tier's bonus applies to every qualifying order of an affiliate whose period sales, over
  /// all its markets, are above the threshold, and to none of an affiliate's exactly at it.
  @Test func aTierBonusAppliesToAllOfAnAffiliatesOrdersOnceItsSalesPassTheThreshold() throws {
    let program = try ProgramTests.parse(ProgramTests.tiers)
    let orders = [
      // A1: 100.00 + 50.01 = 150.01 across two markets, above 150.00: +2 points on both.
      Order(affiliateID: "A1"),
      Order(orderID: "O2", affiliateID: "A1", buyerCountry: "DE", buyerType: "returning", amount: "50.01"),
      // A2: exactly 150.00: no bonus.
      Order(orderID: "O3", affiliateID: "A2"),
      Order(orderID: "O4", affiliateID: "A2", buyerType: "returning", amount: "50.00"),
      // A3: 1000.01, above the second threshold: its +2.5 points (not 4.5).
      Order(orderID: "O5", affiliateID: "A3", buyerType: "returning", amount: "1000.01"),
      // A4: a not-qualifying order does not count towards the threshold.
      Order(orderID: "O6", affiliateID: "A4"),
      Order(orderID: "O7", affiliateID: "A4", status: "refunded", amount: "500.00"),
    ]
    let run = try SettlementFixtures.settle(orders, program: program)
    #expect(
      run.auditRows == [
        "2,O1,A1,qualified,,2026-10-02,100.00,12.00",  // 12 %
        "3,O2,A1,qualified,,2026-10-02,50.01,3.50",  // 5 % + 2 = 7 % of 50.01 = 3.5007
        "4,O3,A2,qualified,,2026-10-02,100.00,10.00",
        "5,O4,A2,qualified,,2026-10-02,50.00,3.00",
        "6,O5,A3,qualified,,2026-10-02,1000.01,85.00",  // 6 % + 2.5 = 8.5 % of 1000.01 = 85.00085
        "7,O6,A4,qualified,,2026-10-02,100.00,10.00",
        "8,O7,A4,not_qualified,status_not_completed,,,",
      ])
    #expect(
      run.commissionRows == [
        "A1,DE,1,50.01,3.50,USD", "A1,US,1,100.00,12.00,USD", "A2,US,2,150.00,13.00,USD", "A3,US,1,1000.01,85.00,USD",
        "A4,US,1,100.00,10.00,USD",
      ])
    #expect(run.summaryJSON.contains(#""sales": "1400.02", "commission": "123.50""#))
    // The tier pass leaves no working file behind.
    #expect(
      try SettlementFixtures.contents(of: run.outputDirectory) == ["commissions.csv", "orders.csv", "summary.json"])
  }

  /// The golden orders under the default program plus one tier of one point. With the threshold
  /// out of reach the audit, rewritten after the tier pass, is the golden audit byte for byte.
  /// Period sales are A1 166.00, A2 124.44 and A3 154.35: at exactly 124.44 A2 is not above it.
  @Test(arguments: [("1000000.00", [String]()), ("124.44", ["A1", "A3"]), ("124.43", ["A1", "A2", "A3"])])
  func theGoldenOrdersWithATier(threshold: String, affiliatesAbove: [String]) throws {
    let program = try SettlementFixtures.tieredProgram(salesAbove: threshold)
    let run = try SettlementFixtures.settle(path: SettlementFixtures.goldenDirectory + "/orders.csv", program: program)
    var audit = try SettlementFixtures.text(SettlementFixtures.goldenDirectory + "/expected/orders.csv")
    var commissions = try SettlementFixtures.text(SettlementFixtures.goldenDirectory + "/expected/commissions.csv")
    // One point more: 11 % of 100.00 USD; 7 % of 66.0037… USD; 10 % of 80.8953… USD; 6 % of
    // 43.5379… USD; 11 % of 11.172 USD; 7 % of 143.1757… USD.
    let bonus: [String: [(String, String)]] = [
      "A1": [
        ("2,O1,A1,qualified,,2026-10-02,100.00,10.00", "2,O1,A1,qualified,,2026-10-02,100.00,11.00"),
        ("3,O2,A1,qualified,,2026-10-02,66.00,3.96", "3,O2,A1,qualified,,2026-10-02,66.00,4.62"),
        ("A1,GB,1,66.00,3.96,USD", "A1,GB,1,66.00,4.62,USD"), ("A1,US,1,100.00,10.00,USD", "A1,US,1,100.00,11.00,USD"),
      ],
      "A2": [
        ("4,O3,A2,qualified,,2026-10-05,80.90,7.28", "4,O3,A2,qualified,,2026-10-05,80.90,8.09"),
        ("5,O4,A2,qualified,,2026-10-30,43.54,2.18", "5,O4,A2,qualified,,2026-10-30,43.54,2.61"),
        ("A2,BR,2,124.44,9.46,USD", "A2,BR,2,124.44,10.70,USD"),
      ],
      "A3": [
        ("10,O9,A3,qualified,,2026-10-30,11.17,1.12", "10,O9,A3,qualified,,2026-10-30,11.17,1.23"),
        ("13,O12,A3,qualified,,2026-10-30,143.18,8.59", "13,O12,A3,qualified,,2026-10-30,143.18,10.02"),
        ("A3,CA,1,143.18,8.59,USD", "A3,CA,1,143.18,10.02,USD"), ("A3,US,1,11.17,1.12,USD", "A3,US,1,11.17,1.23,USD"),
      ],
    ]
    for affiliate in affiliatesAbove {
      for (old, new) in bonus[affiliate] ?? [] {
        #expect(audit.contains(old) || commissions.contains(old), "\(old)")
        audit = audit.replacing(old, with: new)
        commissions = commissions.replacing(old, with: new)
      }
    }
    #expect(run.auditCSV == audit)
    #expect(run.commissionsCSV == commissions)
    #expect(
      try SettlementFixtures.contents(of: run.outputDirectory) == ["commissions.csv", "orders.csv", "summary.json"])
  }

  /// Tiers are set in the program's currency: settling in another one is refused; in its own, accepted.
  @Test func tiersCannotBeSettledInAnotherCurrency() throws {
    let program = try ProgramTests.parse(ProgramTests.tiers)
    #expect(throws: MoneyError.self) { try program.settling(in: try Currency(code: "EUR")) }
    #expect(try program.settling(in: try Currency(code: "USD")).tiers.count == 2)
  }
}

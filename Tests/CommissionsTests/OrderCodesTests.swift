import Countries
import Money
import Testing

@testable import Commissions

/// The run reads each order's codes from tables made once per run: they must say what the
/// country and currency tables, the program and the rates say, for every code with letters.
struct OrderCodesTests {
  @Test func everyTwoLetterCodeMeansWhatTheProgramSays() throws {
    let program = Program.alibaba
    let codes = OrderCodes(program: program, rates: try SettlementFixtures.rates())
    for first in UInt8(ascii: "A")...UInt8(ascii: "Z") {
      for second in UInt8(ascii: "A")...UInt8(ascii: "Z") {
        let bytes = [first, second]
        let buyer = bytes.withUnsafeBufferPointer { codes.buyer($0) }
        let country = bytes.withUnsafeBufferPointer { Country.lookup($0) }
        #expect(buyer?.country == country, "\(String(decoding: bytes, as: UTF8.self))")
        guard let buyer, let country else { continue }
        #expect(buyer.isExcluded == program.excludedCountries.contains(country), "\(country)")
        let market = program.market(for: country)
        let found = buyer.market >= 0 ? program.markets[Int(buyer.market)] : nil
        #expect(found?.name == market?.name && found?.countries == market?.countries, "\(country)")
      }
    }
    for text in ["", "U", "USA", "us", "U1", "ÄÖ"] {
      #expect(Array(text.utf8).withUnsafeBufferPointer { codes.buyer($0) } == nil, "\(text)")
    }
  }

  @Test func aCurrencyIsNumberedOnlyWhenTheRatesCoverIt() throws {
    let rates = try SettlementFixtures.rates()
    let codes = OrderCodes(program: .alibaba, rates: rates)
    #expect(codes.currencies.contains(try Currency(code: "EUR")))
    for currency in Currency.all {
      let number = currency.codeBytes.withUnsafeBufferPointer { codes.currencyNumber($0) }
      let covered = currency.code == "EUR" || rates.currencies.contains(currency)
      #expect(number.map { codes.currencies[$0] } == (covered ? currency : nil), "\(currency)")
    }
    for text in ["", "US", "USDX", "usd", "XXX", "U$D"] {
      #expect(Array(text.utf8).withUnsafeBufferPointer { codes.currencyNumber($0) } == nil, "\(text)")
    }
  }

  @Test func excludedCategoriesAreMatchedWholeAndExactly() throws {
    let program = Program.alibaba
    let codes = OrderCodes(program: program, rates: try SettlementFixtures.rates())
    #expect(!program.excludedCategories.isEmpty)
    for category in program.excludedCategories {
      #expect(Array(category.utf8).withUnsafeBufferPointer { codes.isExcludedCategory($0) }, "\(category)")
      for near in [category + "s", String(category.dropLast()), category.uppercased(), " " + category] {
        #expect(!Array(near.utf8).withUnsafeBufferPointer { codes.isExcludedCategory($0) }, "\(near)")
      }
    }
    #expect(!Array("".utf8).withUnsafeBufferPointer { codes.isExcludedCategory($0) })
  }

  @Test func eachCasePositionIsItsPlaceAmongAllCases() {
    func check<Case: CasePosition & Equatable>(_: Case.Type) {
      for (index, value) in Case.allCases.enumerated() { #expect(value.position == index, "\(value)") }
    }
    check(OrderOutcome.self)
    check(NotQualifiedReason.self)
    check(RejectionReason.self)
    // OutcomeCounts keeps fixed-size storage of these sizes.
    #expect(OrderOutcome.allCases.count == 4)
    #expect(NotQualifiedReason.allCases.count == 6)
    #expect(RejectionReason.allCases.count == 10)
  }
}

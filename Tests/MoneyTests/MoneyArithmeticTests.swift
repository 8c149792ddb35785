import Money
import Testing

@Suite("Money arithmetic")
struct MoneyArithmeticTests {
  let usd: Currency
  let eur: Currency
  let jpy: Currency

  init() throws {
    usd = try Currency(code: "USD")
    eur = try Currency(code: "EUR")
    jpy = try Currency(code: "JPY")
  }

  private func dollars(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: usd) }

  // MARK: Description

  @Test("description is the amount with the currency's digits, then the code")
  func description() throws {
    #expect(dollars(1250).description == "12.50 USD")
    #expect(dollars(-5).description == "-0.05 USD")
    #expect(Money.zero(usd).description == "0.00 USD")
    #expect(Money(minorUnits: 19465, currency: jpy).description == "19465 JPY")
    #expect(Money(minorUnits: 1234, currency: try Currency(code: "KWD")).description == "1.234 KWD")
    #expect(Money(minorUnits: 1, currency: try Currency(code: "CLF")).description == "0.0001 CLF")
    #expect(dollars(Int64.max).description == "92233720368547758.07 USD")
    #expect(dollars(Int64.min).description == "-92233720368547758.08 USD")
    #expect(dollars(1250).amount == FixedDecimal(significand: 1250, scale: 2))
  }

  @Test("zero and the sign predicates")
  func predicates() {
    #expect(Money.zero(usd).isZero && !Money.zero(usd).isNegative)
    #expect(dollars(-1).isNegative && !dollars(-1).isZero)
    #expect(!dollars(1).isNegative && !dollars(1).isZero)
  }

  @Test("equality needs the same minor units and the same currency")
  func equality() {
    #expect(dollars(100) == Money(minorUnits: 100, currency: usd))
    #expect(dollars(100) != Money(minorUnits: 100, currency: eur))
    #expect(dollars(100) != dollars(101))
  }

  // MARK: Adding

  @Test("adding within one currency is exact")
  func add() throws {
    #expect(try dollars(1250).adding(dollars(75)) == dollars(1325))
    #expect(try dollars(1250).adding(dollars(-1250)) == Money.zero(usd))
    #expect(try dollars(Int64.max - 1).adding(dollars(1)) == dollars(Int64.max))
    #expect(try dollars(Int64.min + 1).adding(dollars(-1)) == dollars(Int64.min))
    #expect(try dollars(Int64.max).adding(dollars(Int64.min)) == dollars(-1))
  }

  @Test("adding two currencies throws and names both")
  func addMismatch() {
    let error = #expect(throws: MoneyError.self) { try dollars(100).adding(Money(minorUnits: 100, currency: eur)) }
    #expect(error?.kind == .currencyMismatch(usd, eur))
    #expect(error?.description == "cannot add USD and EUR: amounts in different currencies")
  }

  @Test("adding past Int64.max or Int64.min throws instead of trapping")
  func addOverflow() {
    let above = #expect(throws: MoneyError.self) { try dollars(Int64.max).adding(dollars(1)) }
    #expect(above?.kind == .overflow)
    #expect(
      above?.description
        == "cannot add 0.01 USD to 92233720368547758.07 USD: the result does not fit in 64 bits of minor units")
    let below = #expect(throws: MoneyError.self) { try dollars(Int64.min).adding(dollars(-1)) }
    #expect(
      below?.description
        == "cannot add -0.01 USD to -92233720368547758.08 USD: the result does not fit in 64 bits of minor units")
    #expect(throws: MoneyError(.overflow, operation: "add 92233720368547758.07 USD to 92233720368547758.07 USD")) {
      try dollars(Int64.max).adding(dollars(Int64.max))
    }
  }

  // MARK: Subtracting

  @Test("subtracting within one currency is exact")
  func subtract() throws {
    #expect(try dollars(1250).subtracting(dollars(75)) == dollars(1175))
    #expect(try dollars(75).subtracting(dollars(1250)) == dollars(-1175))
    #expect(try dollars(Int64.min + 1).subtracting(dollars(1)) == dollars(Int64.min))
    #expect(try dollars(Int64.max - 1).subtracting(dollars(-1)) == dollars(Int64.max))
    #expect(try dollars(-1).subtracting(dollars(Int64.max)) == dollars(Int64.min))
  }

  @Test("subtracting another currency throws and names both")
  func subtractMismatch() {
    let error = #expect(throws: MoneyError.self) {
      try Money(minorUnits: 100, currency: eur).subtracting(dollars(100))
    }
    #expect(error?.kind == .currencyMismatch(eur, usd))
    #expect(error?.description == "cannot subtract EUR and USD: amounts in different currencies")
  }

  @Test("subtracting past Int64.min or Int64.max throws instead of trapping")
  func subtractOverflow() {
    let below = #expect(throws: MoneyError.self) { try dollars(Int64.min).subtracting(dollars(1)) }
    #expect(below?.kind == .overflow)
    #expect(
      below?.description
        == "cannot subtract 0.01 USD from -92233720368547758.08 USD: the result does not fit in 64 bits of minor units"
    )
    let above = #expect(throws: MoneyError.self) { try Money.zero(usd).subtracting(dollars(Int64.min)) }
    #expect(
      above?.description
        == "cannot subtract -92233720368547758.08 USD from 0.00 USD: the result does not fit in 64 bits of minor units"
    )
  }

  // MARK: Negating

  @Test("negating flips the sign, at both ends of the range that can be flipped")
  func negate() throws {
    #expect(try dollars(1250).negated() == dollars(-1250))
    #expect(try dollars(-1250).negated() == dollars(1250))
    #expect(try Money.zero(usd).negated() == Money.zero(usd))
    #expect(try dollars(Int64.max).negated() == dollars(-Int64.max))
    #expect(try dollars(Int64.min + 1).negated() == dollars(Int64.max))
  }

  @Test("negating Int64.min minor units throws instead of trapping")
  func negateOverflow() {
    let error = #expect(throws: MoneyError.self) { try dollars(Int64.min).negated() }
    #expect(error?.kind == .overflow)
    #expect(
      error?.description
        == "cannot negate -92233720368547758.08 USD: the result does not fit in 64 bits of minor units")
  }
}

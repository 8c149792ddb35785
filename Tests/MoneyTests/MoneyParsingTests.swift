@testable import Money
import Testing

@Suite("Money parsing")
struct MoneyParsingTests {
  @Test(
    "an amount with at most the currency's minor-unit digits becomes minor units",
    arguments: [
      ("12.5", "USD", 1250, "12.50"),
      ("12.50", "USD", 1250, "12.50"),
      ("12", "USD", 1200, "12.00"),
      ("-12.5", "USD", -1250, "-12.50"),
      ("0", "USD", 0, "0.00"),
      ("-0", "USD", 0, "0.00"),
      ("0.01", "USD", 1, "0.01"),
      ("19465", "JPY", 19465, "19465"),
      ("-19465", "JPY", -19465, "-19465"),
      ("1.234", "KWD", 1234, "1.234"),
      ("1.2", "KWD", 1200, "1.200"),
      ("0.001", "KWD", 1, "0.001"),
      ("1.2345", "CLF", 12345, "1.2345"),
      ("0.0001", "CLF", 1, "0.0001"),
      ("7", "CLF", 70000, "7.0000"),
    ] as [(String, String, Int64, String)])
  func parses(text: String, code: String, minorUnits: Int64, amountText: String) throws {
    let currency = try Currency(code: code)
    let money = try Money(parsing: text, currency: currency)
    #expect(money.minorUnits == minorUnits)
    #expect(money.currency == currency)
    #expect(money.amountText == amountText)
    #expect(money.description == "\(amountText) \(code)")
    #expect(try Money(parsing: money.amountText, currency: currency) == money)
  }

  @Test(
    "one fraction digit more than the currency allows is refused, with the allowance in the message",
    arguments: [
      ("12.505", "USD", "USD allows at most 2 fraction digits"),
      ("12.500", "USD", "USD allows at most 2 fraction digits"),
      ("0.001", "USD", "USD allows at most 2 fraction digits"),
      ("100.5", "JPY", "JPY has no minor unit, so no fraction digits are allowed"),
      ("100.0", "JPY", "JPY has no minor unit, so no fraction digits are allowed"),
      ("1.2345", "KWD", "KWD allows at most 3 fraction digits"),
      ("1.23456", "CLF", "CLF allows at most 4 fraction digits"),
    ])
  func refusesFractionDigits(text: String, code: String, reason: String) throws {
    let currency = try Currency(code: code)
    let error = #expect(throws: MoneyError.self) { try Money(parsing: text, currency: currency) }
    #expect(
      error?.kind == .badAmount(text: text, problem: .fractionDigits(allowed: currency.minorUnits, currency: currency)))
    #expect(error?.operation == "parse")
    #expect(error?.description == "amount \"\(text)\" is not a plain decimal: \(reason)")
  }

  @Test(
    "a text that is not a plain decimal is refused with the decimal's reason",
    arguments: [
      ("12,50", "a comma is neither a thousands separator nor a decimal point here"),
      ("1e3", "exponent notation is not accepted"),
      ("+5", "only a leading minus sign is accepted"),
      ("", "it is empty"),
      ("12.50 ", "it contains a space"),
      ("USD 12.50", "unexpected character 'U'"),
    ])
  func refusesSyntax(text: String, reason: String) throws {
    let usd = try Currency(code: "USD")
    let error = #expect(throws: MoneyError.self) { try Money(parsing: text, currency: usd) }
    #expect(error?.description == "amount \"\(text)\" is not a plain decimal: \(reason)")
  }

  @Test("the largest amounts that fit in 64 bits of minor units parse exactly")
  func largestAmounts() throws {
    let usd = try Currency(code: "USD")
    let clf = try Currency(code: "CLF")
    let jpy = try Currency(code: "JPY")
    #expect(try Money(parsing: "92233720368547758", currency: usd).minorUnits == 9_223_372_036_854_775_800)
    #expect(try Money(parsing: "-92233720368547758", currency: usd).minorUnits == -9_223_372_036_854_775_800)
    #expect(try Money(parsing: "9999999999999999.99", currency: usd).minorUnits == 999_999_999_999_999_999)
    #expect(try Money(parsing: "922337203685477", currency: clf).minorUnits == 9_223_372_036_854_770_000)
    #expect(try Money(parsing: "999999999999999999", currency: jpy).minorUnits == 999_999_999_999_999_999)
  }

  @Test(
    "an amount one past 64 bits of minor units is refused as too large, not as too many digits",
    arguments: [
      ("92233720368547759", "USD"),
      ("-92233720368547759", "USD"),
      ("99999999999999999", "USD"),
      ("922337203685478", "CLF"),
      ("9223372036854776", "KWD"),
    ])
  func refusesOverflow(text: String, code: String) throws {
    let currency = try Currency(code: code)
    let error = #expect(throws: MoneyError.self) { try Money(parsing: text, currency: currency) }
    #expect(error?.kind == .badAmount(text: text, problem: .outOfRange(currency: currency)))
    #expect(
      error?.description
        == "amount \"\(text)\" is not a plain decimal: it does not fit in 64 bits of \(code) minor units")
  }

  @Test("the byte-level parser returns the same minor units and problems")
  func byteParser() throws {
    let usd = try Currency(code: "USD")
    func parsed(_ text: String) -> Result<Int64, Money.AmountProblem> {
      var text = text
      return text.withUTF8 { Money.parseMinorUnits($0, currency: usd) }
    }
    #expect(parsed("12.5") == .success(1250))
    #expect(parsed("12.505") == .failure(.fractionDigits(allowed: 2, currency: usd)))
    #expect(parsed("12,50") == .failure(.syntax(.comma)))
  }
}

/// `Money.parseMinorUnits` reads short plain amounts in one loop of its own and leaves every
/// other text to the general parser: for any text, the two must give the same answer.
@Suite("Money parsing, the short path")
struct ShortAmountParsingTests {
  static let currencies = ["JPY", "USD", "KWD", "CLF"]

  func expectSameAnswer(_ text: [UInt8], _ currency: Currency) {
    let answer = text.withUnsafeBufferPointer { Money.parseMinorUnits($0, currency: currency) }
    let general = text.withUnsafeBufferPointer { Money.parseMinorUnitsInGeneral($0, currency: currency) }
    #expect(answer == general, "\"\(String(decoding: text, as: UTF8.self))\" in \(currency)")
  }

  @Test func everyTextOfUpToFourBytesFromTheAmountAlphabet() throws {
    let alphabet = Array("0159.-+e ,".utf8)
    for code in ShortAmountParsingTests.currencies {
      let currency = try Currency(code: code)
      var texts: [[UInt8]] = [[]]
      for _ in 1...4 {
        texts = texts.flatMap { text in alphabet.map { text + [$0] } }
        for text in texts { expectSameAnswer(text, currency) }
      }
    }
  }

  @Test func amountsAroundTheShortPathsLengthLimit() throws {
    let limit = Money.shortPlainBytesMax
    for code in ShortAmountParsingTests.currencies {
      let currency = try Currency(code: code)
      for length in (limit - 3)...(limit + 6) {
        for digitsAfterPoint in 0...5 where digitsAfterPoint < length - 1 {
          let digits = Array(repeating: UInt8(ascii: "9"), count: length - (digitsAfterPoint > 0 ? 1 : 0))
          var text = digits
          if digitsAfterPoint > 0 { text.insert(UInt8(ascii: "."), at: digits.count - digitsAfterPoint) }
          expectSameAnswer(text, currency)
          expectSameAnswer([UInt8(ascii: "0")] + text, currency)
          expectSameAnswer(text + [UInt8(ascii: "0")], currency)
        }
      }
    }
  }

  @Test func randomAmountTexts() throws {
    var generator = SystemRandomNumberGenerator()
    let alphabet = Array("0123456789..-".utf8)
    for code in ShortAmountParsingTests.currencies {
      let currency = try Currency(code: code)
      for _ in 0..<20_000 {
        let length = Int.random(in: 0...20, using: &generator)
        let text = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        expectSameAnswer(text, currency)
      }
    }
  }
}

import Money
import Preview
import Testing

/// Locale formatting: the digits are the amount's exact text; the symbol, separators, grouping and
/// sign placement are the locale's (ICU's data).
@Suite struct MoneyFormatTests {
  static func money(_ minorUnits: Int64, _ code: String) throws -> Money {
    Money(minorUnits: minorUnits, currency: try Currency(code: code))
  }

  @Test(arguments: [
    (Int64(19465), "JPY", "ja_JP", "¥19,465"),
    (19465, "JPY", "en_US", "¥19,465"),
    (123456, "EUR", "de_DE", "1.234,56\u{A0}€"),
    (123456, "USD", "en_US", "$1,234.56"),
    (123456, "EUR", "fr_FR", "1\u{202F}234,56\u{A0}€"),
    (123456789, "EUR", "fr_FR", "1\u{202F}234\u{202F}567,89\u{A0}€"),
    (1234567, "KWD", "en_US", "KWD\u{A0}1,234.567"),
    (5, "USD", "en_US", "$0.05"),
    (0, "JPY", "ja_JP", "¥0"),
    (0, "KWD", "de_DE", "0,000\u{A0}KWD"),
    (100, "USD", "de_DE", "1,00\u{A0}$"),
    // es_ES groups only from five integer digits on.
    (123456, "EUR", "es_ES", "1234,56\u{A0}€"),
    (1234567, "EUR", "es_ES", "12.345,67\u{A0}€"),
  ])
  func formats(minorUnits: Int64, code: String, locale: String, expected: String) throws {
    #expect(MoneyFormat.string(try MoneyFormatTests.money(minorUnits, code), locale: locale) == expected)
  }

  @Test(arguments: [
    (Int64(-19465), "JPY", "ja_JP", "-¥19,465"),
    (-123456, "EUR", "de_DE", "-1.234,56\u{A0}€"),
    (-123456, "USD", "en_US", "-$1,234.56"),
    (-123456, "EUR", "fr_FR", "-1\u{202F}234,56\u{A0}€"),
    (-1, "KWD", "en_US", "-KWD\u{A0}0.001"),
    // de_CH puts the minus after the symbol.
    (-123456, "CHF", "de_CH", "CHF-1’234.56"),
  ])
  func formatsNegativeAmounts(minorUnits: Int64, code: String, locale: String, expected: String) throws {
    #expect(MoneyFormat.string(try MoneyFormatTests.money(minorUnits, code), locale: locale) == expected)
  }

  /// 64 bits of minor units at both ends: a Double would have lost the last digits.
  @Test func extremesKeepEveryDigit() throws {
    #expect(
      MoneyFormat.string(try MoneyFormatTests.money(Int64.max, "USD"), locale: "en_US")
        == "$92,233,720,368,547,758.07")
    #expect(
      MoneyFormat.string(try MoneyFormatTests.money(Int64.min, "JPY"), locale: "ja_JP")
        == "-¥9,223,372,036,854,775,808")
    #expect(
      MoneyFormat.string(try MoneyFormatTests.money(9_007_199_254_740_993, "EUR"), locale: "de_DE")
        == "90.071.992.547.409,93\u{A0}€")
  }

  /// A locale that writes other digits gets its own digits, still the exact ones.
  @Test func arabicIndicDigits() throws {
    let text = MoneyFormat.string(try MoneyFormatTests.money(123456, "USD"), locale: "ar_EG")
    let digits = text.unicodeScalars.filter { $0.properties.numericType == .decimal }
    #expect(String(String.UnicodeScalarView(digits)) == "١٢٣٤٥٦")
  }

  /// The currency's minor units are ISO 4217's, not the locale's habit: ICU writes no yen
  /// fractions and Settle has none either, but CLF has four.
  @Test func minorDigitsAreTheCurrencys() throws {
    #expect(MoneyFormat.string(try MoneyFormatTests.money(12345, "CLF"), locale: "en_US").hasSuffix("1.2345"))
  }

  /// An unknown locale falls back to ICU's root conventions rather than failing.
  @Test func unknownLocaleStillFormats() throws {
    let text = MoneyFormat.string(try MoneyFormatTests.money(123456, "USD"), locale: "xx_YY")
    #expect(text.contains("1,234.56"))
  }
}

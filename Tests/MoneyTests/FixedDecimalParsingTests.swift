import Money
import Testing

/// Parses `text` through the byte-level hot path, the one CSV and XML readers use.
private func parsedBytes(_ text: String) -> Result<FixedDecimal, FixedDecimal.SyntaxProblem> {
  var text = text
  return text.withUTF8 { FixedDecimal.parse($0) }
}

@Suite("FixedDecimal parsing")
struct FixedDecimalParsingTests {
  // MARK: Accepted texts

  @Test(
    "a plain decimal prints back exactly as it was written",
    arguments: [
      ("1.0845", 10845, 4),
      ("20275.17", 2_027_517, 2),
      ("0.83578", 83578, 5),
      ("-12.50", -1250, 2),
      ("0", 0, 0),
      ("0.00", 0, 2),
      ("7", 7, 0),
      ("-7", -7, 0),
      ("0.000000000000000001", 1, 18),
      ("-0.000000000000000001", -1, 18),
      ("123456789012345678", 123_456_789_012_345_678, 0),
      ("-999999999999999999", -999_999_999_999_999_999, 0),
      ("12345678901234567.8", 123_456_789_012_345_678, 1),
      ("0.123456789012345678", 123_456_789_012_345_678, 18),
      ("1.00000000000000000", 100_000_000_000_000_000, 17),
    ] as [(String, Int64, UInt8)])
  func roundTrip(text: String, significand: Int64, scale: UInt8) throws {
    let decimal = try FixedDecimal(text)
    #expect(decimal.significand == significand)
    #expect(decimal.scale == scale)
    #expect(decimal.description == text)
    #expect(try FixedDecimal(decimal.description) == decimal)
  }

  @Test("the byte-level parser agrees with the String initializer")
  func byteParserAgrees() throws {
    #expect(parsedBytes("1.0845") == .success(FixedDecimal(significand: 10845, scale: 4)))
    #expect(parsedBytes("-12.50") == .success(FixedDecimal(significand: -1250, scale: 2)))
    #expect(parsedBytes("1e5") == .failure(.exponent))
    #expect(parsedBytes("") == .failure(.empty))
  }

  @Test("minus zero is zero and prints without its sign")
  func minusZero() throws {
    let minusZero = try FixedDecimal("-0")
    #expect(minusZero.significand == 0)
    #expect(minusZero.description == "0")
    #expect(minusZero == FixedDecimal(significand: 0, scale: 0))
    #expect(!minusZero.isNegative)
    #expect(try FixedDecimal("-0.00").description == "0.00")
  }

  @Test("leading zeros are dropped and not counted as significant digits")
  func leadingZeros() throws {
    #expect(try FixedDecimal("007").description == "7")
    #expect(try FixedDecimal("-00.50").description == "-0.50")
    // 30 leading zeros, then 18 significant digits: accepted.
    let padded = String(repeating: "0", count: 30) + "123456789012345678"
    #expect(try FixedDecimal(padded).significand == 123_456_789_012_345_678)
    let paddedFraction = "0." + String(repeating: "0", count: 10) + "12345678"
    #expect(try FixedDecimal(paddedFraction) == FixedDecimal(significand: 12_345_678, scale: 18))
  }

  @Test("the boundaries of digits: 18 significant digits accepted, 19 refused")
  func significantDigitsBoundary() throws {
    #expect(try FixedDecimal("999999999999999999").significand == 999_999_999_999_999_999)
    #expect(try FixedDecimal("99999999999999999.9").significand == 999_999_999_999_999_999)
    let error = #expect(throws: DecimalError.self) { try FixedDecimal("1234567890123456789") }
    #expect(error?.problem == .tooManyDigits)
    #expect(error?.description == "\"1234567890123456789\" is not a plain decimal: more than 18 digits")
    // Trailing fraction zeros are digits the text asks to keep.
    #expect(throws: DecimalError(text: "1.000000000000000000", problem: .tooManyDigits)) {
      try FixedDecimal("1.000000000000000000")
    }
    #expect(throws: DecimalError(text: "-0.1234567890123456789", problem: .tooManyDigits)) {
      try FixedDecimal("-0.1234567890123456789")
    }
    #expect(throws: DecimalError(text: "9223372036854775807", problem: .tooManyDigits)) {
      try FixedDecimal("9223372036854775807")
    }
  }

  @Test("the boundary of fraction digits: 18 accepted, 19 refused even when they are zeros")
  func fractionDigitsBoundary() throws {
    #expect(try FixedDecimal("0.000000000000000000").scale == 18)
    let error = #expect(throws: DecimalError.self) { try FixedDecimal("0.0000000000000000001") }
    #expect(error?.problem == .tooManyFractionDigits)
    #expect(
      error?.description == "\"0.0000000000000000001\" is not a plain decimal: more than 18 fraction digits")
    #expect(throws: DecimalError(text: "0.0000000000000000000", problem: .tooManyFractionDigits)) {
      try FixedDecimal("0.0000000000000000000")
    }
  }

  // MARK: Refused texts, each with its exact message

  @Test(
    "each refusal names the text and the reason",
    arguments: [
      ("1e5", "exponent notation is not accepted"),
      ("1E5", "exponent notation is not accepted"),
      ("1.5e-3", "exponent notation is not accepted"),
      ("5.e3", "exponent notation is not accepted"),
      ("NaN", "it is not a number"),
      ("nan", "it is not a number"),
      ("Infinity", "it is not a number"),
      ("-Infinity", "it is not a number"),
      ("inf", "it is not a number"),
      ("1,234.50", "a comma is neither a thousands separator nor a decimal point here"),
      ("12,50", "a comma is neither a thousands separator nor a decimal point here"),
      (" 1", "it contains a space"),
      ("1 000", "it contains a space"),
      ("1 ", "it contains a space"),
      ("\t1", "it contains a space"),
      ("+5", "only a leading minus sign is accepted"),
      ("1-", "only a leading minus sign is accepted"),
      ("--5", "only a leading minus sign is accepted"),
      ("1.-5", "only a leading minus sign is accepted"),
      (".5", "digits are missing before or after the decimal point"),
      ("-.5", "digits are missing before or after the decimal point"),
      ("5.", "digits are missing before or after the decimal point"),
      (".", "digits are missing before or after the decimal point"),
      ("-", "digits are missing before or after the decimal point"),
      ("", "it is empty"),
      ("1.2.3", "unexpected character '.'"),
      ("12a", "unexpected character 'a'"),
      ("sNaN", "unexpected character 's'"),
      ("$5", "unexpected character '$'"),
      ("1\n", "unexpected byte 0xa"),
      ("1\u{7F}", "unexpected byte 0x7f"),
      ("€5", "unexpected byte 0xe2"),
      ("１", "unexpected byte 0xef"),
    ])
  func refusal(text: String, reason: String) {
    let error = #expect(throws: DecimalError.self) { try FixedDecimal(text) }
    #expect(error?.text == text)
    #expect(error?.problem.reason == reason)
    #expect(error?.description == "\"\(text)\" is not a plain decimal: \(reason)")
  }

  @Test("the error keeps the problem as a value, so callers can switch on it")
  func problemValues() {
    #expect(parsedBytes("1e5") == .failure(.exponent))
    #expect(parsedBytes("NaN") == .failure(.notANumber))
    #expect(parsedBytes("1,234.50") == .failure(.comma))
    #expect(parsedBytes(" 1") == .failure(.whitespace))
    #expect(parsedBytes("+5") == .failure(.misplacedSign))
    #expect(parsedBytes(".5") == .failure(.missingDigits))
    #expect(parsedBytes("5.") == .failure(.missingDigits))
    #expect(parsedBytes("12a") == .failure(.unexpectedCharacter(UInt8(ascii: "a"))))
    #expect(parsedBytes("1234567890123456789") == .failure(.tooManyDigits))
    #expect(parsedBytes("0.0000000000000000001") == .failure(.tooManyFractionDigits))
  }
}

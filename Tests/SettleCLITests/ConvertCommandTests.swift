import Foundation
import Testing

@Suite struct ConvertCommandTests {
  @Test func convertsTheIssueExample() throws {
    let result = try SettleProcess.run(["convert", "123.45", "USD", "JPY", "--date", "2026-10-04"])
    #expect(result.status == 0)
    #expect(result.standardOutput == "19465 JPY\n")
  }

  @Test func explainsTheRatesThePublicationAndTheExactValue() throws {
    let result = try SettleProcess.run(["convert", "123.45", "USD", "JPY", "--date", "2026-10-04", "--explain"])
    #expect(
      result.standardOutput == """
        19465 JPY
          USD 1.1225 per EUR, JPY 176.99 per EUR
          ECB publication of 2026-10-02 (for 2026-10-04)
          exact 19464.958129175946… JPY, rounded half-even

        """)
  }

  @Test func negativeAmountsRoundByMode() throws {
    let floor = try SettleProcess.run([
      "convert", "-123.45", "USD", "JPY", "--date", "2026-10-02", "--rounding", "floor",
    ])
    #expect(floor.standardOutput == "-19465 JPY\n")
    let down = try SettleProcess.run(["convert", "-123.45", "USD", "JPY", "--date", "2026-10-02", "--rounding", "down"])
    #expect(down.standardOutput == "-19464 JPY\n")
  }

  @Test func withoutADateUsesTheLatestPublication() throws {
    let result = try SettleProcess.run(["convert", "1.11", "EUR", "USD", "--explain"])
    #expect(result.standardOutput.contains("ECB publication of 2026-10-30"))
  }

  @Test(arguments: [
    (
      ["convert", "12,50", "USD", "JPY"],
      "settle: amount \"12,50\" is not a plain decimal: a comma is neither a thousands separator nor a decimal point here\n"
    ),
    (
      ["convert", "12.505", "USD", "JPY"],
      "settle: amount \"12.505\" is not a plain decimal: USD allows at most 2 fraction digits\n"
    ),
    (["convert", "1", "usd", "JPY"], "settle: currency \"usd\" is not three capital letters\n"),
    (
      ["convert", "1", "USD", "JPY", "--date", "2026-13-01"],
      "settle: \"2026-13-01\" is not a day in the form YYYY-MM-DD\n"
    ),
    (
      ["convert", "1", "USD", "KWD", "--date", "2026-10-30"],
      "settle: no ECB rate for KWD on 2026-10-30: the publication of 2026-10-30 does not list it (rates/eurofxref-hist.xml)\n"
    ),
  ])
  func refusesBadInputInOneLine(arguments: [String], message: String) throws {
    let result = try SettleProcess.run(arguments)
    #expect(result.status == 1)
    #expect(result.standardOutput.isEmpty)
    #expect(result.standardError == message)
  }

  @Test func anUnknownRoundingModeIsRefused() throws {
    let result = try SettleProcess.run(["convert", "1", "USD", "JPY", "--rounding", "bankers"])
    #expect(result.status != 0)
    #expect(
      result.standardError.contains(
        "--rounding \"bankers\" is not one of half-even, half-up, half-down, up, down, ceiling, floor"))
  }

  @Test func theRatesDirectoryComesFromTheEnvironment() throws {
    let result = try SettleProcess.run(
      ["convert", "1", "USD", "JPY"], environment: ["SETTLE_RATES_DIR": "/nonexistent-settle-rates"])
    #expect(result.status == 1)
    #expect(result.standardError.contains("/nonexistent-settle-rates/eurofxref-hist.xml"))
  }

  @Test func batchConvertsGoodRowsAndReportsBadOnes() throws {
    let input = """
      amount,from,to,date,rounding
      123.45,USD,JPY,2026-10-04,
      -12.50,GBP,EUR,2026-10-30,floor
      12.505,USD,JPY,2026-10-04,
      1,USD,KWD,2026-10-30,
      5,XXX,EUR,2026-10-30,
      100,EUR,USD,2026-10-30,up

      """
    let result = try SettleProcess.run(["convert", "--batch", "-"], standardInput: input)
    #expect(result.status == 1)
    let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines[0] == "amount,from,to,date,rounding,result,rate_date,error")
    #expect(lines[1] == "123.45,USD,JPY,2026-10-04,,19465,2026-10-02,")
    #expect(lines[2] == "-12.50,GBP,EUR,2026-10-30,floor,-15.00,2026-10-30,")
    #expect(
      lines[3]
        == "12.505,USD,JPY,2026-10-04,,,,\"line 4: amount \"\"12.505\"\" is not a plain decimal: USD allows at most 2 fraction digits\""
    )
    #expect(lines[4].hasPrefix("1,USD,KWD,2026-10-30,,,,line 5: no ECB rate for KWD on 2026-10-30"))
    #expect(
      lines[5] == "5,XXX,EUR,2026-10-30,,,,line 6: currency \"\"XXX\"\" is not an ISO 4217 currency with minor units"
        .replacingOccurrences(of: "line 6", with: "\"line 6") + "\"")
    #expect(lines[6] == "100,EUR,USD,2026-10-30,up,111.72,2026-10-30,")
    #expect(result.standardError == "settle: 3 rows of - could not be converted; see the error column\n")
  }

  @Test func batchOfGoodRowsExitsZero() throws {
    let input = "amount,from,to,date\n1000,JPY,EUR,2026-10-30\n"
    let result = try SettleProcess.run(["convert", "--batch", "-"], standardInput: input)
    #expect(result.status == 0)
    #expect(
      result.standardOutput == "amount,from,to,date,result,rate_date,error\n1000,JPY,EUR,2026-10-30,5.69,2026-10-30,\n")
  }

  @Test func batchWithoutTheNeededColumnsIsRefused() throws {
    let result = try SettleProcess.run(["convert", "--batch", "-"], standardInput: "amount,from,to\n1,USD,EUR\n")
    #expect(result.status == 1)
    #expect(result.standardError == "settle: -:1: the header has no \"date\" column (expected amount,from,to,date)\n")
  }
}

@Suite struct RatesShowTests {
  @Test func showsEachCurrencyWithItsPublicationDay() throws {
    let result = try SettleProcess.run(["rates", "show", "--date", "2026-10-04"])
    #expect(result.status == 0)
    let lines = result.standardOutput.split(separator: "\n")
    #expect(lines.contains("USD 1.1225 2026-10-02"))
    #expect(lines.contains("JPY 176.99 2026-10-02"))
    #expect(lines.count == 29)
  }

  @Test func aDayWithoutAPublicationFails() throws {
    let result = try SettleProcess.run(["rates", "show", "--date", "1998-12-01"])
    #expect(result.status == 1)
    #expect(result.standardError.hasPrefix("settle: no ECB rate for EUR on 1998-12-01"))
  }
}

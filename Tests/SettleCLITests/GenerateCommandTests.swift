import Foundation
import Testing

@Suite struct GenerateCommandTests {
  @Test("generate orders writes the header and N rows, the same bytes each time")
  func writesDeterministicCSV() throws {
    let arguments = ["generate", "orders", "--count", "5", "--seed", "3", "--period", "2026-10"]
    let first = try SettleProcess.run(arguments)
    #expect(first.status == 0)
    #expect(first.standardError == "")
    let lines = first.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 7)
    #expect(
      lines.first
        == "order_id,affiliate_id,clicked_at,ordered_at,status,buyer_country,buyer_type,category,amount,currency")
    #expect(lines.last == "")
    #expect(try SettleProcess.run(arguments).standardOutput == first.standardOutput)
    let otherSeed = try SettleProcess.run(["generate", "orders", "--count", "5", "--seed", "4", "--period", "2026-10"])
    #expect(otherSeed.standardOutput != first.standardOutput)
  }

  @Test(
    "bad options are refused with one line naming them",
    arguments: [
      (["--count", "5", "--period", "2026-13"], "settle: period \"2026-13\" is not a month in the form YYYY-MM\n"),
      (["--count", "5", "--period", "2026-1"], "settle: period \"2026-1\" is not a month in the form YYYY-MM\n"),
      (["--count=-1", "--period", "2026-10"], "settle: count -1 is not between 0 and 1000000000\n"),
      (
        ["--count", "5", "--period", "1970-12"],
        "settle: period \"1970-12\" is outside the years 1971–2260 that orders can be generated for\n"
      ),
    ])
  func refusesBadOptions(options: [String], message: String) throws {
    let result = try SettleProcess.run(["generate", "orders"] + options)
    #expect(result.status == 1)
    #expect(result.standardOutput == "")
    #expect(result.standardError == message)
  }
}

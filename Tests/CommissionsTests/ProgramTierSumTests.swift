import Commissions
import Testing

/// A tier's bonus is added to each market's percentage exactly; a pair with no exact sum in 64 bits is
/// refused when the program is read. Found by fuzzing (`Fuzz/`, target FuzzProgram): such a program
/// parsed, and making a `PeriodSettlement` from it trapped.
@Suite struct ProgramTierSumTests {
  static func program(new: String, bonus: String) -> String {
    """
    name: Tier sums
    settlement_currency: USD
    attribution_window_days: 30
    markets:
      - name: all
        countries: every_other
        percentage: {new: \(new), returning: 1}
    tiers:
      - sales_above: 100.00
        bonus_percentage_points: \(bonus)

    """
  }

  @Test(
    "a bonus whose sum with a percentage needs more than 64 bits is refused, naming both",
    arguments: [
      // 99.9999999999999999 at 18 fraction digits is about 10^20.
      ("99.9999999999999999", "0.000000000000000001", "18"),
      // Both fit at 17 digits, but 90 + 9 is 9.9 × 10^18 there.
      ("90", "9.00000000000000000", "17"),
    ])
  func refused(new: String, bonus: String, scale: String) {
    let error = #expect(throws: ProgramError.self) {
      try Program.parse(Array(ProgramTierSumTests.program(new: new, bonus: bonus).utf8), source: "test.yaml")
    }
    #expect(
      error?.description
        == "test.yaml:10: tiers[0].bonus_percentage_points: \(bonus) added to markets[0].percentage.new (\(new)) "
        + "has no exact sum in 64 bits at \(scale) fraction digits")
  }

  @Test("a bonus whose sum with every percentage fits is kept, and a settlement can be made")
  func kept() throws {
    let text = ProgramTierSumTests.program(new: "99.9999999999999999", bonus: "0.0000000000000001")
    let program = try Program.parse(Array(text.utf8), source: "test.yaml")
    #expect(program.tiers.map { "\($0.bonusPercentagePoints)" } == ["0.0000000000000001"])
    let settlement = PeriodSettlement(
      program: program, rates: try SettlementFixtures.rates(), period: try SettlementFixtures.month("2026-10"))
    #expect(settlement.program.tiers.count == 1)
  }
}

import BankDetails
import Testing

@Suite("Spreadsheet text")
struct SpreadsheetTextTests {
  @Test(
    "text a spreadsheet would run as a formula",
    arguments: ["=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx", "=", "-", "=HYPERLINK(\"http://x\")"])
  func formulaLike(text: String) {
    #expect(SpreadsheetText.isFormulaLike(text))
  }

  @Test(
    "text a spreadsheet shows as it is",
    arguments: ["a=b", "", "Ann", " =1", "\nx", "1-2", "ann@example.com", "Ärzte", "＝1"])
  func notFormulaLike(text: String) {
    #expect(!SpreadsheetText.isFormulaLike(text))
  }
}

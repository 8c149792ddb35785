import BankDetails

/// Text from the affiliates file on its way into messages and CSV files Settle writes.
enum CSVText {
  /// `"value"` for an error message, or a note that the value is withheld when a spreadsheet
  /// would run it as a formula (the message itself may end up in a CSV cell).
  static func quotedSafely(_ text: String) -> String {
    SpreadsheetText.isFormulaLike(text) ? "(a value beginning with a formula character)" : "\"\(text)\""
  }

  /// A field for a CSV Settle writes: text that a spreadsheet would run as a formula is written
  /// behind an apostrophe, so it shows as text. Only identifiers that must still appear (an
  /// affiliate id) go through this; any other formula-like field holds its payout instead.
  static func neutralised(_ text: String) -> String {
    SpreadsheetText.isFormulaLike(text) ? "'" + text : text
  }
}

/// Text a spreadsheet would run as a formula when a CSV is opened: it begins with =, +, -, @, a tab (0x09) or a
/// carriage return (0x0D).
///
/// Any field that affiliates or their banks chose (names, e-mail addresses, references) can carry such text into
/// a payout CSV that someone opens in Excel or LibreOffice ("CSV injection"). A writer that finds one should
/// refuse it or quote it so it stays text, e.g. with a leading apostrophe.
public enum SpreadsheetText {
  /// Whether `text` begins with one of the formula-starting characters. The empty text is not formula-like.
  public static func isFormulaLike(_ text: String) -> Bool {
    switch text.utf8.first {
    case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: true
    default: false
    }
  }
}

/// An independent reference for ISO 13616 check digits, written the long way round and not like the library:
/// the letters are first written out as their two-digit numbers (A = 10 … Z = 35), and the remainder of the whole
/// digit string mod 97 is summed from the right, each digit weighted by its power of ten mod 97.
enum ReferenceCheckDigits {
  private static let values: [Character: Int] = Dictionary(
    uniqueKeysWithValues: "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".enumerated().map { ($1, $0) })

  /// The digit string a text of capitals and digits stands for, e.g. `"DE00"` → `"131400"`.
  static func digits(_ text: String) -> String {
    text.map { character -> String in
      guard let value = values[character] else { preconditionFailure("\(character) is not a capital or a digit") }
      return String(value)
    }.joined()
  }

  /// The remainder mod 97 of the number a text of capitals and digits stands for.
  static func remainder(_ text: String) -> Int {
    var total = 0
    var weight = 1
    for digit in digits(text).reversed() {
      guard let value = digit.wholeNumberValue else { preconditionFailure("\(digit) is not a digit") }
      total = (total + value * weight) % 97
      weight = weight * 10 % 97
    }
    return total
  }

  /// The check digits, 2 to 98, for an IBAN's country code and BBAN.
  static func expected(countryCode: String, bban: String) -> Int {
    98 - remainder(bban + countryCode + "00")
  }

  /// Whether an IBAN in electronic format passes the bare mod-97 test: first four characters moved to the end,
  /// remainder 1.
  static func passes(_ electronic: String) -> Bool {
    remainder(String(electronic.dropFirst(4)) + String(electronic.prefix(4))) == 1
  }

  /// Two digits, with a leading zero below ten, as the messages write check digits.
  static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

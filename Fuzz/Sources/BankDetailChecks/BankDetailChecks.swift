public import BankDetails
import FuzzSupport

/// Checks of validated bank details, computed here from scratch rather than with the validators' own code.
public enum BankDetailChecks {
  /// A valid IBAN: capitals and digits, 5 to 34 characters, check digits 02 to 98 that ISO 7064 MOD 97-10
  /// (as a 128-bit remainder over the rearranged number) accepts, the country its first two letters, and its
  /// electronic and printed forms validate to the same IBAN.
  public static func check(_ iban: IBAN) {
    let electronic = Array(iban.electronic.utf8)
    invariant((5...IBAN.bytesMax).contains(electronic.count), "IBAN \(iban) has \(electronic.count) characters")
    invariant(
      electronic.allSatisfy { isDigit($0) || isCapital($0) } && electronic.prefix(2).allSatisfy(isCapital)
        && electronic[2..<4].allSatisfy(isDigit),
      "IBAN \(iban) is not two letters, two digits and capitals or digits")
    invariant(remainderMod97(electronic[4...] + electronic[0..<4]) == 1, "IBAN \(iban) fails mod 97")
    let checkDigits = Int(electronic[2] - 48) * 10 + Int(electronic[3] - 48)
    invariant((2...98).contains(checkDigits), "IBAN \(iban) has check digits \(checkDigits)")
    invariant(
      iban.country.code == String(decoding: electronic[0..<2], as: UTF8.self), "IBAN \(iban) is in \(iban.country)")
    for form in [iban.electronic, iban.printed, iban.printed.lowercased()] {
      let again = try? IBAN(form)
      invariant(again == iban, "IBAN \(iban) as \(form.debugDescription) validates to \(String(describing: again))")
    }
  }

  /// A valid BIC: 8 or 11 capitals and digits, four letters, then the country's two letters; it validates again.
  public static func check(_ bic: BIC) {
    let code = Array(bic.code.utf8)
    invariant(code.count == 8 || code.count == 11, "BIC \(bic) has \(code.count) characters")
    invariant(
      code.allSatisfy { isDigit($0) || isCapital($0) } && code.prefix(6).allSatisfy(isCapital),
      "BIC \(bic) is not six letters then capitals or digits")
    invariant(bic.country.code == String(decoding: code[4..<6], as: UTF8.self), "BIC \(bic) is in \(bic.country)")
    let again = try? BIC(" " + bic.code.lowercased() + " ")
    invariant(again == bic, "BIC \(bic) validates again to \(String(describing: again))")
  }

  /// A valid e-mail address: at most `bytesMax` bytes, one `@` with text on both sides, and it validates again.
  public static func check(_ address: EmailAddress) {
    let bytes = Array(address.text.utf8)
    invariant(bytes.count <= EmailAddress.bytesMax, "e-mail address \(address) has \(bytes.count) bytes")
    guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else {
      invariant(false, "e-mail address \(address) has no @")
      return
    }
    invariant(at > 0 && at < bytes.count - 1, "e-mail address \(address) has nothing on one side of its @")
    let again = try? EmailAddress(address.text)
    invariant(again == address, "e-mail address \(address) validates again to \(String(describing: again))")
  }

  /// The remainder mod 97 of the number the characters spell, letters standing for 10 to 35.
  static func remainderMod97(_ characters: ArraySlice<UInt8>) -> Int {
    var remainder: Int128 = 0
    for byte in characters {
      remainder = isDigit(byte) ? (remainder * 10 + Int128(byte - 48)) % 97 : (remainder * 100 + Int128(byte - 55)) % 97
    }
    return Int(remainder)
  }

  static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
  static func isCapital(_ byte: UInt8) -> Bool { byte >= 65 && byte <= 90 }
}

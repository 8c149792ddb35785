/// The IBAN check digits of ISO 13616 (ISO 7064 MOD 97-10).
enum CheckDigits {
  /// The check digits, 02 to 98, for a BBAN and country code of capitals and digits: 98 minus the remainder
  /// mod 97 of BBAN, country code and `00` read as one number, letters standing for 10 (A) to 35 (Z).
  ///
  /// The number is never built: the remainder runs along it a character at a time and stays below 97, so
  /// `remainder * 100 + 35` fits easily in a `UInt32`.
  static func expected(bban: ArraySlice<UInt8>, countryCode: ArraySlice<UInt8>) -> Int {
    var remainder: UInt32 = 0
    for byte in bban { remainder = appending(byte, to: remainder) }
    for byte in countryCode { remainder = appending(byte, to: remainder) }
    remainder = remainder * 100 % 97
    return 98 - Int(remainder)
  }

  private static func appending(_ byte: UInt8, to remainder: UInt32) -> UInt32 {
    if ASCII.isDigit(byte) { return (remainder * 10 + UInt32(byte - 0x30)) % 97 }
    precondition(ASCII.isCapital(byte), "check digits are computed over capitals and digits only")
    return (remainder * 100 + UInt32(byte - 0x41 + 10)) % 97
  }
}

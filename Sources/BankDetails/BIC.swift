public import Countries

/// A Business Identifier Code (ISO 9362): 4 letters institution, 2 letters country (an assigned ISO 3166-1 code,
/// or XK), 2 alphanumeric location, optional 3 alphanumeric branch.
///
/// XK (Kosovo) passes every check of the code but is refused last, because `Country` holds only assigned
/// ISO 3166-1 codes and `country` must be one.
public struct BIC: Sendable, Hashable, CustomStringConvertible {
  /// The longest text `init` reads, in UTF-8 bytes, surrounding spaces included; longer text is refused unread.
  public static let textBytesMax = 32

  /// 8 or 11 characters, upper case, e.g. `"DEUTDEFF"` or `"DEUTDEFF500"`. An 11-character code with branch
  /// `XXX` is kept as given: it names the same office as its first 8 characters but is a different value.
  public let code: String
  public let country: Country

  /// Reads a BIC: surrounding spaces are removed and small letters made capital; a space inside is refused.
  /// - Throws: `BankDetailsError` of kind `"BIC"` naming the text and the first check it fails.
  public init(_ text: String) throws(BankDetailsError) {
    do {
      let (code, country) = try BIC.validated(text)
      self.code = String(decoding: code, as: UTF8.self)
      self.country = country
    } catch {
      throw BankDetailsError(kind: "BIC", value: text, reason: error.reason)
    }
  }

  public var description: String { code }

  private static func validated(_ text: String) throws(Refusal) -> (code: [UInt8], country: Country) {
    let code = try capitalBytes(text)
    guard code.count == 8 || code.count == 11 else {
      throw Refusal("is \(code.count) characters, a BIC has 8 or 11")
    }
    guard code[0..<4].allSatisfy(ASCII.isCapital) else {
      throw Refusal("has institution code \"\(String(decoding: code[0..<4], as: UTF8.self))\", expected four letters")
    }
    let countryCode = String(decoding: code[4..<6], as: UTF8.self)
    guard code[4..<6].allSatisfy(ASCII.isCapital) else {
      throw Refusal("has country code \"\(countryCode)\", expected two letters")
    }
    let country = code.withUnsafeBufferPointer { Country.lookup(UnsafeBufferPointer(rebasing: $0[4..<6])) }
    guard let country else {
      if countryCode == "XK" {
        throw Refusal("has country code XK, which BICs use for Kosovo but ISO 3166-1 does not assign")
      }
      throw Refusal("has country code \(countryCode), which is not an ISO 3166-1 code")
    }
    return (code, country)
  }

  /// The text without surrounding spaces, small letters made capital, or the reason it cannot be a BIC: too long
  /// to read, empty, a space inside, or a character other than a letter or digit.
  private static func capitalBytes(_ text: String) throws(Refusal) -> [UInt8] {
    let textBytes = text.utf8.count
    guard textBytes > 0 else { throw Refusal("is empty") }
    guard textBytes <= textBytesMax else {
      throw Refusal("is \(textBytes) bytes, more than the \(textBytesMax) read for a BIC")
    }
    let bytes = Array(text.utf8)
    guard let first = bytes.firstIndex(where: { $0 != ASCII.space }),
      let last = bytes.lastIndex(where: { $0 != ASCII.space })
    else { throw Refusal("has only spaces") }
    var code: [UInt8] = []
    code.reserveCapacity(last - first + 1)
    for offset in first...last {
      guard let capital = ASCII.capitalAlphanumeric(bytes[offset]) else {
        let character = ASCII.characterAt(byteOffset: offset, in: text)
        throw Refusal("has \(character); a BIC has only letters and digits")
      }
      code.append(capital)
    }
    return code
  }
}

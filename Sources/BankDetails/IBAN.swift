public import Countries

/// An International Bank Account Number, validated (ISO 13616): country's length and BBAN format from the
/// registry, mod-97 check digits.
///
/// The checks run in this order, and the first that fails is the reason thrown: the text is at most
/// `textBytesMax` bytes; it has only letters, digits and spaces; without spaces it is at most `bytesMax`
/// characters; it starts with two letters and two digits; the country is in the registry; the length is the
/// country's; the BBAN fits the country's format; the check digits are the ones the rest gives (02 to 98, so the
/// aliases 00, 01 and 99, which pass a bare remainder test, are refused too); the country is an ISO 3166-1 code
/// (the registry lists XK, Kosovo, which `Country` cannot hold).
public struct IBAN: Sendable, Hashable, CustomStringConvertible {
  /// The longest IBAN in electronic format, in bytes (characters: all are ASCII).
  public static let bytesMax = 34
  /// The longest text `init` reads, in UTF-8 bytes, before it removes spaces; longer text is refused unread.
  public static let textBytesMax = 64

  /// Electronic format: capitals and digits, no spaces, e.g. "DE89370400440532013000".
  public let electronic: String
  public let country: Country

  /// Accepts the paper format too: spaces removed, lower case upper-cased, before checking.
  /// - Throws: `BankDetailsError` of kind `"IBAN"` naming the text and the first check it fails.
  public init(_ text: String) throws(BankDetailsError) {
    do {
      let (electronic, country) = try IBAN.validated(text)
      self.electronic = String(decoding: electronic, as: UTF8.self)
      self.country = country
    } catch {
      throw BankDetailsError(kind: "IBAN", value: text, reason: error.reason)
    }
  }

  /// Paper format: groups of four separated by spaces, e.g. "DE89 3704 0044 0532 0130 00".
  public var printed: String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(IBAN.bytesMax + IBAN.bytesMax / 4)
    for (offset, byte) in electronic.utf8.enumerated() {
      if offset > 0 && offset % 4 == 0 { bytes.append(ASCII.space) }
      bytes.append(byte)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  public var description: String { electronic }

  /// Whether the country is in the SEPA scheme (from the registry).
  public var isSEPA: Bool {
    let first = UInt8(truncatingIfNeeded: country.packedCode >> 8)
    let second = UInt8(truncatingIfNeeded: country.packedCode)
    guard let entry = IBANRegistry.entry(first, second) else {
      preconditionFailure("IBAN \(electronic) has a country that is not in the registry")
    }
    return entry.isSEPA
  }

  /// The electronic format of `text` and its country, or the reason it is not an IBAN.
  private static func validated(_ text: String) throws(Refusal) -> (electronic: [UInt8], country: Country) {
    let electronic = try electronicBytes(text)
    guard electronic.count <= bytesMax else {
      throw Refusal("is \(electronic.count) characters, longer than the longest IBAN (\(bytesMax))")
    }
    guard electronic.count >= 4, ASCII.isCapital(electronic[0]), ASCII.isCapital(electronic[1]),
      ASCII.isDigit(electronic[2]), ASCII.isDigit(electronic[3])
    else { throw Refusal("does not start with two letters and two check digits") }
    let code = String(decoding: electronic[0..<2], as: UTF8.self)
    guard let entry = IBANRegistry.entry(electronic[0], electronic[1]) else {
      throw Refusal("has country code \(code), which is not in the IBAN registry")
    }
    guard electronic.count == entry.ibanLength else {
      throw Refusal("is \(electronic.count) characters, \(code) IBANs have \(entry.ibanLength)")
    }
    let bban = electronic[4...]
    if let mismatch = BBANPattern(entry.bbanClasses).firstMismatch(in: bban) {
      throw Refusal(reason(mismatch, format: "\(code) format \(entry.bbanFormat)"))
    }
    let given = Int(electronic[2] - 0x30) * 10 + Int(electronic[3] - 0x30)
    let expected = CheckDigits.expected(bban: bban, countryCode: electronic[0..<2])
    guard given == expected else {
      throw Refusal("has check digits \(twoDigits(given)), expected \(twoDigits(expected))")
    }
    let country = electronic.withUnsafeBufferPointer { Country.lookup(UnsafeBufferPointer(rebasing: $0[0..<2])) }
    guard let country else {
      throw Refusal("has country code \(code), which the IBAN registry lists but ISO 3166-1 does not assign")
    }
    return (electronic, country)
  }

  /// The text with spaces removed and small letters made capital, or the reason it cannot be an IBAN: too long to
  /// read, empty, or a character other than a letter, digit or space.
  private static func electronicBytes(_ text: String) throws(Refusal) -> [UInt8] {
    let textBytes = text.utf8.count
    guard textBytes > 0 else { throw Refusal("is empty") }
    guard textBytes <= textBytesMax else {
      throw Refusal("is \(textBytes) bytes, more than the \(textBytesMax) read for an IBAN")
    }
    var electronic: [UInt8] = []
    electronic.reserveCapacity(textBytes)
    for (offset, byte) in text.utf8.enumerated() where byte != ASCII.space {
      guard let capital = ASCII.capitalAlphanumeric(byte) else {
        let character = ASCII.characterAt(byteOffset: offset, in: text)
        throw Refusal("has \(character); an IBAN has only letters, digits and spaces")
      }
      electronic.append(capital)
    }
    guard !electronic.isEmpty else { throw Refusal("has only spaces") }
    return electronic
  }

  private static func reason(_ mismatch: BBANPattern.Mismatch, format: String) -> String {
    switch mismatch {
    case .character(let position, let byte, let expected):
      "BBAN character \(position) is \(ASCII.shown(byte)), expected \(expected) (\(format))"
    case .end(let length, let expected):
      "BBAN ends after \(length) characters, expected \(expected) (\(format))"
    }
  }

  private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

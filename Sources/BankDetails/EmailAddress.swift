/// An e-mail address of a plausible shape: one @, non-empty local part of printable ASCII without spaces, a domain
/// with at least one dot, labels of letters/digits/hyphens (not starting or ending with hyphen), total ≤ 254 bytes
/// (`bytesMax`), local part ≤ 64 (`localPartBytesMax`), each domain label ≤ 63 (`domainLabelBytesMax`).
///
/// Plausible is all: the address may still not exist, and the checks do not cover quoted local parts,
/// international domain names or address literals. The text is kept as given, so two addresses that differ only
/// in the case of the domain are different values. A shape check does not make the text safe for a CSV: an
/// address may begin with `=`; see `SpreadsheetText`.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
  /// The longest address, in bytes (RFC 5321's 256-byte path less its angle brackets).
  public static let bytesMax = 254
  /// The longest local part (before the @), in bytes (RFC 5321).
  public static let localPartBytesMax = 64
  /// The longest domain label (between dots), in bytes (RFC 1035).
  public static let domainLabelBytesMax = 63

  public let text: String

  /// - Throws: `BankDetailsError` of kind `"e-mail address"` naming the text and the first check it fails.
  public init(_ text: String) throws(BankDetailsError) {
    do {
      try EmailAddress.check(text)
    } catch {
      throw BankDetailsError(kind: "e-mail address", value: text, reason: error.reason)
    }
    self.text = text
  }

  public var description: String { text }

  private static func check(_ text: String) throws(Refusal) {
    let textBytes = text.utf8.count
    guard textBytes > 0 else { throw Refusal("is empty") }
    guard textBytes <= bytesMax else {
      throw Refusal("is \(textBytes) bytes, more than the \(bytesMax) an e-mail address may have")
    }
    let bytes = Array(text.utf8)
    let atCount = bytes.count(where: { $0 == UInt8(ascii: "@") })
    guard atCount == 1, let at = bytes.firstIndex(of: UInt8(ascii: "@")) else {
      throw Refusal(atCount == 0 ? "has no @" : "has \(atCount) @ signs, expected one")
    }
    try checkLocalPart(bytes[..<at], in: text)
    try checkDomain(bytes[(at + 1)...], in: text)
  }

  private static func checkLocalPart(_ local: ArraySlice<UInt8>, in text: String) throws(Refusal) {
    guard !local.isEmpty else { throw Refusal("has nothing before the @") }
    guard local.count <= localPartBytesMax else {
      throw Refusal("has a local part of \(local.count) bytes, more than \(localPartBytesMax)")
    }
    if let offset = local.firstIndex(where: { $0 < 0x21 || $0 > 0x7E }) {
      let character = ASCII.characterAt(byteOffset: offset, in: text)
      throw Refusal("has \(character); the part before the @ is printable ASCII without spaces")
    }
  }

  private static func checkDomain(_ domain: ArraySlice<UInt8>, in text: String) throws(Refusal) {
    guard !domain.isEmpty else { throw Refusal("has nothing after the @") }
    let shownDomain = String(decoding: domain, as: UTF8.self).debugDescription
    guard domain.contains(UInt8(ascii: ".")) else { throw Refusal("has domain \(shownDomain), which has no dot") }
    let isDomainByte = { (byte: UInt8) in
      ASCII.isLetter(byte) || ASCII.isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
    if let offset = domain.firstIndex(where: { !isDomainByte($0) }) {
      let character = ASCII.characterAt(byteOffset: offset, in: text)
      throw Refusal("has \(character); a domain has only letters, digits, hyphens and dots")
    }
    for label in domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
      let shownLabel = String(decoding: label, as: UTF8.self).debugDescription
      guard let first = label.first, let last = label.last else {
        throw Refusal("has domain \(shownDomain), which has an empty label")
      }
      guard label.count <= domainLabelBytesMax else {
        throw Refusal("has a domain label of \(label.count) bytes, more than \(domainLabelBytesMax)")
      }
      guard first != UInt8(ascii: "-") else {
        throw Refusal("has domain label \(shownLabel), which starts with a hyphen")
      }
      guard last != UInt8(ascii: "-") else { throw Refusal("has domain label \(shownLabel), which ends with a hyphen") }
    }
  }
}

/// The locale amounts are formatted for: the `locale` query, else the first usable language of
/// `Accept-Language`, else `en_US`.
enum Locales {
  static let fallback = "en_US"
  /// Longest locale identifier accepted, in bytes.
  static let identifierBytesMax = 32

  static func preferred(query: String?, _ acceptLanguage: String?) -> String {
    if let query, let locale = identifier(Substring(query)) { return locale }
    for range in (acceptLanguage ?? "").split(separator: ",").prefix(8) {
      let tag = range.split(separator: ";")[0].trimmingPrefix(" ")
      if tag != "*", let locale = identifier(Substring(tag)) { return locale }
    }
    return fallback
  }

  /// `en-GB`, `de_DE`, `ja` as `en_GB`, `de_DE`, `ja`; nil for anything else.
  static func identifier(_ text: Substring) -> String? {
    let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "_" })
    guard text.utf8.count <= identifierBytesMax, let language = parts.first, (2...3).contains(language.count),
      language.allSatisfy({ $0.isASCII && $0.isLetter }),
      parts.dropFirst().allSatisfy({
        (2...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
      })
    else { return nil }
    var identifier = language.lowercased()
    for part in parts.dropFirst() { identifier += "_" + (part.count == 2 ? part.uppercased() : String(part)) }
    return identifier
  }
}

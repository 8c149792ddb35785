/// Free text as banks accept it in SEPA and SWIFT messages: the Latin character set
/// `a-z A-Z 0-9 / - ? : ( ) . , ' +` and space.
///
/// Accented and other Latin letters become their base letters (`é` → `e`, `ß` → `ss`, `Æ` → `AE`,
/// `Ø` → `O`, `ł` → `l`; see `SEPAText+Table.swift`), typographic quotes and dashes their plain forms, `&`
/// becomes `+`, and a combining accent is dropped. Anything else — other scripts, `<`, `@`, `_`, emoji,
/// control characters — becomes a space; runs of spaces collapse to one and the ends are trimmed, so
/// `"Müller & Söhne"` is `"Muller + Sohne"` and `"李小龙 (Bruce)"` is `"(Bruce)"`. The result is then cut
/// to the field's length in characters (all ASCII by then, so any cut is on a character boundary).
enum SEPAText {
  /// The name written when nothing of a name survives transliteration, as EPC guidance suggests.
  static let notProvided = "NOTPROVIDED"

  /// The text in the SEPA character set, at most `charactersMax` characters; nil when nothing is left.
  static func cleaned(_ text: String, charactersMax: Int) -> String? {
    precondition(charactersMax > 0, "a text field holds at least one character")
    var output: [UInt8] = []
    output.reserveCapacity(charactersMax + 2)
    // A space is written only before the next kept character, so runs collapse and the end is trimmed.
    var spacePending = false
    for scalar in text.unicodeScalars {
      let replacement = SEPAText.replacement(scalar)
      if replacement.isEmpty { continue }
      for byte in replacement.utf8 {
        if byte == UInt8(ascii: " ") {
          spacePending = !output.isEmpty
          continue
        }
        if spacePending {
          output.append(UInt8(ascii: " "))
          spacePending = false
        }
        output.append(byte)
      }
      if output.count > charactersMax { break }
    }
    if output.count > charactersMax { output.removeLast(output.count - charactersMax) }
    while output.last == UInt8(ascii: " ") { output.removeLast() }
    return output.isEmpty ? nil : String(decoding: output, as: UTF8.self)
  }

  /// A party's name: cleaned, or `NOTPROVIDED` when no letter or digit is left (`"<&>"` would be `"+"`), so
  /// the element is never empty or bare punctuation.
  static func name(_ text: String, charactersMax: Int) -> String {
    guard let name = cleaned(text, charactersMax: charactersMax),
      name.utf8.contains(where: { isLetterOrDigit($0) })
    else { return notProvided }
    return name
  }

  /// What one scalar becomes: itself when allowed, its transliteration, "" for a combining accent, or a space.
  private static func replacement(_ scalar: Unicode.Scalar) -> String {
    if scalar.isASCII && isAllowed(UInt8(scalar.value)) { return String(scalar) }
    if let transliterated = transliterations[scalar] { return transliterated }
    // Combining diacritical marks (U+0300–U+036F): a decomposed "é" keeps its "e".
    if (0x300...0x36F).contains(scalar.value) { return "" }
    return " "
  }

  private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      true
    default:
      false
    }
  }

  /// Whether an ASCII byte is in the SEPA character set.
  static func isAllowed(_ byte: UInt8) -> Bool {
    if isLetterOrDigit(byte) { return true }
    return switch byte {
    case UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: "("),
      UInt8(ascii: ")"), UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "'"), UInt8(ascii: "+"),
      UInt8(ascii: " "):
      true
    default:
      false
    }
  }
}

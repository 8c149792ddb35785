/// Byte classes and the wording for a character that a check refuses.
enum ASCII {
  static let space: UInt8 = 0x20

  static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

  static func isCapital(_ byte: UInt8) -> Bool { byte &- 0x41 < 26 }

  static func isSmall(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }

  static func isLetter(_ byte: UInt8) -> Bool { isCapital(byte) || isSmall(byte) }

  /// The byte as a capital letter or digit (a small letter is made capital), or nil for any other byte.
  static func capitalAlphanumeric(_ byte: UInt8) -> UInt8? {
    if isDigit(byte) || isCapital(byte) { return byte }
    if isSmall(byte) { return byte - 0x20 }
    return nil
  }

  /// Names the character that starts at `byteOffset` of `text` and its position, counted in Unicode scalars from 1,
  /// for a reason such as `has '-' at character 5`. Only called on the way to a refusal.
  static func characterAt(byteOffset: Int, in text: String) -> String {
    var offset = 0
    var position = 1
    for scalar in text.unicodeScalars {
      if offset >= byteOffset { return "\(shown(scalar)) at character \(position)" }
      offset += UTF8.width(scalar)
      position += 1
    }
    preconditionFailure("byte offset \(byteOffset) is past the end of the text")
  }

  /// A character as a reason shows it: `'-'`, `'ü'`, `a space`, `a tab`, `'\u{0}'`.
  static func shown(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case " ": "a space"
    case "\t": "a tab"
    case "\r": "a carriage return"
    case "\n": "a line feed"
    default: "'\(scalar.escaped(asASCII: false))'"
    }
  }

  /// A byte of a capital-letters-and-digits text, as a reason shows it.
  static func shown(_ byte: UInt8) -> String { shown(Unicode.Scalar(byte)) }
}

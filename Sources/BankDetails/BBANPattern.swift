/// A BBAN format compiled to one class letter per position, as `Scripts/generate-iban-registry.py` writes it:
/// `n` a digit, `a` a capital letter, `c` a capital letter or a digit. Upper case (`N`, `A`, `C`) marks a position
/// of an up-to run such as `4n`, which may be left out: `4n` is `NNNN`, any zero to four digits.
///
/// Matching follows every way the positions can be filled at once, as a set of bits (bit `i`: the next character
/// fills position `i`; bit `count`: the format is complete), so a loop over the BBAN's bytes decides it without
/// backtracking. For the fixed formats of the registry the set always holds one bit.
struct BBANPattern {
  /// At most this many positions, so that they and the completed state fit in the bits of a `UInt64`.
  static let positionsMax = 63

  /// What could have come where the BBAN went wrong.
  struct Expected: OptionSet, Equatable {
    let rawValue: UInt8
    static let digit = Expected(rawValue: 1)
    static let capital = Expected(rawValue: 2)
    static let end = Expected(rawValue: 4)
  }

  /// Where and how a BBAN does not fit the format.
  enum Mismatch: Equatable {
    /// Character `position` (from 1) is `byte`, which no way of filling the format allows there.
    case character(position: Int, byte: UInt8, expected: Expected)
    /// The BBAN ends after `length` characters, before the format is complete.
    case end(length: Int, expected: Expected)
  }

  let classes: StaticString

  init(_ classes: StaticString) { self.classes = classes }

  /// The first place where `bban` leaves the format, or nil when it fits.
  func firstMismatch(in bban: ArraySlice<UInt8>) -> Mismatch? {
    classes.withUTF8Buffer { classes in
      precondition(
        classes.count <= BBANPattern.positionsMax, "a BBAN format has at most \(BBANPattern.positionsMax) positions")
      let optional = classes.indices.reduce(UInt64(0)) { mask, position in
        ASCII.isCapital(classes[position]) ? mask | (1 << position) : mask
      }
      var states = BBANPattern.skippingOptional(1, optional: optional)
      for (offset, byte) in bban.enumerated() {
        var next: UInt64 = 0
        var pending = states & ~(1 << classes.count)
        while pending != 0 {
          let position = pending.trailingZeroBitCount
          pending &= pending - 1
          if BBANPattern.accepts(classes[position], byte) { next |= 1 << (position + 1) }
        }
        guard next != 0 else {
          let expected = BBANPattern.expected(states, classes)
          return .character(position: offset + 1, byte: byte, expected: expected)
        }
        states = BBANPattern.skippingOptional(next, optional: optional)
      }
      guard states & (1 << classes.count) != 0 else {
        return .end(length: bban.count, expected: BBANPattern.expected(states, classes))
      }
      return nil
    }
  }

  /// The states with every optional position that can be left out, left out: from position `i`, also `i + 1`.
  /// Leaving out only moves forward, so one ascending pass over the optional positions reaches them all.
  private static func skippingOptional(_ states: UInt64, optional: UInt64) -> UInt64 {
    var result = states
    var pending = result & optional
    while pending != 0 {
      let position = pending.trailingZeroBitCount
      result |= 1 << (position + 1)
      pending = result & optional & ~((2 << position) &- 1)
    }
    return result
  }

  private static func accepts(_ positionClass: UInt8, _ byte: UInt8) -> Bool {
    switch positionClass | 0x20 {
    case UInt8(ascii: "n"): ASCII.isDigit(byte)
    case UInt8(ascii: "a"): ASCII.isCapital(byte)
    case UInt8(ascii: "c"): ASCII.isDigit(byte) || ASCII.isCapital(byte)
    default: preconditionFailure("BBAN class \(positionClass) is not n, a or c")
    }
  }

  private static func expected(_ states: UInt64, _ classes: UnsafeBufferPointer<UInt8>) -> Expected {
    var expected: Expected = states & (1 << classes.count) != 0 ? .end : []
    var pending = states & ~(1 << classes.count)
    while pending != 0 {
      let position = pending.trailingZeroBitCount
      pending &= pending - 1
      if accepts(classes[position], UInt8(ascii: "0")) { expected.insert(.digit) }
      if accepts(classes[position], UInt8(ascii: "A")) { expected.insert(.capital) }
    }
    return expected
  }
}

extension BBANPattern.Expected: CustomStringConvertible {
  /// `a digit`, `a capital letter or a digit`, `the end of the BBAN`, …
  var description: String {
    var parts: [String] = []
    if contains(.capital) { parts.append("a capital letter") }
    if contains(.digit) { parts.append("a digit") }
    if contains(.end) { parts.append("the end of the BBAN") }
    return parts.joined(separator: " or ")
  }
}

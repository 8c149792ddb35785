/// An exact decimal number: a 64-bit significand and a count of fraction digits.
///
/// The value is `significand × 10^-scale`. Amounts and ECB rates are both held this
/// way: "1.0845" is `10845` at scale 4, "20275.17" is `2027517` at scale 2. There is
/// no binary floating point anywhere on the way in, in arithmetic, or on the way out.
/// Equality and ordering compare values, so `1.50 == 1.5`.
public struct FixedDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let significand: Int64
  /// Digits after the decimal point, `0 ... scaleMax`.
  public let scale: UInt8

  /// The most fraction digits a decimal may have.
  public static let scaleMax: UInt8 = 18
  /// The most significant digits a parsed decimal may have: every 18-digit number fits in 64 bits.
  public static let digitsMax = 18

  public init(significand: Int64, scale: UInt8) {
    precondition(scale <= FixedDecimal.scaleMax, "scale \(scale) is above \(FixedDecimal.scaleMax)")
    self.significand = significand
    self.scale = scale
  }

  public var isZero: Bool { significand == 0 }
  public var isNegative: Bool { significand < 0 }
  public var isPositive: Bool { significand > 0 }

  /// The exact text: a leading minus for negative values, then `scale` fraction digits.
  public var description: String {
    var text: [UInt8] = []
    appendText(to: &text)
    return String(decoding: text, as: UTF8.self)
  }

  /// Appends the exact text, as `description` writes it, to `bytes` (ASCII): for writers that
  /// build their output as bytes and make no String per number.
  public func appendText(to bytes: inout [UInt8]) {
    // Written from the last digit back, then reversed in place.
    let start = bytes.count
    var magnitude = significand.magnitude
    for _ in 0..<scale {
      bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
      magnitude /= 10
    }
    if scale > 0 { bytes.append(UInt8(ascii: ".")) }
    repeat {
      bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
      magnitude /= 10
    } while magnitude > 0
    if significand < 0 { bytes.append(UInt8(ascii: "-")) }
    // Swapped through the buffer: reversing the slice `bytes[start...]` copied the array (one
    // allocation per number).
    bytes.withUnsafeMutableBufferPointer { buffer in
      var low = start
      var high = buffer.count - 1
      while low < high {
        buffer.swapAt(low, high)
        low += 1
        high -= 1
      }
    }
  }

  /// The same value with `scale` fraction digits, or nil when that would drop a nonzero digit or overflow.
  public func rescaled(to newScale: UInt8) -> FixedDecimal? {
    precondition(newScale <= FixedDecimal.scaleMax, "scale \(newScale) is above \(FixedDecimal.scaleMax)")
    if newScale >= scale {
      let (scaled, overflow) = significand.multipliedReportingOverflow(by: Int64(powerOfTen(newScale - scale)))
      return overflow ? nil : FixedDecimal(significand: scaled, scale: newScale)
    }
    let divisor = Int64(powerOfTen(scale - newScale))
    let (quotient, remainder) = significand.quotientAndRemainder(dividingBy: divisor)
    return remainder == 0 ? FixedDecimal(significand: quotient, scale: newScale) : nil
  }

  /// The value with trailing fraction zeros removed: the canonical form for hashing.
  var normalized: FixedDecimal {
    var significand = self.significand
    var scale = self.scale
    while scale > 0 && significand % 10 == 0 {
      significand /= 10
      scale -= 1
    }
    return FixedDecimal(significand: significand, scale: scale)
  }

  /// The significand at a common scale, in 128 bits so that nothing overflows.
  private func widened(to commonScale: UInt8) -> Int128 {
    Int128(significand) * Int128(powerOfTen(commonScale - scale))
  }

  public static func == (lhs: FixedDecimal, rhs: FixedDecimal) -> Bool {
    let common = max(lhs.scale, rhs.scale)
    return lhs.widened(to: common) == rhs.widened(to: common)
  }

  public static func < (lhs: FixedDecimal, rhs: FixedDecimal) -> Bool {
    let common = max(lhs.scale, rhs.scale)
    return lhs.widened(to: common) < rhs.widened(to: common)
  }

  public func hash(into hasher: inout Hasher) {
    let canonical = normalized
    hasher.combine(canonical.significand)
    hasher.combine(canonical.scale)
  }
}

/// 10^exponent for exponent 0 ... 19 (10^19 is the largest power of ten in 64 bits).
@inlinable
func powerOfTen(_ exponent: UInt8) -> UInt64 {
  precondition(exponent <= 19, "10^\(exponent) does not fit in 64 bits")
  var result: UInt64 = 1
  for _ in 0..<exponent { result &*= 10 }
  return result
}

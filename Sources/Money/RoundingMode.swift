/// How a value that falls between two representable amounts is rounded, named as on the command line.
///
/// Every mode is defined on the exact value, sign included: `up` moves away from zero and
/// `ceiling` towards positive infinity, so they differ for refunds (negative amounts).
public enum RoundingMode: String, CaseIterable, Sendable {
  /// Nearest; a tie goes to the even neighbour (banker's rounding). Settle's default.
  case halfEven = "half-even"
  /// Nearest; a tie goes away from zero.
  case halfUp = "half-up"
  /// Nearest; a tie goes towards zero.
  case halfDown = "half-down"
  /// Away from zero.
  case up
  /// Towards zero (truncation).
  case down
  /// Towards positive infinity.
  case ceiling
  /// Towards negative infinity.
  case floor

  /// Whether a truncated magnitude moves one unit away from zero.
  ///
  /// The exact magnitude is `truncated + remainder / divisor` with `0 <= remainder < divisor`.
  /// - Parameters:
  ///   - truncatedIsOdd: whether the truncated magnitude is odd (for `half-even`).
  ///   - isNegative: the sign of the exact value.
  @inlinable
  public func incrementsMagnitude<Word: UnsignedInteger & FixedWidthInteger>(
    remainder: Word, divisor: Word, truncatedIsOdd: Bool, isNegative: Bool
  ) -> Bool {
    assert(remainder < divisor, "remainder \(remainder) is not below divisor \(divisor)")
    // The nearest-neighbour modes compare remainder / divisor with one half without overflow, as
    // remainder against divisor - remainder, and combine the comparisons arithmetically rather
    // than with branches: on real amounts the outcome is a coin toss, and a mispredicted branch
    // right after the division costs more than the division. A zero remainder never increments.
    switch self {
    case .down: return false
    case .up: return remainder != 0
    case .ceiling: return remainder != 0 && !isNegative
    case .floor: return remainder != 0 && isNegative
    case .halfUp: return remainder >= divisor - remainder
    case .halfDown: return remainder > divisor - remainder
    case .halfEven:
      let rest = divisor - remainder
      let isAbove: UInt8 = remainder > rest ? 1 : 0
      let isTie: UInt8 = remainder == rest ? 1 : 0
      let isOdd: UInt8 = truncatedIsOdd ? 1 : 0
      return isAbove | (isTie & isOdd) == 1
    }
  }
}

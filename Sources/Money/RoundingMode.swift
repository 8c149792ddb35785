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
    if remainder == 0 { return false }
    switch self {
    case .down: return false
    case .up: return true
    case .ceiling: return !isNegative
    case .floor: return isNegative
    case .halfEven, .halfUp, .halfDown:
      // remainder / divisor against one half, without overflow: compare remainder with divisor - remainder.
      // Decided with comparisons combined arithmetically rather than branches: on real amounts the
      // outcome is a coin toss, and a mispredicted branch after the division costs more than the division.
      let rest = divisor - remainder
      let isAbove = remainder > rest
      let isTie = remainder == rest
      switch self {
      case .halfUp: return remainder >= rest
      case .halfDown: return isAbove
      default: return isAbove != (isTie && truncatedIsOdd)
      }
    }
  }
}

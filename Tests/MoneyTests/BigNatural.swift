import Money

/// A natural number of any size, for the tests' references: nothing the library computes in 64 or 128 bits can
/// overflow it, so a test can decide "does the exact result fit?" without trusting the arithmetic it checks.
///
/// Deliberately plain and slow: 32-bit limbs, schoolbook multiplication, and division one bit at a time by shift
/// and subtract. It shares no code and no method with the library's fixed-width arithmetic.
struct BigNatural: Comparable, Hashable, CustomStringConvertible {
  /// Little-endian 32-bit limbs with no zero limb at the top; zero has none.
  private(set) var limbs: [UInt32]

  static let zero = BigNatural(limbs: [])
  static let one = BigNatural(1)

  private init(limbs: [UInt32]) {
    var trimmed = limbs
    while trimmed.last == 0 { trimmed.removeLast() }
    self.limbs = trimmed
  }

  init(_ value: UInt64) {
    self.init(limbs: [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)])
  }

  /// The magnitude of a signed 64-bit value: `Int64.min` gives 2^63.
  init(magnitudeOf value: Int64) { self.init(value.magnitude) }

  /// 10^exponent.
  static func powerOfTen(_ exponent: Int) -> BigNatural {
    precondition(exponent >= 0, "negative power of ten \(exponent)")
    var result = BigNatural.one
    for _ in 0..<exponent { result = result * BigNatural(10) }
    return result
  }

  var isZero: Bool { limbs.isEmpty }
  var isOdd: Bool { (limbs.first ?? 0) & 1 == 1 }

  /// The value when it fits in 64 bits.
  var uint64: UInt64? {
    guard limbs.count <= 2 else { return nil }
    var value: UInt64 = 0
    for (index, limb) in limbs.enumerated() { value |= UInt64(limb) << (32 * index) }
    return value
  }

  /// The value with a sign, when it fits in an Int64.
  static func signedInt64(magnitude: BigNatural, isNegative: Bool) -> Int64? {
    guard let value = magnitude.uint64 else { return nil }
    if isNegative {
      guard value <= UInt64(1) << 63 else { return nil }
      return value == UInt64(1) << 63 ? Int64.min : -Int64(value)
    }
    guard value < UInt64(1) << 63 else { return nil }
    return Int64(value)
  }

  static func + (left: BigNatural, right: BigNatural) -> BigNatural {
    var result: [UInt32] = []
    var carry: UInt64 = 0
    for index in 0..<max(left.limbs.count, right.limbs.count) {
      let sum = UInt64(left.limb(index)) + UInt64(right.limb(index)) + carry
      result.append(UInt32(truncatingIfNeeded: sum))
      carry = sum >> 32
    }
    result.append(UInt32(carry))
    return BigNatural(limbs: result)
  }

  /// The difference; the right side must not be larger.
  static func - (left: BigNatural, right: BigNatural) -> BigNatural {
    precondition(right <= left, "\(left) - \(right) is negative")
    var result: [UInt32] = []
    var borrow: Int64 = 0
    for index in 0..<left.limbs.count {
      var difference = Int64(left.limb(index)) - Int64(right.limb(index)) - borrow
      borrow = difference < 0 ? 1 : 0
      if difference < 0 { difference += 1 << 32 }
      result.append(UInt32(difference))
    }
    return BigNatural(limbs: result)
  }

  static func * (left: BigNatural, right: BigNatural) -> BigNatural {
    guard !left.isZero, !right.isZero else { return .zero }
    var result = [UInt32](repeating: 0, count: left.limbs.count + right.limbs.count)
    for (leftIndex, leftLimb) in left.limbs.enumerated() {
      var carry: UInt64 = 0
      for (rightIndex, rightLimb) in right.limbs.enumerated() {
        // (2^32 - 1)^2 + 2 × (2^32 - 1) = 2^64 - 1: the sum never overflows 64 bits.
        let slot = leftIndex + rightIndex
        let product = UInt64(leftLimb) * UInt64(rightLimb) + UInt64(result[slot]) + carry
        result[slot] = UInt32(truncatingIfNeeded: product)
        carry = product >> 32
      }
      result[leftIndex + right.limbs.count] = UInt32(carry)
    }
    return BigNatural(limbs: result)
  }

  /// Truncating division, one bit of the dividend at a time: shift the remainder left, bring the bit down,
  /// subtract the divisor when it fits.
  func quotientAndRemainder(dividingBy divisor: BigNatural) -> (quotient: BigNatural, remainder: BigNatural) {
    precondition(!divisor.isZero, "division of \(self) by zero")
    var quotientLimbs = [UInt32](repeating: 0, count: limbs.count)
    var remainder = BigNatural.zero
    for bit in stride(from: limbs.count * 32 - 1, through: 0, by: -1) {
      remainder = remainder + remainder
      if (limbs[bit / 32] >> (bit % 32)) & 1 == 1 { remainder = remainder + .one }
      if divisor <= remainder {
        remainder = remainder - divisor
        quotientLimbs[bit / 32] |= 1 << (bit % 32)
      }
    }
    return (BigNatural(limbs: quotientLimbs), remainder)
  }

  /// The greatest common divisor, by Stein's binary algorithm: halvings and subtractions only.
  static func greatestCommonDivisor(_ first: BigNatural, _ second: BigNatural) -> BigNatural {
    guard !first.isZero else { return second }
    guard !second.isZero else { return first }
    var (a, b) = (first, second)
    var sharedTwos = 0
    while !a.isOdd && !b.isOdd {
      a = a.halved
      b = b.halved
      sharedTwos += 1
    }
    while !a.isOdd { a = a.halved }
    while !b.isZero {
      while !b.isOdd { b = b.halved }
      if b < a { (a, b) = (b, a) }
      b = b - a
    }
    for _ in 0..<sharedTwos { a = a + a }
    return a
  }

  /// The value shifted right by one bit.
  var halved: BigNatural {
    var result = limbs
    for index in result.indices {
      let high: UInt32 = index + 1 < limbs.count ? limbs[index + 1] << 31 : 0
      result[index] = limbs[index] >> 1 | high
    }
    return BigNatural(limbs: result)
  }

  /// Exact division; the divisor must divide the value.
  static func / (dividend: BigNatural, divisor: BigNatural) -> BigNatural {
    let (quotient, remainder) = dividend.quotientAndRemainder(dividingBy: divisor)
    precondition(remainder.isZero, "\(divisor) does not divide \(dividend)")
    return quotient
  }

  static func < (left: BigNatural, right: BigNatural) -> Bool {
    if left.limbs.count != right.limbs.count { return left.limbs.count < right.limbs.count }
    for index in stride(from: left.limbs.count - 1, through: 0, by: -1) where left.limbs[index] != right.limbs[index] {
      return left.limbs[index] < right.limbs[index]
    }
    return false
  }

  /// Decimal digits, nine at a time.
  var description: String {
    guard !isZero else { return "0" }
    var groups: [String] = []
    var rest = self
    let billion = BigNatural(1_000_000_000)
    while !rest.isZero {
      let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: billion)
      groups.append(String(remainder.uint64 ?? 0))
      rest = quotient
    }
    var text = groups.removeLast()
    for group in groups.reversed() { text += String(repeating: "0", count: 9 - group.count) + group }
    return text
  }

  private func limb(_ index: Int) -> UInt32 { index < limbs.count ? limbs[index] : 0 }
}

/// A signed rational `±magnitude ÷ denominator`, divided once, to be rounded to an integer under each mode from
/// the definitions on the exact value: the two integers around it, then the one the mode picks.
///
/// Independent of the library: no `RoundingMode.incrementsMagnitude`, no fixed-width arithmetic.
struct ExactQuotient: CustomStringConvertible {
  let isNegative: Bool
  /// The magnitude rounded towards zero, and what is left over, `0 <= remainder < denominator`.
  let below: BigNatural
  let remainder: BigNatural
  let denominator: BigNatural

  init(magnitude: BigNatural, over denominator: BigNatural, isNegative: Bool) {
    (below, remainder) = magnitude.quotientAndRemainder(dividingBy: denominator)
    self.denominator = denominator
    self.isNegative = isNegative
  }

  var isExact: Bool { remainder.isZero }

  /// The integer `mode` picks, as a magnitude and a sign (never a negative zero).
  func rounded(_ mode: RoundingMode) -> (magnitude: BigNatural, isNegative: Bool) {
    guard !remainder.isZero else { return (below, isNegative && !below.isZero) }
    // Magnitudes: the exact value lies strictly between `below` and `above`.
    let above = below + .one
    let twiceRemainder = remainder + remainder
    let chosen: BigNatural
    switch mode {
    case .down: chosen = below
    case .up: chosen = above
    case .ceiling: chosen = isNegative ? below : above
    case .floor: chosen = isNegative ? above : below
    case .halfUp, .halfDown, .halfEven:
      if twiceRemainder < denominator {
        chosen = below
      } else if denominator < twiceRemainder {
        chosen = above
      } else if mode == .halfUp {
        chosen = above
      } else if mode == .halfDown {
        chosen = below
      } else {
        chosen = below.isOdd ? above : below
      }
    }
    return (chosen, isNegative && !chosen.isZero)
  }

  /// The rounded integer, or nil when it does not fit in an Int64.
  func roundedInt64(_ mode: RoundingMode) -> Int64? {
    let (magnitude, isNegative) = rounded(mode)
    return BigNatural.signedInt64(magnitude: magnitude, isNegative: isNegative)
  }

  var description: String {
    "\(isNegative ? "-" : "")(\(below) + \(remainder)/\(denominator))"
  }
}

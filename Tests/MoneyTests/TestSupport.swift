import Money

/// SplitMix64: a tiny seeded generator so every randomized test replays the same cases.
struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }
}

/// Rounds `numerator ÷ denominator` to an integer under `mode`, straight from the definitions.
///
/// Independent of `RoundingMode.incrementsMagnitude`: it works on the signed value with floor
/// division and compares twice the remainder with the denominator. The denominator is positive
/// and at most `Int128.max / 2`, so nothing here overflows.
func referenceRounded(_ numerator: Int128, over denominator: Int128, _ mode: RoundingMode) -> Int128 {
  precondition(denominator > 0 && denominator <= Int128.max / 2, "reference denominator \(denominator) out of range")
  var floor = numerator / denominator
  var remainder = numerator % denominator
  if remainder < 0 {
    floor -= 1
    remainder += denominator
  }
  if remainder == 0 { return floor }
  let ceiling = floor + 1
  let towardsZero = numerator < 0 ? ceiling : floor
  let awayFromZero = numerator < 0 ? floor : ceiling
  switch mode {
  case .floor: return floor
  case .ceiling: return ceiling
  case .down: return towardsZero
  case .up: return awayFromZero
  case .halfEven, .halfUp, .halfDown:
    let twice = 2 * remainder
    if twice < denominator { return floor }
    if twice > denominator { return ceiling }
    switch mode {
    case .halfUp: return awayFromZero
    case .halfDown: return towardsZero
    default: return floor % 2 == 0 ? floor : ceiling
    }
  }
}

/// Rounds a signed rational to an integer through the code under test: `RoundingMode.incrementsMagnitude`.
func roundedByMode(_ numerator: Int128, over denominator: UInt128, _ mode: RoundingMode) -> Int128 {
  let (truncated, remainder) = numerator.magnitude.quotientAndRemainder(dividingBy: denominator)
  let increments = mode.incrementsMagnitude(
    remainder: remainder, divisor: denominator, truncatedIsOdd: truncated & 1 == 1, isNegative: numerator < 0)
  let magnitude = Int128(truncated) + (increments ? 1 : 0)
  return numerator < 0 ? -magnitude : magnitude
}

/// 10^exponent in 128 bits, or nil past 10^38.
func powerOfTen128(_ exponent: Int) -> UInt128? {
  guard exponent >= 0 && exponent <= 38 else { return nil }
  var result: UInt128 = 1
  for _ in 0..<exponent { result *= 10 }
  return result
}

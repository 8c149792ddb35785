/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014).
///
/// The synthetic data Settle generates must be byte-identical for the same seed on every machine
/// and every Swift release, so it draws from this fixed algorithm rather than from the standard
/// library's generators or `random(in:)`, whose algorithms are not promised to stay the same.
struct SplitMix64 {
  /// The increment of the state per draw: 2^64 divided by the golden ratio, made odd.
  static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

  var state: UInt64

  init(state: UInt64) { self.state = state }

  /// The next 64 random bits.
  @inline(__always)
  mutating func next() -> UInt64 {
    state &+= SplitMix64.gamma
    return SplitMix64.mix(state)
  }

  /// A value in `0 ..< bound`, from the high half of a 64×64-bit product (Lemire's method without
  /// the rejection step: the bias is below bound / 2^64, nothing a synthetic data set can show).
  @inline(__always)
  mutating func next(below bound: UInt64) -> UInt64 {
    next().multipliedFullWidth(by: bound).high
  }

  /// The SplitMix64 finalizer: a bijection on 64 bits that spreads every input bit over the output.
  @inline(__always)
  static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

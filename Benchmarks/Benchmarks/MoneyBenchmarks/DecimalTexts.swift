import Money

/// Many decimal texts laid end to end in one buffer, as a CSV or XML reader sees them:
/// amounts with two fraction digits, ECB-style rates, whole numbers, and some negatives.
struct DecimalTexts {
  static let seed: UInt64 = 4_217
  /// The texts, back to back with no separator.
  let bytes: [UInt8]
  /// Text `i` is `bytes[offsets[i] ..< offsets[i + 1]]`.
  let offsets: [Int]
  /// The sum of every text's significand, to check a pass parsed every text.
  let significandSum: Int64

  var count: Int { offsets.count - 1 }

  init(count: Int) {
    var generator = SplitMix64(seed: DecimalTexts.seed)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count * 12)
    var offsets = [0]
    offsets.reserveCapacity(count + 1)
    var significandSum: Int64 = 0
    for _ in 0..<count {
      let (significand, scale) = DecimalTexts.draw(using: &generator)
      bytes.append(contentsOf: FixedDecimal(significand: significand, scale: scale).description.utf8)
      offsets.append(bytes.count)
      significandSum &+= significand
    }
    self.bytes = bytes
    self.offsets = offsets
    self.significandSum = significandSum
  }

  /// One decimal: an amount ("-12.50", "1234567.89"), a rate ("176.99", "0.86573", "26217.25"), or a whole number.
  private static func draw(using generator: inout SplitMix64) -> (significand: Int64, scale: UInt8) {
    let isNegative = generator.next() % 8 == 0
    let significand: Int64
    var scale: UInt8 = 2
    switch generator.next() % 4 {
    case 0, 1:  // an amount in cents
      significand = Int64.random(in: 1...999_999_999, using: &generator)
    case 2:  // a rate, with 2 to 5 fraction digits
      significand = Int64.random(in: 1_000...99_999_999, using: &generator)
      scale = UInt8.random(in: 2...5, using: &generator)
    default:  // a whole number
      significand = Int64.random(in: 1...9_999_999, using: &generator)
      scale = 0
    }
    return (isNegative ? -significand : significand, scale)
  }
}

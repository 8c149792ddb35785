import Money

/// Many decimal texts laid end to end in one buffer, as a CSV or XML reader sees them:
/// amounts with two fraction digits, ECB-style rates, whole numbers, and some negatives.
public struct DecimalTexts {
  public static let seed: UInt64 = 4_217
  /// The texts, back to back with no separator.
  public let bytes: [UInt8]
  /// Text `i` is `bytes[offsets[i] ..< offsets[i + 1]]`.
  public let offsets: [Int]
  /// The sum of every text's significand, to check a pass parsed every text.
  public let significandSum: Int64

  public var count: Int { offsets.count - 1 }

  public init(count: Int) {
    var generator = SplitMix64(seed: DecimalTexts.seed)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count * 12)
    var offsets = [0]
    offsets.reserveCapacity(count + 1)
    var significandSum: Int64 = 0
    for _ in 0..<count {
      let (significand, scale) = DecimalTexts.draw(using: &generator)
      DecimalTexts.append(significand, scale: scale, to: &bytes)
      offsets.append(bytes.count)
      significandSum &+= significand
    }
    self.bytes = bytes
    self.offsets = offsets
    self.significandSum = significandSum
  }

  /// Writes `significand × 10^-scale` as plain decimal text (`-12.50`, `0.86573`, `42`), with a
  /// zero before the point when the value is below one, without going through `FixedDecimal`.
  private static func append(_ significand: Int64, scale: UInt8, to bytes: inout [UInt8]) {
    if significand < 0 { bytes.append(UInt8(ascii: "-")) }
    var count = 0
    var rest = significand.magnitude
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
      repeat {
        buffer[count] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
        count += 1
      } while rest > 0 || count <= Int(scale)
      for index in stride(from: count - 1, through: 0, by: -1) {
        if index == Int(scale) - 1 { bytes.append(UInt8(ascii: ".")) }
        bytes.append(buffer[index])
      }
    }
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

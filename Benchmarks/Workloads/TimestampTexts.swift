import Dates

/// Many RFC 3339 timestamps laid end to end in one buffer, as an orders file holds them: mostly
/// `2026-10-09T04:58:44Z`, some with a UTC offset (`+05:30`, `-03:00`), some with fraction digits.
public struct TimestampTexts {
  static let seed: UInt64 = 3_339
  /// 2020-01-01T00:00:00Z and the span of ten years after it, in seconds.
  static let firstSecond: Int64 = 1_577_836_800
  static let spanSeconds: Int64 = 10 * 365 * 86_400

  /// The texts, back to back with no separator.
  public let bytes: [UInt8]
  /// Text `i` is `bytes[offsets[i] ..< offsets[i + 1]]`.
  public let offsets: [Int]
  /// The sum of every text's instant in whole seconds, to check a pass parsed every text.
  public let secondsSum: Int64

  public var count: Int { offsets.count - 1 }

  public init(count: Int) {
    var generator = SplitMix64(seed: TimestampTexts.seed)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count * 26)
    var offsets = [0]
    offsets.reserveCapacity(count + 1)
    var secondsSum: Int64 = 0
    for _ in 0..<count {
      let instant = TimestampTexts.firstSecond + Int64.random(in: 0..<TimestampTexts.spanSeconds, using: &generator)
      let draw = generator.next() % 100
      let offsetMinutes: Int64 = draw < 90 ? 0 : [330, -180, 60, 540, -480][Int(draw % 5)]
      let fractionDigits = draw % 7 == 0 ? Int(draw % 9) + 1 : 0
      TimestampTexts.append(instant, offsetMinutes: offsetMinutes, fractionDigits: fractionDigits, to: &bytes)
      offsets.append(bytes.count)
      secondsSum &+= instant
    }
    self.bytes = bytes
    self.offsets = offsets
    self.secondsSum = secondsSum
  }

  /// Parses every text; returns the sum of the instants in whole seconds (a failure counts as zero).
  public func parseAll() -> Int64 {
    var sum: Int64 = 0
    bytes.withUnsafeBufferPointer { buffer in
      offsets.withUnsafeBufferPointer { offsets in
        for index in 0..<(offsets.count - 1) {
          let text = UnsafeBufferPointer(rebasing: buffer[offsets[index]..<offsets[index + 1]])
          if let timestamp = Timestamp.parse(text) {
            sum &+= timestamp.nanosecondsSinceEpoch / Timestamp.nanosecondsPerSecond
          }
        }
      }
    }
    return sum
  }

  /// Writes `instant` as local time at `offsetMinutes` east of UTC (`Z` for zero), with
  /// `fractionDigits` zero digits after the seconds.
  private static func append(_ instant: Int64, offsetMinutes: Int64, fractionDigits: Int, to bytes: inout [UInt8]) {
    let local = instant + offsetMinutes * 60
    let days = local / 86_400
    let secondOfDay = local % 86_400
    let (year, month, day) = Day(daysSinceEpoch: Int32(days)).civil
    appendDigits(year, width: 4, to: &bytes)
    bytes.append(UInt8(ascii: "-"))
    appendDigits(month, width: 2, to: &bytes)
    bytes.append(UInt8(ascii: "-"))
    appendDigits(day, width: 2, to: &bytes)
    bytes.append(UInt8(ascii: "T"))
    appendDigits(secondOfDay / 3600, width: 2, to: &bytes)
    bytes.append(UInt8(ascii: ":"))
    appendDigits(secondOfDay / 60 % 60, width: 2, to: &bytes)
    bytes.append(UInt8(ascii: ":"))
    appendDigits(secondOfDay % 60, width: 2, to: &bytes)
    if fractionDigits > 0 {
      bytes.append(UInt8(ascii: "."))
      bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: fractionDigits))
    }
    if offsetMinutes == 0 {
      bytes.append(UInt8(ascii: "Z"))
      return
    }
    bytes.append(offsetMinutes < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
    appendDigits(offsetMinutes.magnitude / 60, width: 2, to: &bytes)
    bytes.append(UInt8(ascii: ":"))
    appendDigits(offsetMinutes.magnitude % 60, width: 2, to: &bytes)
  }

  private static func appendDigits<Value: BinaryInteger>(_ value: Value, width: Int, to bytes: inout [UInt8]) {
    var divisor: Value = 1
    for _ in 1..<width { divisor *= 10 }
    while divisor > 0 {
      bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
      divisor /= 10
    }
  }
}

import Dates

extension Timestamp {
  /// `Timestamp.parse`, with the form generated exports use, `YYYY-MM-DDTHH:MM:SSZ`, read in one
  /// pass with no loop per field; any other text (fractions, offsets, lower case, a year outside
  /// 1900–2199, anything invalid) goes to `Timestamp.parse`, so the result is always the same.
  @inline(__always)
  static func parseOrderTimestamp(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
    if bytes.count == 20, let instant = parseWholeSecondsUTC(bytes) { return instant }
    return Timestamp.parse(bytes)
  }

  /// The instant of exactly `YYYY-MM-DDTHH:MM:SSZ` in 1900–2199, or nil for anything else.
  private static func parseWholeSecondsUTC(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
    guard let base = bytes.baseAddress,
      base[4] == UInt8(ascii: "-"), base[7] == UInt8(ascii: "-"), base[10] == UInt8(ascii: "T"),
      base[13] == UInt8(ascii: ":"), base[16] == UInt8(ascii: ":"), base[19] == UInt8(ascii: "Z")
    else { return nil }
    var notDigit = false
    @inline(__always) func digit(_ offset: Int) -> Int {
      let value = base[offset] &- 48
      notDigit = notDigit || value > 9
      return Int(value)
    }
    let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
    let month = digit(5) * 10 + digit(6)
    let dayOfMonth = digit(8) * 10 + digit(9)
    let hour = digit(11) * 10 + digit(12)
    let minute = digit(14) * 10 + digit(15)
    let second = digit(17) * 10 + digit(18)
    guard !notDigit, year >= 1900, year < 2200, hour < 24, minute < 60, second < 60,
      let day = Day(year: year, month: month, day: dayOfMonth)
    else { return nil }
    let seconds = Int64(day.daysSinceEpoch) * secondsPerDay + Int64(hour * 3600 + minute * 60 + second)
    return Timestamp(nanosecondsSinceEpoch: seconds * nanosecondsPerSecond)
  }
}

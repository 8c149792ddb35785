import Dates

/// The first day of each month of 1900–2199, so that the orders' dates need no calendar
/// arithmetic: a month's days since the epoch and its length are two reads (computing them took
/// 3.6 % of a settlement).
struct MonthStarts: Sendable {
  static let firstYear = 1900
  static let years = 300
  /// Days since 1970-01-01 of the first of each month from January 1900, and of January 2200.
  private let days: [Int32]

  static let shared = MonthStarts()

  init() {
    var days: [Int32] = []
    days.reserveCapacity(MonthStarts.years * 12 + 1)
    for month in 0...(MonthStarts.years * 12) {
      guard let first = Day(year: MonthStarts.firstYear + month / 12, month: month % 12 + 1, day: 1) else {
        preconditionFailure("the first of every month of 1900–2200 is a day")
      }
      days.append(first.daysSinceEpoch)
    }
    self.days = days
  }

  /// Days since the epoch of `year-month-day`, nil when the month has no such day; `year` in 1900–2199.
  @inline(__always)
  func day(year: Int, month: Int, day: Int) -> Int32? {
    guard month >= 1, month <= 12, day >= 1 else { return nil }
    let index = (year &- MonthStarts.firstYear) &* 12 &+ month &- 1
    let first = days[index]
    guard day <= Int(days[index &+ 1] &- first) else { return nil }
    return first &+ Int32(truncatingIfNeeded: day &- 1)
  }
}

extension Timestamp {
  /// `Timestamp.parse`, with the form generated exports use, `YYYY-MM-DDTHH:MM:SSZ`, read in one
  /// pass with no loop per field and its date from `months`; any other text (fractions, offsets,
  /// lower case, a year outside 1900–2199, anything invalid) goes to `Timestamp.parse`, so the
  /// result is always the same.
  @inline(__always)
  static func parseOrderTimestamp(_ bytes: UnsafeBufferPointer<UInt8>, months: MonthStarts = .shared) -> Timestamp? {
    if bytes.count == 20, let instant = parseWholeSecondsUTC(bytes, months: months) { return instant }
    return Timestamp.parse(bytes)
  }

  /// The instant of exactly `YYYY-MM-DDTHH:MM:SSZ` in 1900–2199, or nil for anything else.
  @inline(__always)
  private static func parseWholeSecondsUTC(_ bytes: UnsafeBufferPointer<UInt8>, months: MonthStarts) -> Timestamp? {
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
    guard !notDigit, year >= MonthStarts.firstYear, year < MonthStarts.firstYear + MonthStarts.years, hour < 24,
      minute < 60, second < 60, let day = months.day(year: year, month: month, day: dayOfMonth)
    else { return nil }
    let seconds = Int64(day) * secondsPerDay + Int64(hour * 3600 + minute * 60 + second)
    return Timestamp(nanosecondsSinceEpoch: seconds * nanosecondsPerSecond)
  }
}

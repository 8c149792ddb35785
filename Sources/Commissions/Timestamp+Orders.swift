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

  /// The first day (since the epoch) and the length of `month` of `year`, nil for a month not
  /// in 1–12; `year` in 1900–2199.
  @inline(__always)
  func month(year: Int, month: Int) -> (firstDay: Int32, days: Int)? {
    guard month >= 1, month <= 12 else { return nil }
    let index = (year &- MonthStarts.firstYear) &* 12 &+ month &- 1
    return (days[index], Int(days[index &+ 1] &- days[index]))
  }

  /// Days since the epoch of `year-month-day`, nil when the month has no such day; `year` in 1900–2199.
  @inline(__always)
  func day(year: Int, month: Int, day: Int) -> Int32? {
    guard let (firstDay, days) = self.month(year: year, month: month), day >= 1, day <= days else { return nil }
    return firstDay &+ Int32(truncatingIfNeeded: day &- 1)
  }
}

extension Timestamp {
  /// `Timestamp.parse`, with the form generated exports use, `YYYY-MM-DDTHH:MM:SSZ`, read in one
  /// pass with no loop per field and its date from `months`; any other text (fractions, offsets,
  /// lower case, a year outside 1900–2199, anything invalid) goes to `Timestamp.parse`, so the
  /// result is always the same.
  @inline(__always)
  static func parseOrderTimestamp(_ bytes: UnsafeBufferPointer<UInt8>, months: MonthStarts = .shared) -> Timestamp? {
    var month = LastMonth()
    return parseOrderTimestamp(bytes, months: months, lastMonth: &month)
  }

  /// `parseOrderTimestamp`, remembering in `lastMonth` the month of the text read, so that the next
  /// text of the same `YYYY-MM-` (most are, at one column of an export) takes its first day and
  /// length from there instead of reading and looking them up again.
  @inline(__always)
  static func parseOrderTimestamp(
    _ bytes: UnsafeBufferPointer<UInt8>, months: MonthStarts, lastMonth: inout LastMonth
  ) -> Timestamp? {
    if bytes.count == 20, let instant = parseWholeSecondsUTC(bytes, months: months, lastMonth: &lastMonth) {
      return instant
    }
    return Timestamp.parse(bytes)
  }

  /// The `YYYY-MM-` of the last timestamp read at one place, as its first word, with that month's
  /// first day and length; a word of 0 (never a valid prefix) when none.
  struct LastMonth {
    var prefix: UInt64 = 0
    var firstDay: Int32 = 0
    var days = 0
  }

  /// The instant of exactly `YYYY-MM-DDTHH:MM:SSZ` in 1900–2199, or nil for anything else.
  ///
  /// Read as three little-endian words (`YYYY-MM-`, `DDTHH:MM`, `:SSZ`): the separators are
  /// checked with one mask a word, and the digits all at once. A byte is a digit when its value
  /// with `0x30` flipped is below 10, that is when neither that value nor the value plus `0x76`
  /// has its top bit set. Adding `0x76` to a byte of `0x8A` or more carries into the next byte,
  /// but such a byte has its own top bit set, so the text is refused all the same.
  @inline(__always)
  private static func parseWholeSecondsUTC(
    _ bytes: UnsafeBufferPointer<UInt8>, months: MonthStarts, lastMonth: inout LastMonth
  ) -> Timestamp? {
    guard let base = bytes.baseAddress, bytes.count == 20 else { return nil }
    let raw = UnsafeRawPointer(base)
    let date = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
    let time = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    let seconds = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)))
    if date == lastMonth.prefix {
      return parseDayAndTime(time: time, seconds: seconds, firstDay: lastMonth.firstDay, days: lastMonth.days)
    }
    // `-` at 4 and 7 (the time's separators are checked with its digits).
    guard date & 0xFF00_00FF_0000_0000 == 0x2D00_002D_0000_0000 else { return nil }
    let dateDigits = date ^ 0x3030_3030_3030_3030
    let notDigits =
      (((dateDigits &+ 0x7676_7676_7676_7676) | dateDigits) & 0x0080_8000_8080_8080)
    guard notDigits == 0 else { return nil }
    let year =
      digit(dateDigits, 0) &* 1000 &+ digit(dateDigits, 1) &* 100 &+ digit(dateDigits, 2) &* 10
      &+ digit(dateDigits, 3)
    let month = digit(dateDigits, 5) &* 10 &+ digit(dateDigits, 6)
    guard year >= MonthStarts.firstYear, year < MonthStarts.firstYear + MonthStarts.years,
      let (firstDay, days) = months.month(year: year, month: month)
    else { return nil }
    guard let instant = parseDayAndTime(time: time, seconds: seconds, firstDay: firstDay, days: days) else {
      return nil
    }
    lastMonth = LastMonth(prefix: date, firstDay: firstDay, days: days)
    return instant
  }

  /// Digit `position` (0 the lowest byte) of a word whose bytes had `0x30` flipped.
  @inline(__always)
  private static func digit(_ word: UInt64, _ position: UInt64) -> Int {
    Int(truncatingIfNeeded: (word >> (position &* 8)) & 0xFF)
  }

  /// The instant of `DDTHH:MM` and `:SSZ` (as words) in the month whose first day and length are
  /// given, or nil when they are not digits and separators of a day of that month and a time.
  @inline(__always)
  private static func parseDayAndTime(time: UInt64, seconds: UInt64, firstDay: Int32, days: Int) -> Timestamp? {
    // `T` at 10 and `:` at 13; `:` at 16 and `Z` at 19.
    guard time & 0x0000_FF00_00FF_0000 == 0x0000_3A00_0054_0000, seconds & 0xFF00_00FF == 0x5A00_003A else {
      return nil
    }
    let timeDigits = time ^ 0x3030_3030_3030_3030
    let secondDigits = seconds ^ 0x3030_3030
    let notDigits =
      (((timeDigits &+ 0x7676_7676_7676_7676) | timeDigits) & 0x8080_0080_8000_8080)
      | (((secondDigits &+ 0x7676_7676) | secondDigits) & 0x0080_8000)
    guard notDigits == 0 else { return nil }
    // Each pair of digits at once: a byte times ten plus the byte after it, with the separators'
    // bytes cleared first so that no product carries into the next byte (a digit's is at most 90).
    let timePairs = (timeDigits & 0xFFFF_00FF_FF00_FFFF) &* 10 &+ (timeDigits >> 8)
    let secondPairs = (secondDigits & 0x00FF_FF00) &* 10 &+ (secondDigits >> 8)
    let dayOfMonth = digit(timePairs, 0)
    let hour = digit(timePairs, 3)
    let minute = digit(timePairs, 6)
    let second = digit(secondPairs, 1)
    guard dayOfMonth >= 1, dayOfMonth <= days, hour < 24, minute < 60, second < 60 else { return nil }
    let day = Int64(firstDay) &+ Int64(dayOfMonth &- 1)
    let secondsOfDay = Int64(hour &* 3600 &+ minute &* 60 &+ second)
    return Timestamp(nanosecondsSinceEpoch: (day &* secondsPerDay &+ secondsOfDay) &* nanosecondsPerSecond)
  }
}

import Dates

/// Writes instants as RFC 3339 text, fast, for a known span of days.
///
/// The text of each day in the span (`2026-10-09T`) is made once; an instant then costs a table
/// look-up and three digit pairs. Days outside the span are still written correctly, only slower.
/// `Dates.Timestamp` parses what this writes; the two are tested against each other.
struct TimestampText {
  /// The first day of the span, in days since 1970-01-01.
  let firstDay: Int64
  /// `YYYY-MM-DDT` for each day of the span.
  private let dayTokens: [ByteCursor.Token]
  /// The most days a span may hold (a little over 27 years).
  static let spanDaysMax = 10_000

  /// Prepares the days `days`, which must be within the four-digit years and at most `spanDaysMax` long.
  init(days: ClosedRange<Day>) {
    precondition(
      days.upperBound.daysSinceEpoch - days.lowerBound.daysSinceEpoch < TimestampText.spanDaysMax,
      "a timestamp span holds at most \(TimestampText.spanDaysMax) days")
    self.firstDay = Int64(days.lowerBound.daysSinceEpoch)
    self.dayTokens = (days.lowerBound...days.upperBound).map { TimestampText.dayToken($0) }
  }

  /// Appends the instant `secondsSinceEpoch` (UTC) as RFC 3339 with whole seconds: `2026-10-09T04:58:44Z`
  /// when `offsetMinutes` is nil, otherwise the local time at that offset east of UTC, as in
  /// `2026-10-09T06:58:44+02:00` for the same instant. Needs `bytesMax` bytes of room.
  @inline(__always)
  func append(secondsSinceEpoch: Int64, offsetMinutes: Int?, to cursor: inout ByteCursor) {
    let localSeconds = secondsSinceEpoch + Int64(offsetMinutes ?? 0) * 60
    let days = TimestampText.floorDivide(localSeconds, Timestamp.secondsPerDay)
    let secondOfDay = UInt64(localSeconds - days * Timestamp.secondsPerDay)
    let index = days - firstDay
    if index >= 0 && index < Int64(dayTokens.count) {
      cursor.append(dayTokens[Int(index)])
    } else {
      cursor.append(TimestampText.dayToken(Day(daysSinceEpoch: Int32(days))))
    }
    cursor.appendDigits(secondOfDay / 3600, width: 2)
    cursor.append(UInt8(ascii: ":"))
    cursor.appendDigits(secondOfDay / 60 % 60, width: 2)
    cursor.append(UInt8(ascii: ":"))
    cursor.appendDigits(secondOfDay % 60, width: 2)
    guard let offsetMinutes else {
      cursor.append(UInt8(ascii: "Z"))
      return
    }
    cursor.append(offsetMinutes < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
    cursor.appendDigits(UInt64(offsetMinutes.magnitude / 60), width: 2)
    cursor.append(UInt8(ascii: ":"))
    cursor.appendDigits(UInt64(offsetMinutes.magnitude % 60), width: 2)
  }

  /// The room one timestamp needs, counting the 16 bytes a token store writes.
  static let bytesMax = 32

  static func dayToken(_ day: Day) -> ByteCursor.Token {
    ByteCursor.Token(day.description + "T")
  }

  static func floorDivide(_ dividend: Int64, _ divisor: Int64) -> Int64 {
    let quotient = dividend / divisor
    return dividend % divisor < 0 ? quotient - 1 : quotient
  }
}

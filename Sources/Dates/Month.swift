/// A calendar month in UTC: a settlement period such as `2026-10`.
public struct Month: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let year: Int
  public let month: Int

  /// The first and last months whose every instant a `Timestamp` (64-bit nanoseconds) can hold:
  /// 64-bit nanoseconds span 1677-09-21 to 2262-04-11.
  public static let first = (year: 1677, month: 10)
  public static let last = (year: 2262, month: 3)

  public init?(year: Int, month: Int) {
    guard (1...12).contains(month), (year, month) >= Month.first, (year, month) <= Month.last else { return nil }
    self.year = year
    self.month = month
  }

  /// Parses `YYYY-MM`.
  /// - Throws: `MonthError` quoting the text.
  public init(_ text: String) throws(MonthError) {
    var utf8Text = text
    guard let parsed = utf8Text.withUTF8({ Month(utf8: $0) }) else { throw MonthError(text: text) }
    self = parsed
  }

  /// Parses `YYYY-MM` given as UTF-8 bytes, without allocating; nil for anything else.
  public init?(utf8 buffer: UnsafeBufferPointer<UInt8>) {
    guard buffer.count == 7, buffer[4] == UInt8(ascii: "-"),
      let year = Day.digits(buffer, 0, 4), let month = Day.digits(buffer, 5, 2)
    else { return nil }
    self.init(year: year, month: month)
  }

  /// The first day of the month.
  public var firstDay: Day {
    guard let day = Day(year: year, month: month, day: 1) else { preconditionFailure("month \(self) has a first day") }
    return day
  }

  /// The last day of the month.
  public var lastDay: Day {
    guard let day = Day(year: year, month: month, day: Day.daysInMonth(year: year, month: month)) else {
      preconditionFailure("month \(self) has a last day")
    }
    return day
  }

  /// The first instant of the month (inclusive) and of the next month (exclusive), in UTC.
  public var instants: Range<Timestamp> {
    let start = Timestamp(secondsSinceEpoch: Int64(firstDay.daysSinceEpoch) * Timestamp.secondsPerDay)
    let end = Timestamp(secondsSinceEpoch: Int64(lastDay.daysSinceEpoch + 1) * Timestamp.secondsPerDay)
    return start..<end
  }

  /// The calendar month after this one, or nil past `last`.
  public var next: Month? {
    month == 12 ? Month(year: year + 1, month: 1) : Month(year: year, month: month + 1)
  }

  public var description: String { Day.pad(year, 4) + "-" + Day.pad(month, 2) }

  public static func < (lhs: Month, rhs: Month) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
}

/// A text that is not a month in `YYYY-MM` form.
public struct MonthError: Error, Equatable, CustomStringConvertible {
  public let text: String
  public init(text: String) { self.text = text }
  public var description: String {
    let bytes = Array(text.utf8)
    let isWellFormed =
      bytes.count == 7 && bytes[4] == UInt8(ascii: "-")
      && bytes.enumerated().allSatisfy { $0.offset == 4 || ($0.element &- 48) < 10 }
    if isWellFormed, let month = Int(text.suffix(2)), (1...12).contains(month) {
      return "period \"\(text)\" is outside 1677-10 to 2262-03, the months 64-bit nanosecond timestamps cover"
    }
    return "period \"\(text)\" is not a month in the form YYYY-MM"
  }
}

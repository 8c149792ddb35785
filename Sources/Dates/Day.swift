/// A calendar day in the proleptic Gregorian calendar, counted from 1970-01-01.
///
/// Days are what the ECB publishes rates for and what orders are settled on. No time zone:
/// a `Day` is a UTC date wherever a timestamp is reduced to one.
public struct Day: Sendable, Hashable, Comparable, Strideable, CustomStringConvertible {
  /// Days since 1970-01-01 (negative before it).
  public let daysSinceEpoch: Int32

  public init(daysSinceEpoch: Int32) { self.daysSinceEpoch = daysSinceEpoch }

  /// The day with this year, month (1–12) and day of month, or nil if there is no such day.
  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      (1...Day.daysInMonth(year: year, month: month)).contains(day)
    else { return nil }
    self.daysSinceEpoch = Int32(Day.daysFromCivil(year: year, month: month, day: day))
  }

  /// Year, month and day of month.
  public var civil: (year: Int, month: Int, day: Int) { Day.civilFromDays(Int(daysSinceEpoch)) }

  /// 1 = Monday … 7 = Sunday (ISO 8601).
  public var weekday: Int {
    // 1970-01-01 was a Thursday (4).
    let offset = (Int(daysSinceEpoch) % 7 + 7) % 7
    return (offset + 3) % 7 + 1
  }

  /// `YYYY-MM-DD`.
  public var description: String {
    let (year, month, day) = civil
    return Day.pad(year, 4) + "-" + Day.pad(month, 2) + "-" + Day.pad(day, 2)
  }

  public func distance(to other: Day) -> Int32 { other.daysSinceEpoch - daysSinceEpoch }
  public func advanced(by days: Int32) -> Day { Day(daysSinceEpoch: daysSinceEpoch + days) }
  public static func < (lhs: Day, rhs: Day) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

  public static func isLeapYear(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

  public static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days since 1970-01-01 for a civil date, counting in 400-year eras of 146,097 days.
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    // Years start in March so that the leap day is the last day of the year.
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let monthFromMarch = (month + 9) % 12
    let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The civil date for days since 1970-01-01; the inverse of `daysFromCivil`.
  static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthFromMarch = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
    let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
  }

  static func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
  }
}

extension Day {
  /// Parses `YYYY-MM-DD` exactly: four-digit year, two-digit month and day, a real calendar day.
  /// - Throws: `DayError` quoting the text.
  public init(_ text: String) throws(DayError) {
    var utf8Text = text
    guard let day = utf8Text.withUTF8({ Day.parse($0) }) else { throw DayError(text: text) }
    self = day
  }

  /// Parses `YYYY-MM-DD` from bytes without allocating; nil when it is not a real day in that form.
  @inlinable
  public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Day? {
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
    guard let year = digits(bytes, 0, 4), let month = digits(bytes, 5, 2), let day = digits(bytes, 8, 2) else {
      return nil
    }
    return Day(year: year, month: month, day: day)
  }

  /// The decimal value of `count` ASCII digits from `start`, or nil if any is not a digit.
  @inlinable
  public static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
    var value = 0
    for index in start..<(start + count) {
      let digit = bytes[index] &- 48
      guard digit < 10 else { return nil }
      value = value * 10 + Int(digit)
    }
    return value
  }
}

/// A text that is not a calendar day in `YYYY-MM-DD` form.
public struct DayError: Error, Equatable, CustomStringConvertible {
  public let text: String
  public init(text: String) { self.text = text }
  public var description: String { "\"\(text)\" is not a day in the form YYYY-MM-DD" }
}

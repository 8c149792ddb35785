import Dates
import Testing

/// Parses through the byte-level hot path that file readers use.
private func parsedBytes(_ text: String) -> Day? {
  var text = text
  return text.withUTF8 { Day.parse($0) }
}

/// Days in a month by the Gregorian rule, written out independently of `Day`.
private func referenceDaysInMonth(year: Int, month: Int) -> Int {
  let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  return [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
}

private func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

@Suite("Day")
struct DayTests {
  // MARK: Parsing

  @Test("a real day in YYYY-MM-DD form parses and prints back")
  func parse() throws {
    let day = try Day("2026-10-02")
    #expect(day.civil == (2026, 10, 2))
    #expect(day.description == "2026-10-02")
    #expect(parsedBytes("2026-10-02") == day)
    #expect(Day(year: 2026, month: 10, day: 2) == day)
  }

  @Test(
    "anything else is refused, quoting the text",
    arguments: [
      "2026-02-30", "2026-2-03", "20261002", "2026-10-02T00:00", "2026-10-2", "26-10-02", "2026/10/02",
      "2026-10-02 ", " 2026-10-02", "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32", "2026-04-31",
      "0000-01-01", "2026-1a-02", "2026-10-0x", "-026-10-02", "+026-10-02", "2026_10_02", "2026-10/02", "2026/10-02",
      "2026-10-02-", "", "2026-10-02\n",
      "２０２６-10-02",
    ])
  func refused(text: String) {
    let error = #expect(throws: DayError.self) { try Day(text) }
    #expect(error?.text == text)
    #expect(error?.description == "\"\(text)\" is not a day in the form YYYY-MM-DD")
    #expect(parsedBytes(text) == nil)
  }

  @Test("the exact message for an impossible day")
  func message() {
    #expect(throws: DayError(text: "2026-02-30")) { try Day("2026-02-30") }
    let error = #expect(throws: DayError.self) { try Day("2026-02-30") }
    #expect(error?.description == "\"2026-02-30\" is not a day in the form YYYY-MM-DD")
  }

  @Test("the first and last days of the supported years")
  func yearRange() throws {
    #expect(try Day("0001-01-01").description == "0001-01-01")
    #expect(try Day("9999-12-31").description == "9999-12-31")
    #expect(Day(year: 0, month: 12, day: 31) == nil)
    #expect(Day(year: 10_000, month: 1, day: 1) == nil)
  }

  // MARK: Leap years

  @Test("29 February exists in leap years", arguments: ["2024-02-29", "2000-02-29", "2400-02-29", "1996-02-29"])
  func leapDay(text: String) throws {
    #expect(try Day(text).description == text)
  }

  @Test(
    "29 February is refused in common years, including centuries not divisible by 400",
    arguments: ["2023-02-29", "1900-02-29", "2100-02-29", "2026-02-29"])
  func noLeapDay(text: String) {
    #expect(throws: DayError(text: text)) { try Day(text) }
  }

  @Test("the leap-year rule")
  func isLeapYear() {
    #expect(Day.isLeapYear(2024) && Day.isLeapYear(2000) && Day.isLeapYear(2400))
    #expect(!Day.isLeapYear(2023) && !Day.isLeapYear(1900) && !Day.isLeapYear(2100))
    #expect(Day.daysInMonth(year: 2024, month: 2) == 29)
    #expect(Day.daysInMonth(year: 2023, month: 2) == 28)
    #expect(Day.daysInMonth(year: 2023, month: 4) == 30)
    #expect(Day.daysInMonth(year: 2023, month: 12) == 31)
  }

  // MARK: Days since the epoch

  @Test("1970-01-01 is day 0; the days either side are 1 and -1")
  func epoch() throws {
    #expect(try Day("1970-01-01").daysSinceEpoch == 0)
    #expect(try Day("1970-01-02").daysSinceEpoch == 1)
    #expect(try Day("1969-12-31").daysSinceEpoch == -1)
    #expect(Day(daysSinceEpoch: 0).description == "1970-01-01")
    #expect(Day(daysSinceEpoch: -1).description == "1969-12-31")
    #expect(try Day("2000-03-01").daysSinceEpoch == 11_017)
    #expect(try Day("0001-01-01").daysSinceEpoch == -719_162)
    #expect(try Day("9999-12-31").daysSinceEpoch == 2_932_896)
  }

  @Test("every day from 1999-01-01 to 2030-12-31 round-trips through daysSinceEpoch, text and civil date")
  func everyDay() throws {
    // 1970 to 1999 is 29 years with 7 leap days (1972 … 1996).
    var expectedDays: Int32 = 29 * 365 + 7
    var expectedWeekday = 5  // 1999-01-01 was a Friday.
    var checked = 0
    for year in 1999...2030 {
      for month in 1...12 {
        for dayOfMonth in 1...referenceDaysInMonth(year: year, month: month) {
          let text = "\(year)-\(twoDigits(month))-\(twoDigits(dayOfMonth))"
          let day = try #require(Day(year: year, month: month, day: dayOfMonth), "\(text)")
          #expect(day.daysSinceEpoch == expectedDays, "\(text)")
          #expect(day.description == text)
          #expect(try Day(text) == day)
          let back = Day(daysSinceEpoch: expectedDays)
          #expect(back.civil == (year, month, dayOfMonth), "\(text)")
          #expect(back.weekday == expectedWeekday, "\(text)")
          expectedDays += 1
          expectedWeekday = expectedWeekday % 7 + 1
          checked += 1
        }
        // The day after the last of the month does not exist.
        let pastEnd = referenceDaysInMonth(year: year, month: month) + 1
        #expect(Day(year: year, month: month, day: pastEnd) == nil, "\(year)-\(month)-\(pastEnd)")
      }
    }
    #expect(checked == 32 * 365 + 8)
  }

  // MARK: Weekdays

  @Test("weekdays are ISO 8601: 1 is Monday, 7 is Sunday")
  func weekday() throws {
    #expect(try Day("2026-10-03").weekday == 6)  // Saturday
    #expect(try Day("2026-10-04").weekday == 7)  // Sunday
    #expect(try Day("2026-10-05").weekday == 1)  // Monday
    #expect(try Day("1970-01-01").weekday == 4)  // Thursday
    #expect(try Day("1969-12-31").weekday == 3)  // Wednesday, before the epoch
    #expect(try Day("1969-12-29").weekday == 1)
    #expect(try Day("0001-01-01").weekday == 1)
  }

  // MARK: Ordering and striding

  @Test("days order and stride by days")
  func stride() throws {
    let first = try Day("2024-02-28")
    let second = try Day("2024-03-01")
    #expect(first < second)
    #expect(!(second < first))
    #expect(first.distance(to: second) == 2)
    #expect(second.distance(to: first) == -2)
    #expect(first.advanced(by: 1).description == "2024-02-29")
    #expect(first.advanced(by: 2) == second)
    #expect(try Day("2026-12-31").advanced(by: 1).description == "2027-01-01")
    #expect(
      Array(Swift.stride(from: first, through: second, by: 1)).map(\.description) == [
        "2024-02-28", "2024-02-29", "2024-03-01",
      ])
  }
}

import Dates
import Testing

@testable import Commissions

/// The orders' timestamps take their dates from a table of month starts: it gives every day of
/// 1900–2199 that the calendar does, and refuses every other, as `Day(year:month:day:)` does.
struct MonthStartsTests {
  @Test func everyDayOfTheTableAgreesWithTheCalendar() {
    let months = MonthStarts()
    for year in MonthStarts.firstYear..<(MonthStarts.firstYear + MonthStarts.years) {
      for month in 0...13 {
        for day in 0...32 {
          let expected = Day(year: year, month: month, day: day)?.daysSinceEpoch
          #expect(months.day(year: year, month: month, day: day) == expected, "\(year)-\(month)-\(day)")
        }
      }
    }
  }

  @Test func leapDaysAndTheTableEdges() throws {
    let months = MonthStarts()
    #expect(months.day(year: 2000, month: 2, day: 29) == (try Day("2000-02-29")).daysSinceEpoch)
    #expect(months.day(year: 1900, month: 2, day: 29) == nil)
    #expect(months.day(year: 2100, month: 2, day: 29) == nil)
    #expect(months.day(year: 1900, month: 1, day: 1) == (try Day("1900-01-01")).daysSinceEpoch)
    #expect(months.day(year: 2199, month: 12, day: 31) == (try Day("2199-12-31")).daysSinceEpoch)
    // Outside the table the orders' fast path gives way to the general parser, with the same answer.
    for text in ["1899-12-31T23:59:59Z", "2200-01-01T00:00:00Z", "2026-02-29T10:00:00Z", "2024-02-29T10:00:00Z"] {
      let bytes = Array(text.utf8)
      #expect(
        bytes.withUnsafeBufferPointer { Timestamp.parseOrderTimestamp($0, months: months) }
          == bytes.withUnsafeBufferPointer { Timestamp.parse($0) }, "\(text)")
    }
  }

  /// The fast path reads the text as three words and checks its digits and separators with masks:
  /// every text one byte away from a valid timestamp (each position, every byte value) and every
  /// second of a day it may misread must get the general parser's answer.
  @Test func theWordAtATimePathAgreesWithTheGeneralParser() {
    let months = MonthStarts()
    func check(_ bytes: [UInt8]) {
      let fast = bytes.withUnsafeBufferPointer { Timestamp.parseOrderTimestamp($0, months: months) }
      let general = bytes.withUnsafeBufferPointer { Timestamp.parse($0) }
      #expect(fast == general, "\(String(decoding: bytes, as: UTF8.self))")
    }
    for text in ["2026-10-09T04:58:44Z", "1999-12-31T23:59:59Z", "2000-02-29T00:00:00Z"] {
      let valid = Array(text.utf8)
      check(valid)
      for position in valid.indices {
        for byte in UInt8.min...UInt8.max where byte != valid[position] {
          var changed = valid
          changed[position] = byte
          check(changed)
        }
      }
    }
    for hour in [0, 9, 10, 19, 20, 23, 24, 29, 30, 99] {
      for minute in [0, 9, 10, 59, 60, 99] {
        for second in [0, 9, 10, 59, 60, 61, 99] {
          let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
          check(Array("2026-10-31T\(two(hour)):\(two(minute)):\(two(second))Z".utf8))
        }
      }
    }
  }

  /// A run remembers the last timestamp's month at each column: texts read after one of the same
  /// `YYYY-MM-` take its first day and length from there. Read in one sequence through one memory,
  /// every mutation of a valid timestamp (most share the month of the text before), days past the
  /// end of a remembered month, and alternating months must get the general parser's answer.
  @Test func theRememberedMonthGivesTheGeneralParsersAnswer() {
    let months = MonthStarts()
    var lastMonth = Timestamp.LastMonth()
    func check(_ text: [UInt8]) {
      let fast = text.withUnsafeBufferPointer {
        Timestamp.parseOrderTimestamp($0, months: months, lastMonth: &lastMonth)
      }
      let general = text.withUnsafeBufferPointer { Timestamp.parse($0) }
      #expect(fast == general, "\(String(decoding: text, as: UTF8.self))")
    }
    for text in ["2026-10-09T04:58:44Z", "2024-02-29T23:59:59Z", "2026-02-28T00:00:00Z"] {
      let valid = Array(text.utf8)
      for position in valid.indices {
        for byte in UInt8.min...UInt8.max where byte != valid[position] {
          check(valid)
          var changed = valid
          changed[position] = byte
          check(changed)
        }
      }
    }
    for text in [
      "2026-02-01T00:00:00Z", "2026-02-28T12:00:00Z", "2026-02-29T12:00:00Z", "2026-02-30T12:00:00Z",
      "2026-02-00T12:00:00Z", "2026-03-31T12:00:00Z", "2026-02-31T12:00:00Z", "2024-02-29T12:00:00Z",
      "2026-02-15T24:00:00Z", "2026-02-15T23:60:00Z", "2026-02-15T23:59:60Z", "2026-02-15t23:59:59Z",
      "2026-02-15T23:59:59z", "2026-02-15T23-59:59Z", "2026-02-15T23:59:59+",
    ] {
      check(Array(text.utf8))
    }
  }
}

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
}

import Dates
import Testing

/// The first and last instants 64-bit nanoseconds hold. Found by fuzzing (`Fuzz/`, target
/// FuzzTimestamp): `day` and `description` overflowed for the instants of 1677-09-21 before 00:24
/// (they subtracted a day's nanoseconds from the instant); and the parser refused the first 0.85 s
/// of them (it scaled the whole second, before Int64.min, before adding the fraction).
@Suite("Timestamp boundaries")
struct TimestampBoundaryTests {
  @Test("the earliest whole second parses, and prints back on its own day")
  func earliestWholeSecond() throws {
    let instant = try Timestamp("1677-09-21T00:12:44Z")
    #expect(instant.nanosecondsSinceEpoch == -9_223_372_036_000_000_000)
    #expect(instant.day == Day(year: 1677, month: 9, day: 21))
    #expect(instant.description == "1677-09-21T00:12:44Z")
  }

  @Test("the extremes of Int64 print as the first and last instants")
  func extremes() {
    let first = Timestamp(nanosecondsSinceEpoch: .min)
    #expect(first.day == Day(year: 1677, month: 9, day: 21))
    #expect(first.description == "1677-09-21T00:12:43.145224192Z")
    let last = Timestamp(nanosecondsSinceEpoch: .max)
    #expect(last.day == Day(year: 2262, month: 4, day: 11))
    #expect(last.description == "2262-04-11T23:47:16.854775807Z")
    #expect(Timestamp(nanosecondsSinceEpoch: -1).description == "1969-12-31T23:59:59.999999999Z")
  }

  @Test(
    "the extremes parse back from their text",
    arguments: ["1677-09-21T00:12:43.145224192Z", "2262-04-11T23:47:16.854775807Z", "1677-09-21T01:12:44+01:00"])
  func extremesParse(text: String) throws {
    let instant = try Timestamp(text)
    #expect(try Timestamp(instant.description) == instant)
  }

  @Test(
    "one nanosecond or one second beyond them is refused, quoting the text",
    arguments: [
      "1677-09-21T00:12:43.145224191Z", "1677-09-21T00:12:43Z", "2262-04-11T23:47:16.854775808Z",
      "2262-04-11T23:47:17Z", "1677-09-21T00:12:44+00:01",
    ])
  func beyondRefused(text: String) {
    let error = #expect(throws: TimestampError.self) { try Timestamp(text) }
    #expect(error?.description == "\"\(text)\" is not an RFC 3339 timestamp (e.g. 2026-10-09T04:58:44Z)")
  }
}

@testable import Commissions
import Dates
import FuzzSupport

/// `Timestamp.parse` (RFC 3339), the orders reader's fast path `Timestamp.parseOrderTimestamp`, the
/// generator's writer `TimestampText`, `Day.parse` and `Month(_:)`.
///
/// Invariants: the fast path and the general parser always agree; a parsed instant prints (UTC) as text
/// that parses to the same instant, whose day is the printed date; `TimestampText` writes, at any offset,
/// text that parses back to the same second; a parsed day prints as exactly the text it came from; a
/// parsed month prints as its text and holds its own instants.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimestamp(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = inputBytes(data, size)
  let parsed = bytes.withUnsafeBufferPointer { Timestamp.parse($0) }
  let fast = bytes.withUnsafeBufferPointer { Timestamp.parseOrderTimestamp($0) }
  invariant(
    parsed == fast,
    "\(quoted(bytes)): Timestamp.parse gives \(String(describing: parsed)), the orders path \(String(describing: fast))"
  )
  checkStringEntryPoint(bytes, parsed)
  if let parsed {
    checkPrinted(parsed)
    checkTimestampText(parsed, offsetSeed: bytes.count)
  }
  checkDay(bytes)
  checkMonth(bytes)
  return 0
}

private func checkStringEntryPoint(_ bytes: [UInt8], _ parsed: Timestamp?) {
  let text = String(decoding: bytes, as: UTF8.self)
  guard Array(text.utf8) == bytes else { return }
  do {
    let timestamp = try Timestamp(text)
    invariant(
      timestamp == parsed,
      "Timestamp(\(text.debugDescription)) is \(timestamp), parse gave \(String(describing: parsed))")
  } catch {
    invariant(parsed == nil && error.text == text, "Timestamp(\(text.debugDescription)) threw \(error)")
  }
}

private func checkPrinted(_ instant: Timestamp) {
  let printed = instant.description
  let reparsed = Array(printed.utf8).withUnsafeBufferPointer { Timestamp.parse($0) }
  invariant(
    reparsed == instant,
    "\(instant.nanosecondsSinceEpoch) ns printed as \(printed), parsed as \(String(describing: reparsed))")
  let day = instant.day
  invariant(printed.hasPrefix("\(day)T"), "\(printed) is not on its day \(day)")
  let perDay = Timestamp.secondsPerDay * Timestamp.nanosecondsPerSecond
  let intoDay = Int128(instant.nanosecondsSinceEpoch) - Int128(day.daysSinceEpoch) * Int128(perDay)
  invariant(intoDay >= 0 && intoDay < Int128(perDay), "\(printed) is \(intoDay) ns into its day \(day)")
}

/// Writes the instant's whole second with `TimestampText` at an offset chosen by the input, and parses it back.
private func checkTimestampText(_ instant: Timestamp, offsetSeed: Int) {
  let seconds = instant.nanosecondsSinceEpoch.quotientAndRemainder(dividingBy: Timestamp.nanosecondsPerSecond)
  let wholeSeconds = seconds.remainder < 0 ? seconds.quotient - 1 : seconds.quotient
  // Local days written with the offset must stay in four-digit years for the text to be RFC 3339.
  guard let first = Day(year: 1900, month: 1, day: 2), let last = Day(year: 2199, month: 12, day: 30),
    (first...last).contains(instant.day)
  else { return }
  let offsetMinutes: Int? = offsetSeed % 3 == 0 ? nil : (offsetSeed * 37) % (2 * 1439 + 1) - 1439
  let text = TimestampText(days: first...first.advanced(by: 30))
  var buffer = [UInt8](repeating: 0, count: TimestampText.bytesMax)
  let written: [UInt8] = buffer.withUnsafeMutableBufferPointer { room in
    guard let base = room.baseAddress else { return [] }
    var cursor = ByteCursor(base: base, capacity: room.count)
    text.append(secondsSinceEpoch: wholeSeconds, offsetMinutes: offsetMinutes, to: &cursor)
    return Array(room[0..<cursor.count])
  }
  let reparsed = written.withUnsafeBufferPointer { Timestamp.parse($0) }
  invariant(
    reparsed == Timestamp(secondsSinceEpoch: wholeSeconds),
    "\(wholeSeconds) s at offset \(String(describing: offsetMinutes)) written as \(quoted(written)), "
      + "parsed as \(String(describing: reparsed))"
  )
}

private func checkDay(_ bytes: [UInt8]) {
  guard let day = bytes.withUnsafeBufferPointer({ Day.parse($0) }) else { return }
  invariant(Array(day.description.utf8) == bytes, "\(quoted(bytes)) parsed as the day \(day)")
  let civil = day.civil
  invariant(Day(year: civil.year, month: civil.month, day: civil.day) == day, "\(day) has civil date \(civil)")
  invariant((1...7).contains(day.weekday), "\(day) has weekday \(day.weekday)")
}

private func checkMonth(_ bytes: [UInt8]) {
  let text = String(decoding: bytes, as: UTF8.self)
  guard Array(text.utf8) == bytes, let month = try? Month(text) else { return }
  invariant(month.description == text, "\(text.debugDescription) parsed as the month \(month)")
  let instants = month.instants
  invariant(
    instants.lowerBound.day == month.firstDay && instants.upperBound.day == month.lastDay.advanced(by: 1),
    "\(month) spans \(instants.lowerBound) to \(instants.upperBound)")
}

private func quoted(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self).debugDescription }

import Foundation

// conversion-compare: the sample of Benchmarks/compare/conversion-vs-currencyconverter.sh converted
// the common way in Swift, with Foundation.Decimal: amount × rate_to ÷ rate_from (38 significant
// digits), then NSDecimalRound(.bankers) to the target's minor units. It has no rate table: the
// rated sample gives each row the two rates under Settle's date rule, so only the arithmetic is
// compared (and timed).
//
//   conversion-compare RATED_CSV OUT_CSV
//
// RATED_CSV: amount,from,to,date,rate_from,rate_to,to_minor_units, no quoting, empty rates where
// there is no rate. OUT_CSV: result,error, one row per input row. The times of reading, converting
// and writing go to standard error.

/// Stops with a message on stderr and status 2.
func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("conversion-compare: \(message)\n".utf8))
  exit(2)
}

/// One row of the rated sample: the amount in the source's major units and the two rates, or no
/// rates when the date rule finds none.
struct RatedRow {
  let amount: Decimal
  let rates: (from: Decimal, to: Decimal)?
  let targetFractionDigits: Int
}

let expectedHeader = "amount,from,to,date,rate_from,rate_to,to_minor_units"
/// Largest input read: the default sample of 1,000,000 rows is about 50 MB.
let inputBytesMax = 2 << 30

func decimal(_ text: Substring, line: Int, field: String) -> Decimal {
  guard let value = Decimal(string: String(text)) else {
    fail("line \(line): \(field) \"\(text)\" is not a decimal")
  }
  return value
}

/// Reads the rated sample; every field is unquoted (the generator writes no commas or quotes).
func readRows(path: String) -> [RatedRow] {
  guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
  guard data.count <= inputBytesMax else { fail("\(path) is larger than \(inputBytesMax) bytes") }
  let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
  guard lines.first == Substring(expectedHeader) else { fail("\(path): expected the header \(expectedHeader)") }
  var rows: [RatedRow] = []
  rows.reserveCapacity(lines.count - 1)
  for (offset, line) in lines.dropFirst().enumerated() {
    let lineNumber = offset + 2
    let fields = line.split(separator: ",", omittingEmptySubsequences: false)
    guard fields.count == 7, !line.contains("\"") else { fail("line \(lineNumber): expected 7 unquoted fields") }
    guard let digits = Int(fields[6]), (0...4).contains(digits) else {
      fail("line \(lineNumber): to_minor_units \"\(fields[6])\" is not 0 to 4")
    }
    var rates: (from: Decimal, to: Decimal)?
    if !fields[4].isEmpty || !fields[5].isEmpty {
      rates = (
        decimal(fields[4], line: lineNumber, field: "rate_from"), decimal(fields[5], line: lineNumber, field: "rate_to")
      )
    }
    rows.append(
      RatedRow(
        amount: decimal(fields[0], line: lineNumber, field: "amount"), rates: rates, targetFractionDigits: digits))
  }
  return rows
}

/// Each row's amount × rate_to ÷ rate_from rounded half-even to the target's minor units, or nil
/// without rates: the only part of the run that the conversion rate is measured on.
func convert(_ rows: [RatedRow]) -> [Decimal?] {
  var results: [Decimal?] = []
  results.reserveCapacity(rows.count)
  for row in rows {
    guard let rates = row.rates else {
      results.append(nil)
      continue
    }
    var exact = row.amount * rates.to / rates.from
    var rounded = Decimal()
    NSDecimalRound(&rounded, &exact, row.targetFractionDigits, .bankers)
    results.append(rounded)
  }
  return results
}

func write(_ results: [Decimal?], path: String) {
  var text = "result,error\n"
  text.reserveCapacity(results.count * 16)
  for result in results {
    if let result {
      text += result.description
      text += ",\n"
    } else {
      text += ",no rate under the date rule\n"
    }
  }
  guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { fail("cannot write \(path)") }
}

func seconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else { fail("usage: conversion-compare RATED_CSV OUT_CSV") }
let clock = ContinuousClock()
let readStart = clock.now
let rows = readRows(path: arguments[1])
let convertStart = clock.now
let results = convert(rows)
let writeStart = clock.now
write(results, path: arguments[2])
let end = clock.now
let convertSeconds = seconds(writeStart - convertStart)
let converted = results.lazy.filter { $0 != nil }.count
FileHandle.standardError.write(
  Data(
    String(
      format: "foundation-decimal: read and parsed %d rows in %.2f s, converted %d in %.2f s (%.0f conversions/s),"
        + " wrote in %.2f s\n",
      rows.count, seconds(convertStart - readStart), converted, convertSeconds,
      Double(converted) / max(convertSeconds, 1e-9), seconds(end - writeStart)
    ).utf8))

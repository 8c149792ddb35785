import Foundation
import Money
import PropertyBased
import Testing

/// One generated conversion and Settle's verdicts on it.
private struct CrossCheckCase {
  let source: Currency
  let target: Currency
  let rateFrom: FixedDecimal
  let rateTo: FixedDecimal
  let percentage: FixedDecimal?
  let minorUnits: Int64

  /// The line `decimal_conversion.py` reads.
  var line: String {
    "\(source.minorUnits) \(target.minorUnits) \(rateFrom) \(rateTo) \(percentage.map(\.description) ?? "-") \(minorUnits)"
  }
}

/// The package root, from this file's path.
private let packageRoot: URL = URL(fileURLWithPath: "\(#filePath)")
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs `python3 Tests/CrossCheck/decimal_conversion.py` on `cases` and returns its result lines. Fails, never skips,
/// when python3 cannot be started or exits with an error.
private func pythonResults(for cases: [CrossCheckCase], modes: [RoundingMode]) throws -> [Substring] {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("settle-decimal-crosscheck-\(ProcessInfo.processInfo.processIdentifier)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  let casesFile = directory.appendingPathComponent("cases.txt")
  let resultsFile = directory.appendingPathComponent("results.txt")
  var text = "modes " + modes.map(\.rawValue).joined(separator: " ") + "\n"
  for crossCheckCase in cases { text += crossCheckCase.line + "\n" }
  try Data(text.utf8).write(to: casesFile)

  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [
    "python3", packageRoot.appendingPathComponent("Tests/CrossCheck/decimal_conversion.py").path, casesFile.path,
    resultsFile.path,
  ]
  try process.run()
  process.waitUntilExit()
  try #require(
    process.terminationStatus == 0,
    "python3 Tests/CrossCheck/decimal_conversion.py exited with \(process.terminationStatus) (127: python3 not found)")
  let results = try String(decoding: Data(contentsOf: resultsFile), as: UTF8.self)
  return results.split(separator: "\n")
}

@Suite("Conversion against Python's decimal module")
struct ConversionCrossCheckTests {
  static let caseCount = 100_000

  @Test("100,000 seeded conversions in every rounding mode agree with Python's decimal, overflow and refusals included")
  func agreesWithPythonDecimal() throws {
    // Fixed seed: the same 100,000 cases every run, so a disagreement can be replayed.
    var generator = Xoshiro(seed: (0x5E77_1E00, 0xDEC1_3A1, 0xC0FF_EE, 0x1234_5678))
    let percentage = MoneyGen.percentage.optional(valueRate: 0.25)
    let cases = (0..<Self.caseCount).map { _ in
      CrossCheckCase(
        source: MoneyGen.currency.run(using: &generator), target: MoneyGen.currency.run(using: &generator),
        rateFrom: MoneyGen.rate.run(using: &generator), rateTo: MoneyGen.rate.run(using: &generator),
        percentage: percentage.run(using: &generator), minorUnits: MoneyGen.significand.run(using: &generator))
    }
    let modes = RoundingMode.allCases
    let lines = try pythonResults(for: cases, modes: modes)
    try #require(lines.count == cases.count, "python3 answered \(lines.count) of \(cases.count) cases")

    var tally = OutcomeTally()
    for (crossCheckCase, line) in zip(cases, lines) {
      let fields = line.split(separator: " ")
      try #require(fields.count == 1 + modes.count, "malformed line \(line)")
      let conversion = try? Conversion(
        from: crossCheckCase.source, rate: crossCheckCase.rateFrom, to: crossCheckCase.target,
        rate: crossCheckCase.rateTo, percentage: crossCheckCase.percentage)
      #expect((conversion != nil) == (fields[0] == "fits"), "factor verdict \(fields[0]): \(crossCheckCase.line)")
      guard let conversion else {
        tally.count("factor refused by both")
        continue
      }
      for (mode, field) in zip(modes, fields.dropFirst()) {
        try #require(field.allSatisfy { $0.isNumber || $0 == "-" }, "not a whole number: \(field)")
        // Python prints any size; a number outside Int64 must be an overflow in Settle.
        let expected = Int64(field)
        let actual = conversion.convertedMinorUnits(crossCheckCase.minorUnits, rounding: mode)
        #expect(
          actual == expected, "\(mode): \(crossCheckCase.line) gave \(String(describing: actual)), Python \(field)")
        tally.count(expected == nil ? "overflow in both" : (actual == expected ? "equal" : "different"))
      }
    }
    print("decimal cross-check: \(cases.count) cases × \(modes.count) modes: \(tally)")
    #expect(tally["equal"] > 300_000, "\(tally)")
    #expect(tally["overflow in both"] > 10_000, "\(tally)")
    #expect(tally["factor refused by both"] > 100, "\(tally)")
  }
}

import ArgumentParser
import CSV
import Dates
import Money
import Rates

struct ConvertCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract: "Convert an amount exactly at the ECB rates of a day, rounded once.",
    usage: """
      settle convert AMOUNT FROM TO [--date YYYY-MM-DD] [--rounding MODE] [--rates-dir DIR] [--explain]
      settle convert --batch FILE.csv [--rates-dir DIR]
      """)

  @Argument(parsing: .allUnrecognized, help: "AMOUNT FROM TO, e.g. 123.45 USD JPY (negative amounts allowed).")
  var operands: [String] = []
  @Option(help: "The day whose rates to use (YYYY-MM-DD); default: the latest publication.")
  var date: String?
  @Option(help: "half-even (default), half-up, half-down, up, down, ceiling or floor.")
  var rounding: String = RoundingMode.halfEven.rawValue
  @Flag(help: "Also print the two rates, the publication day and the exact unrounded value.")
  var explain = false
  @Option(help: "Convert every row of a CSV file (amount,from,to,date[,rounding]); - reads standard input.")
  var batch: String?
  @OptionGroup var store: RatesDirectoryOption

  func run() throws {
    try reportingErrors {
      let table = try RatesStore(directory: store.resolved).load()
      if let batch {
        guard operands.isEmpty else { throw ValidationError("--batch takes no AMOUNT FROM TO") }
        let failedRows = try BatchConversion(table: table).run(path: batch)
        if failedRows > 0 { throw ExitCode(1) }
        return
      }
      try convertOne(table: table)
    }
  }

  private func convertOne(table: RateTable) throws {
    guard operands.count == 3 else {
      throw ValidationError("expected AMOUNT FROM TO, e.g. settle convert 123.45 USD JPY")
    }
    guard let mode = RoundingMode(rawValue: rounding) else {
      throw ValidationError(
        "--rounding \"\(rounding)\" is not one of \(RoundingMode.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    let source = try Currency(code: operands[1])
    let target = try Currency(code: operands[2])
    let amount = try Money(parsing: operands[0], currency: source)
    guard let lastDay = table.lastDay else { return }
    let day = try date.map { (text) throws(DayError) in try Day(text) } ?? lastDay
    let rated = try table.conversion(from: source, to: target, on: day)
    let result = try rated.conversion.convert(amount, rounding: mode)
    print(result)
    if explain {
      print("  \(source.code) \(rated.rateFrom) per EUR, \(target.code) \(rated.rateTo) per EUR")
      print("  ECB publication of \(rated.publicationDay) (for \(day))")
      print("  exact \(rated.conversion.exactText(of: amount)) \(target.code), rounded \(mode.rawValue)")
    }
  }
}

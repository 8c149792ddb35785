import ArgumentParser
import Commissions
import Dates
import Files
import Ledger
import Money
import Rates

#if canImport(Glibc)
  import Glibc
#endif

struct CommissionsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "commissions",
    abstract: "Settle a period: orders in any currency → commissions per affiliate and market.")

  @OptionGroup var settling: PeriodRunOptions
  @Option(help: "Settle in this currency instead of the program's.")
  var currency: String?
  @Flag(help: "Fail before writing anything if any row is rejected.")
  var strict = false

  func run() throws {
    let (orders, out) = (settling.orders, settling.out)
    try reportingErrors {
      let inputs = try SettlementInputs(
        period: settling.period, programPath: settling.program, currency: currency,
        ratesDirectory: settling.store.resolved)
      let ledger = try settling.ledger()
      let summary = try inputs.settle(orders: orders, out: out, strict: strict)
      CommissionsCommand.printSummary(summary, out: out)
      if let ledger {
        try ledger.recordProvisional(
          summary, source: inputs.runSource(orders: orders), inputRows: summary.counts.inputRows)
        print("recorded as the provisional commissions of \(summary.period) in \(ledger.path)")
      }
    }
  }

  static func printSummary(_ summary: SettlementSummary, out: String) {
    let counts = summary.counts
    let currency = summary.program.settlementCurrency
    print(
      "settled \(summary.period) under \(summary.program.name): \(counts.inputRows) rows — "
        + "\(counts.byOutcome[.qualified] ?? 0) qualified, \(counts.byOutcome[.notQualified] ?? 0) not qualified, "
        + "\(counts.byOutcome[.outOfPeriod] ?? 0) out of period, \(counts.rejected) rejected")
    print(
      "commission \(SettlementText.amount(summary.totalCommission, currency)) \(currency) on sales "
        + "\(SettlementText.amount(summary.totalSales, currency)) \(currency), "
        + "\(summary.affiliateCount) affiliates, \(summary.lineCount) affiliate-market lines")
    print("wrote \(out)/commissions.csv, \(out)/orders.csv, \(out)/summary.json")
    if counts.rejected > 0 {
      printError(
        "settle: \(counts.rejected) rows rejected: see \(out)/orders.csv (outcome rejected, with line and reason)")
    }
  }
}

/// The options every command that settles a period takes.
struct PeriodRunOptions: ParsableArguments {
  @Option(help: "The orders CSV (- reads standard input).")
  var orders: String
  @Option(help: "The period, YYYY-MM (orders whose ordered_at in UTC falls in that month).")
  var period: String
  @Option(help: "The program file (YAML); default: the built-in Alibaba.com program.")
  var program: String?
  @Option(help: "Output directory.")
  var out: String = "out"
  @OptionGroup var store: RatesDirectoryOption
  @OptionGroup var ledgerOption: LedgerOption
  @Flag(help: "Record nothing in a ledger, even when settle.db exists.")
  var noLedger = false

  /// The ledger the run records into, or nil.
  func ledger() throws -> Ledger? { try ledgerOption.forRun(disabled: noLedger) }
}

/// What settling a period reads besides the orders: the program and the rates store.
struct SettlementInputs {
  let period: Month
  let program: Program
  let programSource: String
  let ratesSource: String
  let ratesSHA256: String
  let rates: RateTable

  /// - Parameter rateDay: a day outside the period whose rates are also needed (a payout's).
  init(period: String, programPath: String?, currency: String?, ratesDirectory: String, rateDay: Day? = nil) throws {
    self.period = try Month(period)
    var rules = try programPath.map { try Program.load(path: $0) } ?? Program.alibaba
    if let currency { rules = try rules.settling(in: try Currency(code: currency)) }
    program = rules
    programSource = programPath ?? "programs/alibaba.yaml"
    let ratesStore = RatesStore(directory: ratesDirectory)
    // Only the publications for these days are read and kept (see `RatesStore.loadWindow`).
    let month = self.period
    let days = rateDay.map { min($0, month.firstDay)...max($0, month.lastDay) } ?? month.firstDay...month.lastDay
    let window = try ratesStore.loadWindow(for: days)
    rates = window.table
    ratesSource = ratesStore.historyPath
    ratesSHA256 = window.sha256
  }

  /// Where a run's figures came from, for the ledger.
  func runSource(orders: String) -> Ledger.RunSource {
    Ledger.RunSource(
      ordersPath: orders, programSHA256: program.fileSHA256, ratesSHA256: ratesSHA256, recordedAt: Ledger.now())
  }

  /// Settles the period into `out` (commissions.csv, orders.csv, summary.json), with a progress line on a terminal.
  func settle(orders: String, out: String, strict: Bool) throws -> SettlementSummary {
    let settlement = PeriodSettlement(program: program, rates: rates, period: period)
    let options = PeriodSettlement.RunOptions(
      ordersPath: orders, outputDirectory: out, strict: strict, programSource: programSource,
      ratesSource: ratesSource, ratesSHA256: ratesSHA256)
    let meter = ProgressMeter(totalBytes: FileReader.size(orders))
    let summary = try settlement.run(
      options, progress: meter.map { meter in { rows, bytes in meter.report(rows: rows, bytesRead: bytes) } })
    meter?.finish()
    return summary
  }
}

enum SettlementText {
  static func amount(_ minorUnits: Int128, _ currency: Currency) -> String {
    guard let narrow = Int64(exactly: minorUnits) else { return String(minorUnits) + " minor units" }
    return Money(minorUnits: narrow, currency: currency).amountText
  }
}

/// A progress line on standard error, only when it is a terminal: rows, rows per second, percent.
final class ProgressMeter {
  private let totalBytes: Int?
  private let startNanoseconds: Int64

  /// nil when standard error is not a terminal.
  init?(totalBytes: Int?) {
    guard isatty(STDERR_FILENO) == 1 else { return nil }
    self.totalBytes = totalBytes
    startNanoseconds = ProgressMeter.now()
  }

  func report(rows: Int, bytesRead: Int) {
    let elapsedMilliseconds = max(1, (ProgressMeter.now() - startNanoseconds) / 1_000_000)
    let rowsPerSecond = Int64(rows) * 1000 / elapsedMilliseconds
    var line = "\r\(rows) rows, \(rowsPerSecond) rows/s"
    if let totalBytes, totalBytes > 0 { line += ", \(bytesRead * 100 / totalBytes) %" }
    line.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
  }

  func finish() {
    var line = "\r\u{1B}[K"
    line.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
  }

  static func now() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
  }
}

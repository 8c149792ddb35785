import Commissions
import Dates
import Ledger
import Payouts
import Rates

/// A month of generated orders and what settling, paying and posting it needs.
public struct SettlementWorkload: Sendable {
  public static let period = "2026-10"
  static let outputs = ["commissions.csv", "orders.csv", "summary.json"]

  public let orderCount: Int
  public let scratch: ScratchDirectory
  public let program: Program
  public let rates: RateTable
  public let period: Month
  public let options: PeriodSettlement.RunOptions

  /// Finds (or generates) the orders in the input cache and loads the rates store and the program.
  public init(inputs: Inputs, orderCount: Int, seed: UInt64) throws {
    self.orderCount = orderCount
    period = try Month(SettlementWorkload.period)
    let ordersPath = try inputs.ordersFile(count: orderCount, seed: seed, period: period)
    scratch = try ScratchDirectory(prefix: "settle-bench")
    rates = try inputs.loadRates()
    program = Program.alibaba
    // The store's SHA-256 only labels summary.json; it is not what the benchmark measures.
    options = PeriodSettlement.RunOptions(
      ordersPath: ordersPath, outputDirectory: scratch.path + "/out", strict: false,
      programSource: "programs/alibaba.yaml", ratesSource: "rates/eurofxref-hist.xml",
      ratesSHA256: "not computed by the benchmark")
  }

  public func settle() throws -> SettlementSummary {
    try PeriodSettlement(program: program, rates: rates, period: period).run(options)
  }

  /// Settles once and checks the figures add up: every row has one outcome, none is rejected,
  /// and the commission lines count exactly the qualified orders.
  public func check() throws {
    let summary = try settle()
    let counts = summary.counts
    let outcomeTotal = counts.byOutcome.values.reduce(0, +)
    let qualified = counts.byOutcome[.qualified] ?? 0
    let lineOrders = summary.lines.reduce(0) { $0 + $1.orders }
    precondition(counts.inputRows == orderCount, "settled \(counts.inputRows) rows of \(orderCount)")
    precondition(outcomeTotal == counts.inputRows, "outcomes add up to \(outcomeTotal) of \(counts.inputRows) rows")
    precondition(counts.rejected == 0, "\(counts.rejected) generated rows rejected")
    precondition(qualified > 0 && lineOrders == qualified, "lines hold \(lineOrders) orders, \(qualified) qualified")
  }

  /// Removes the outputs and the scratch folder, and any `extraFiles` put there.
  public func remove(extraFiles: [String] = []) {
    scratch.remove(files: SettlementWorkload.outputs.map { "out/" + $0 } + extraFiles, directories: ["out"])
  }
}

/// A settled month, the 3,000 sample affiliates and the payer: what making payout files and
/// closing the month in the ledger need.
public struct PayoutWorkload: Sendable {
  public let settlement: SettlementWorkload
  public let summary: SettlementSummary
  public let affiliates: AffiliatesFile
  public let payer: Payer
  public let options: PayoutBatch.Options
  public var qualifiedOrders: Int { summary.counts.byOutcome[.qualified] ?? 0 }
  var auditPath: String { settlement.scratch.path + "/out/orders.csv" }

  public init(inputs: Inputs, orderCount: Int, seed: UInt64) throws {
    settlement = try SettlementWorkload(inputs: inputs, orderCount: orderCount, seed: seed)
    summary = try settlement.settle()
    affiliates = try AffiliatesFile.load(
      path: Inputs.repositoryRoot + "/samples/affiliates.csv", settlementCurrency: summary.program.settlementCurrency)
    payer = try Payer.load(path: Inputs.repositoryRoot + "/samples/payer.yaml")
    options = PayoutBatch.Options.defaults(
      for: summary.period, createdAt: Timestamp(secondsSinceEpoch: 1_793_610_000), wireFormat: .pain00100109)
  }

  /// The batch and every payout file, in memory, the wire file validated against its schema.
  public func files(carried: [String: Int64] = [:], adjustments: [Adjustment] = []) throws -> PayoutFiles {
    let batch = try PayoutBatch(
      settlement: summary, affiliates: affiliates, payer: payer, rates: settlement.rates, options: options,
      carried: carried, adjustments: adjustments)
    return try PayoutFiles(
      batch: batch,
      sources: ManifestSources(
        ordersPath: "orders.csv", programSource: "programs/alibaba.yaml", ratesSource: "rates/eurofxref-hist.xml",
        ratesSHA256: "benchmark", affiliates: affiliates, payerPath: "samples/payer.yaml"))
  }

  /// Closes the month in a fresh ledger at `path`: an accrual per qualifying order, a payout
  /// transfer per ready affiliate, the batch's files stored, in one transaction.
  public func close(ledgerAt path: String) throws -> Ledger.PayoutRun {
    let ledger = try Ledger(path: path)
    return try ledger.payouts(
      period: summary.period, settlementCurrency: summary.program.settlementCurrency, auditPath: auditPath,
      commissionLines: summary.lines,
      source: Ledger.RunSource(
        ordersPath: "orders.csv", programSHA256: summary.program.fileSHA256, ratesSHA256: "benchmark",
        recordedAt: Timestamp(secondsSinceEpoch: 1_793_610_000))
    ) { carried, adjustments in try files(carried: carried, adjustments: adjustments) }
  }
}

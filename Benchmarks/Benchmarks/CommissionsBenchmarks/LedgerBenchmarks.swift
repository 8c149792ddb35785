import Benchmark
import Commissions
import Dates
import Ledger
import Payouts
import Rates

#if canImport(Glibc)
  import Glibc
#endif

/// The ledger file's size after closing the month, in bytes: its growth per month.
let ledgerBytes = BenchmarkMetric.custom("ledger bytes", polarity: .prefersSmaller, useScalingFactor: false)

/// A settled month of about a million qualifying orders and what paying it needs, made once in setup.
struct LedgerWorkload: Sendable {
  /// About 70 % of generated orders qualify: 1,420,000 give a million.
  static let orderCount = 1_420_000
  static let seed: UInt64 = 2027

  let scratch: ScratchDirectory
  let summary: SettlementSummary
  let auditPath: String
  let affiliates: AffiliatesFile
  let payer: Payer
  let rates: RateTable
  let qualifiedOrders: Int

  init() throws {
    let period = try Month("2026-10")
    scratch = try ScratchDirectory(prefix: "settle-ledger-bench")
    let ordersPath = scratch.path + "/orders.csv"
    let file = try ScratchFile(path: ordersPath)
    try OrderGenerator(count: LedgerWorkload.orderCount, seed: LedgerWorkload.seed, period: period).write { bytes in
      try file.write(bytes)
    }
    try file.close()
    rates = try RatesStore(directory: repositoryRoot + "/rates").load()
    summary = try PeriodSettlement(program: .alibaba, rates: rates, period: period).run(
      PeriodSettlement.RunOptions(
        ordersPath: ordersPath, outputDirectory: scratch.path + "/out", strict: false,
        programSource: "programs/alibaba.yaml", ratesSource: "rates/eurofxref-hist.xml", ratesSHA256: "benchmark"))
    auditPath = scratch.path + "/out/orders.csv"
    qualifiedOrders = summary.counts.byOutcome[.qualified] ?? 0
    affiliates = try AffiliatesFile.load(
      path: repositoryRoot + "/samples/affiliates.csv", settlementCurrency: summary.program.settlementCurrency)
    payer = try Payer.load(path: repositoryRoot + "/samples/payer.yaml")
  }

  /// Closes the month in a fresh ledger at `path`; returns the number of accruals posted.
  func close(ledgerAt path: String) throws -> Ledger.PayoutRun {
    let ledger = try Ledger(path: path)
    let options = PayoutBatch.Options.defaults(
      for: summary.period, createdAt: Timestamp(secondsSinceEpoch: 1_793_610_000), wireFormat: .pain00100109)
    return try ledger.payouts(
      period: summary.period, settlementCurrency: summary.program.settlementCurrency, auditPath: auditPath,
      commissionLines: summary.lines,
      source: Ledger.RunSource(
        ordersPath: "orders.csv", programSHA256: summary.program.fileSHA256, ratesSHA256: "benchmark",
        recordedAt: Timestamp(secondsSinceEpoch: 1_793_610_000))
    ) { carried, adjustments in
      let batch = try PayoutBatch(
        settlement: summary, affiliates: affiliates, payer: payer, rates: rates, options: options, carried: carried,
        adjustments: adjustments)
      return try PayoutFiles(
        batch: batch,
        sources: ManifestSources(
          ordersPath: "orders.csv", programSource: "programs/alibaba.yaml", ratesSource: "rates/eurofxref-hist.xml",
          ratesSHA256: "benchmark", affiliates: affiliates, payerPath: "samples/payer.yaml"))
    }
  }

  static func fileBytes(_ path: String) -> Int {
    var status = stat()
    return stat(path, &status) == 0 ? Int(status.st_size) : 0
  }

  func remove(ledgers: Int) {
    var files = ["orders.csv", "out/orders.csv", "out/commissions.csv", "out/summary.json"]
    for index in 0..<ledgers { files += ["ledger-\(index).db", "ledger-\(index).db-journal"] }
    scratch.remove(files: files, directories: ["out"])
  }
}

let ledgerBenchmarks: @Sendable () -> Void = {
  // One iteration closes the month in a fresh ledger file: an accrual per qualifying order (about
  // a million), a payout transfer per ready affiliate, the batch's files stored, one transaction.
  nonisolated(unsafe) var workload: LedgerWorkload?
  nonisolated(unsafe) var iterations = 0
  Benchmark(
    "Ledger/close a month of 1M qualifying orders",
    configuration: .init(
      metrics: [.wallClock, ordersPerSecond, ledgerBytes, .peakMemoryResident], warmupIterations: 0,
      maxDuration: .seconds(40), maxIterations: 3)
  ) { (benchmark: Benchmark, prepared: LedgerWorkload) in
    let path = prepared.scratch.path + "/ledger-\(iterations).db"
    iterations += 1
    let start = ContinuousClock.now
    do {
      blackHole(try prepared.close(ledgerAt: path))
    } catch {
      benchmark.error("\(error)")
    }
    let elapsed = ContinuousClock.now - start
    let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
    benchmark.measurement(ordersPerSecond, Int(Int64(prepared.qualifiedOrders) * 1_000_000_000 / max(nanoseconds, 1)))
    benchmark.measurement(ledgerBytes, LedgerWorkload.fileBytes(path))
  } setup: {
    let prepared = try LedgerWorkload()
    precondition(prepared.qualifiedOrders >= 1_000_000, "\(prepared.qualifiedOrders) orders qualify, not a million")
    workload = prepared
    return prepared
  } teardown: {
    workload?.remove(ledgers: iterations)
  }
}

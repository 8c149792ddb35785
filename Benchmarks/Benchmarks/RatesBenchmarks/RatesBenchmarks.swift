import Benchmark
import Rates

/// Tolerances for `swift package benchmark thresholds check` against the committed p90 figures in
/// Benchmarks/Thresholds, and for `baseline check` between two runs at the median. Time on this
/// shared 2-core virtual machine moves by a third between quiet runs and doubles while a neighbour
/// builds, so the p90 check flags only gross changes (2.5 times slower, 60% more throughput);
/// allocations are exact counts and get no tolerance.
var settleTolerances: [BenchmarkMetric: BenchmarkThresholds] {
  [
    .wallClock: BenchmarkThresholds(relative: [.p50: 25, .p90: 150]),
    .throughput: BenchmarkThresholds(relative: [.p50: 25, .p90: 60]),
    .mallocCountTotal: BenchmarkThresholds(absolute: [.p50: 0, .p90: 0]),
  ]
}

/// The ECB's full history as the repository ships it, found from this file's place in the tree.
let historyPath: String = {
  var components = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
  components.removeLast(4)  // RatesBenchmarks.swift, RatesBenchmarks/, Benchmarks/, Benchmarks/
  return components.joined(separator: "/") + "/rates/eurofxref-hist.xml"
}()

let benchmarks: @Sendable () -> Void = {
  // One iteration is one whole document: throughput reads in documents per second.
  Benchmark(
    "ECB/full-history parse+index",
    configuration: .init(
      metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 2,
      maxDuration: .seconds(4), maxIterations: 60, thresholds: settleTolerances)
  ) { benchmark, document in
    do {
      let table = try RateTable(publications: ECBFeed.parse(document, source: historyPath), source: historyPath)
      blackHole(table)
    } catch {
      benchmark.error("\(error)")
    }
  } setup: {
    let document = try readWholeFile(historyPath, bytesMax: ECBFeed.xmlBytesMax)
    let table = try RateTable(publications: ECBFeed.parse(document, source: historyPath), source: historyPath)
    let dayCount = occurrences(of: Array("<Cube time=".utf8), in: document)
    precondition(
      table.publications.count == dayCount,
      "\(historyPath): indexed \(table.publications.count) publications, the file has \(dayCount) days")
    return document
  }
}

/// How many times `pattern` occurs in `bytes`: a check on the parser that shares no code with it.
func occurrences(of pattern: [UInt8], in bytes: [UInt8]) -> Int {
  guard bytes.count >= pattern.count else { return 0 }
  var count = 0
  for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
    if bytes[start..<(start + pattern.count)].elementsEqual(pattern) { count += 1 }
  }
  return count
}

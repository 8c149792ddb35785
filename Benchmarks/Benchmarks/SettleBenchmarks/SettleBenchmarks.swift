import Benchmark
import SettleWorkloads

/// Units of work per second in one iteration, measured around the iteration in the body: the
/// library's own `.throughput` counts whole iterations and records nothing for one of two seconds
/// or more, and the settlement's take one to ten.
let unitsPerSecond = BenchmarkMetric.custom("units/s", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
  let inputs = Inputs()
  for workload in Catalog.all {
    nonisolated(unsafe) var iteration: Iteration?
    Benchmark(
      workload.name,
      configuration: .init(
        metrics: [.wallClock, unitsPerSecond, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1, maxDuration: .seconds(5), maxIterations: 100)
    ) { (benchmark: Benchmark, prepared: Iteration) in
      let start = ContinuousClock.now
      do {
        blackHole(try prepared.run())
      } catch {
        benchmark.error("\(workload.name): \(error)")
      }
      let elapsed = ContinuousClock.now - start
      let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
      benchmark.measurement(
        unitsPerSecond, Int(Int64(workload.unitsPerIteration) * 1_000_000_000 / max(nanoseconds, 1)))
    } setup: {
      try workload.check(inputs)
      let prepared = try workload.setUp(inputs)
      iteration = prepared
      return prepared
    } teardown: {
      iteration?.tearDown()
    }
  }
}

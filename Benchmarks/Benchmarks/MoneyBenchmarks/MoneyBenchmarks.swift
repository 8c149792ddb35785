import Benchmark
// Foundation is here only for Foundation.Decimal, the yardstick for exact conversion.
import Foundation
import Money

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

let benchmarks: @Sendable () -> Void = {
  let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal]

  // One iteration converts `scalingFactor` amounts, so throughput reads in conversions per second.
  Benchmark(
    "Conversion/exact",
    configuration: .init(
      metrics: metrics, warmupIterations: 3, scalingFactor: .mega,
      maxDuration: .seconds(3), maxIterations: 200, thresholds: settleTolerances)
  ) { _, workload in
    let conversion = workload.conversion
    var sum: Int64 = 0
    for amount in workload.amounts {
      sum &+= conversion.convertedMinorUnits(amount, rounding: .halfEven) ?? 0
    }
    blackHole(sum)
  } setup: {
    try ConversionWorkload(count: BenchmarkScalingFactor.mega.rawValue)
  }

  Benchmark(
    "Conversion/Foundation.Decimal",
    configuration: .init(
      metrics: metrics, warmupIterations: 3, scalingFactor: .kilo,
      maxDuration: .seconds(2), maxIterations: 500, thresholds: settleTolerances)
  ) { (_: Benchmark, prepared: (decimal: DecimalConversion, amounts: [Int64])) in
    for amount in prepared.amounts {
      blackHole(prepared.decimal.convert(minorUnits: amount))
    }
  } setup: {
    let workload = try ConversionWorkload(count: BenchmarkScalingFactor.kilo.rawValue)
    let decimal = DecimalConversion(workload)
    decimal.checkAgreement(with: workload)
    return (decimal: decimal, amounts: workload.amounts)
  }

  Benchmark(
    "Decimal/parse",
    configuration: .init(
      metrics: metrics, warmupIterations: 3, scalingFactor: .mega,
      maxDuration: .seconds(3), maxIterations: 100, thresholds: settleTolerances)
  ) { _, texts in
    blackHole(parseAll(texts))
  } setup: {
    let texts = DecimalTexts(count: BenchmarkScalingFactor.mega.rawValue)
    let parsedSum = parseAll(texts)
    precondition(parsedSum == texts.significandSum, "parsed \(parsedSum), expected \(texts.significandSum)")
    return texts
  }
}

/// Parses every text; returns the sum of the significands, and the failures count as zero.
func parseAll(_ texts: DecimalTexts) -> Int64 {
  var sum: Int64 = 0
  texts.bytes.withUnsafeBufferPointer { buffer in
    texts.offsets.withUnsafeBufferPointer { offsets in
      for index in 0..<(offsets.count - 1) {
        let text = UnsafeBufferPointer(rebasing: buffer[offsets[index]..<offsets[index + 1]])
        if case .success(let value) = FixedDecimal.parse(text) { sum &+= value.significand }
      }
    }
  }
  return sum
}

// swift-tools-version: 6.1
import PackageDescription

// Settle's benchmarks: a package of their own, so that the benchmark library and its malloc
// interposer never become dependencies of Settle itself. One catalog of workloads
// (`SettleWorkloads`) is measured two ways: by package-benchmark (`SettleBenchmarks`: wall clock
// percentiles, allocations, peak memory) and by `settle-guard` under valgrind (instruction and
// allocation counts, throughput as a ratio to a reference), which `make bench-check` compares with
// the committed thresholds. See README.md here.
let package = Package(
  name: "SettleBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    .package(name: "Settle", path: ".."),
  ],
  targets: [
    .target(
      name: "SettleWorkloads",
      dependencies: [
        .product(name: "Money", package: "Settle"),
        .product(name: "Dates", package: "Settle"),
        .product(name: "CSV", package: "Settle"),
        .product(name: "Rates", package: "Settle"),
        .product(name: "Commissions", package: "Settle"),
        .product(name: "Payouts", package: "Settle"),
        .product(name: "Ledger", package: "Settle"),
      ],
      path: "Workloads"
    ),
    .executableTarget(
      name: "settle-guard",
      dependencies: ["SettleWorkloads"],
      path: "Guard",
      exclude: ["thresholds.json"]
    ),
    .executableTarget(
      name: "SettleBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        "SettleWorkloads",
      ],
      path: "Benchmarks/SettleBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    // Foundation.Decimal's side of Benchmarks/compare/conversion-vs-currencyconverter.sh.
    .executableTarget(
      name: "conversion-compare",
      path: "ConversionCompare"
    ),
  ],
  swiftLanguageModes: [.v6]
)

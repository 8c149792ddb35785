// swift-tools-version: 6.1
import PackageDescription

// Settle's benchmarks: a package of their own, so that the benchmark library and its malloc
// interposer never become dependencies of Settle itself. Run them with `make bench` from the root.
let package = Package(
  name: "SettleBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    .package(name: "Settle", path: ".."),
  ],
  targets: [
    .executableTarget(
      name: "MoneyBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "Money", package: "Settle"),
      ],
      path: "Benchmarks/MoneyBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "RatesBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "Rates", package: "Settle"),
      ],
      path: "Benchmarks/RatesBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "CommissionsBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "Commissions", package: "Settle"),
        .product(name: "Dates", package: "Settle"),
        .product(name: "Rates", package: "Settle"),
        .product(name: "Payouts", package: "Settle"),
        .product(name: "Ledger", package: "Settle"),
      ],
      path: "Benchmarks/CommissionsBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
  ],
  swiftLanguageModes: [.v6]
)

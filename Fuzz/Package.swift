// swift-tools-version: 6.1
import PackageDescription

// Settle's fuzz targets: a package of its own, built with libFuzzer and the address sanitizer
// (`swift build --sanitize=fuzzer --sanitize=address`), so that neither ever touches Settle's own
// build. Each target is an executable whose `main` is libFuzzer's; run them with `make fuzz` from the
// root (see README.md). Built in debug mode so that `@testable import` reaches the internal entry
// points the orders reader uses (`Timestamp.parseOrderTimestamp`, `TimestampText`).
let fuzzTargets = [
  "FuzzDecimal", "FuzzTimestamp", "FuzzCSV", "FuzzOrders", "FuzzAffiliates", "FuzzProgram", "FuzzECB",
  "FuzzBankDetails",
]

let dependenciesOfTarget: [String: [Target.Dependency]] = [
  "FuzzDecimal": [.product(name: "Money", package: "Settle")],
  "FuzzTimestamp": [.product(name: "Dates", package: "Settle"), .product(name: "Commissions", package: "Settle")],
  "FuzzCSV": [.product(name: "Commissions", package: "Settle")],
  "FuzzOrders": [
    .product(name: "Commissions", package: "Settle"), .product(name: "Rates", package: "Settle"),
    .product(name: "Dates", package: "Settle"), .product(name: "Money", package: "Settle"),
  ],
  "FuzzAffiliates": [
    "BankDetailChecks", .product(name: "Payouts", package: "Settle"), .product(name: "Money", package: "Settle"),
  ],
  "FuzzProgram": [
    .product(name: "Commissions", package: "Settle"), .product(name: "Rates", package: "Settle"),
    .product(name: "Dates", package: "Settle"), .product(name: "Money", package: "Settle"),
  ],
  "FuzzECB": [.product(name: "Rates", package: "Settle"), .product(name: "Money", package: "Settle")],
  "FuzzBankDetails": ["BankDetailChecks", .product(name: "Payouts", package: "Settle")],
]

let package = Package(
  name: "SettleFuzz",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "Settle", path: "..")
  ],
  targets: [
    .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
    // Checks of IBANs, BICs and e-mail addresses shared by the bank-details and affiliates targets.
    .target(
      name: "BankDetailChecks",
      dependencies: ["FuzzSupport", .product(name: "Payouts", package: "Settle")],
      path: "Sources/BankDetailChecks"),
  ]
    + fuzzTargets.map { name in
      .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + (dependenciesOfTarget[name] ?? []),
        path: "Sources/\(name)",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
      )
    },
  swiftLanguageModes: [.v6]
)

// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "Settle",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "settle", targets: ["settle"]),
    .library(name: "Money", targets: ["Money"]),
    .library(name: "Rates", targets: ["Rates"]),
    .library(name: "Commissions", targets: ["Commissions"]),
    .library(name: "Dates", targets: ["Dates"]),
    .library(name: "Payouts", targets: ["Payouts"]),
    .library(name: "Ledger", targets: ["Ledger"]),
    .library(name: "CSV", targets: ["CSV"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
  ],
  targets: [
    // C libraries, reached only from the Rates and XMLSchema modules.
    .systemLibrary(
      name: "CCurl", pkgConfig: "libcurl",
      providers: [.apt(["libcurl4-openssl-dev"])]),
    .systemLibrary(
      name: "CLibXML2", pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]),
    .systemLibrary(
      name: "CZlib", pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]),
    .target(name: "CRatesShims", dependencies: ["CCurl", "CLibXML2", "CZlib"]),
    .target(name: "CSchemaShims", dependencies: ["CLibXML2"]),

    // Pure Swift layers: no Foundation, no C.
    .target(name: "Money", swiftSettings: strictSettings),
    .target(name: "Dates", swiftSettings: strictSettings),

    .target(name: "Countries", swiftSettings: strictSettings),
    .target(name: "BankDetails", dependencies: ["Countries"], swiftSettings: strictSettings),
    .target(name: "Digest", swiftSettings: strictSettings),
    .target(name: "JSONText", swiftSettings: strictSettings),
    .target(name: "Files", swiftSettings: strictSettings),
    .target(name: "CSV", dependencies: ["Files"], swiftSettings: strictSettings),
    .target(
      name: "XMLSchema", dependencies: ["CSchemaShims", "CLibXML2", "Files"],
      swiftSettings: strictSettings),
    .target(
      name: "Rates",
      dependencies: ["Money", "Dates", "Files", "Digest", "CRatesShims", "CCurl", "CZlib"],
      swiftSettings: strictSettings),
    .target(
      name: "Commissions",
      dependencies: [
        "Money", "Dates", "Countries", "Digest", "Files", "CSV", "Rates", "JSONText",
        .product(name: "Yams", package: "Yams"),
      ],
      swiftSettings: strictSettings),
    .target(
      name: "Payouts",
      dependencies: [
        "Money", "Dates", "Countries", "BankDetails", "XMLSchema", "Files", "CSV", "Digest", "Rates", "Commissions",
        "JSONText", .product(name: "Yams", package: "Yams"),
      ],
      swiftSettings: strictSettings),
    .target(
      name: "Ledger",
      dependencies: [
        "Money", "Dates", "Files", "CSV", "Digest", "Commissions", "Payouts",
        .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ],
      swiftSettings: strictSettings),
    // Earnings in an affiliate's own currency: what `settle preview` prints and the server serves.
    .target(
      name: "Preview", dependencies: ["Money", "Dates", "Rates", "Ledger", "JSONText"],
      swiftSettings: strictSettings),
    // The preview server: the only module that knows HTTP.
    .target(
      name: "PreviewServer",
      dependencies: [
        "Money", "Dates", "Digest", "JSONText", "Rates", "Ledger", "Preview",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strictSettings),
    .executableTarget(
      name: "settle",
      dependencies: [
        "Money", "Dates", "Rates", "Files", "CSV", "Countries", "Digest", "Commissions", "Payouts", "XMLSchema",
        "Ledger",
        "Preview",
        "PreviewServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strictSettings),

    .testTarget(
      name: "MoneyTests", dependencies: ["Money", .product(name: "PropertyBased", package: "swift-property-based")],
      swiftSettings: strictSettings),
    .testTarget(name: "DatesTests", dependencies: ["Dates"], swiftSettings: strictSettings),
    .testTarget(
      name: "RatesTests", dependencies: ["Rates", "Money", "Dates", "Files", "Digest", "TestScratch"],
      swiftSettings: strictSettings),
    .testTarget(name: "CSVTests", dependencies: ["CSV", "TestScratch"], swiftSettings: strictSettings),
    .testTarget(name: "CountriesTests", dependencies: ["Countries"], swiftSettings: strictSettings),
    .testTarget(name: "BankDetailsTests", dependencies: ["BankDetails", "Countries"], swiftSettings: strictSettings),
    .testTarget(name: "DigestTests", dependencies: ["Digest"], swiftSettings: strictSettings),
    .testTarget(name: "FilesTests", dependencies: ["Files", "TestScratch"], swiftSettings: strictSettings),
    .testTarget(
      name: "XMLSchemaTests", dependencies: ["XMLSchema", "Files", "TestScratch"],
      swiftSettings: strictSettings),
    .testTarget(
      name: "CommissionsTests",
      dependencies: ["Commissions", "Money", "Dates", "Countries", "Rates", "Files", "TestScratch"],
      exclude: ["Golden"],  // read from the tree by path, not bundled
      swiftSettings: strictSettings),
    .testTarget(
      name: "PayoutsTests",
      dependencies: [
        "Payouts", "BankDetails", "Countries", "Money", "Dates", "XMLSchema", "Files", "Digest", "Rates", "Commissions",
        "TestScratch",
      ],
      exclude: ["Golden"],  // read from the tree by path, not bundled
      swiftSettings: strictSettings),
    // Where every test puts its files: one folder per test process, removed when it exits.
    .target(name: "TestScratch", path: "Tests/TestScratch", swiftSettings: strictSettings),
    // Inputs the ledger, preview and server tests share (rates, scratch folders, orders and
    // affiliates files, a payer): a target of its own so that the three test targets can use it.
    .target(
      name: "TreasuryFixtures", dependencies: ["Payouts", "Dates", "Rates", "Files", "TestScratch"],
      path: "Tests/TreasuryFixtures",
      swiftSettings: strictSettings),
    .testTarget(
      name: "LedgerTests",
      dependencies: [
        "TreasuryFixtures", "Ledger", "Payouts", "Commissions", "Money", "Dates", "Rates", "Files", "Digest",
        .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ],
      swiftSettings: strictSettings),
    .testTarget(
      name: "PreviewTests",
      dependencies: [
        "TreasuryFixtures", "Preview", "Ledger", "Payouts", "Commissions", "Money", "Dates", "Rates", "Files",
      ],
      swiftSettings: strictSettings),
    .testTarget(
      name: "PreviewServerTests",
      dependencies: [
        "TreasuryFixtures", "PreviewServer", "Preview", "Ledger", "Payouts", "Commissions", "Money", "Dates", "Rates",
        "Files",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strictSettings),
    .testTarget(
      name: "SettleCLITests", dependencies: ["settle", "Files", "TestScratch"],
      swiftSettings: strictSettings),
  ],
  swiftLanguageModes: [.v6]
)

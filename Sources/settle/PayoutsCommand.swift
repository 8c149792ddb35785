import ArgumentParser
import Commissions
import Dates
import Files
import Money
import Payouts
import XMLSchema

#if canImport(Glibc)
  import Glibc
#endif

struct PayoutsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "payouts",
    abstract: "Make a period's payout batch: Payoneer, Wise and ISO 20022 pain.001 files, checked.",
    subcommands: [PayoutsBatchCommand.self, PayoutsValidateCommand.self],
    defaultSubcommand: PayoutsBatchCommand.self)
}

struct PayoutsBatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "batch",
    abstract: "Settle a period and write one payout per affiliate in its own currency (the default subcommand).")

  @Option(help: "The orders CSV (- reads standard input).")
  var orders: String
  @Option(help: "The affiliates CSV: where and how each affiliate is paid.")
  var affiliates: String
  @Option(help: "The payer file (YAML): name, iban, bic, country, currency.")
  var payer: String
  @Option(help: "The period, YYYY-MM.")
  var period: String
  @Option(help: "The program file (YAML); default: the built-in Alibaba.com program.")
  var program: String?
  @Option(help: "The day whose ECB rates convert into payout currencies (default: the period's last day).")
  var rateDate: String?
  @Option(help: "The day the bank executes the wires (default: the first weekday on or after the creation day).")
  var executionDate: String?
  @Option(help: "The batch's creation time, RFC 3339 (default: now); the same time gives the same bytes.")
  var createdAt: String?
  @Option(help: "Output directory.")
  var out: String = "out"
  @Option(help: "pain.001.001.09 (default) or pain.001.001.03.")
  var wireFormat: String = WireFormat.pain00100109.rawValue
  @OptionGroup var store: RatesDirectoryOption

  func run() throws {
    try reportingErrors {
      guard let format = WireFormat(rawValue: wireFormat) else {
        throw ValidationError(
          "--wire-format \"\(wireFormat)\" is not one of \(WireFormat.allCases.map(\.rawValue).joined(separator: ", "))"
        )
      }
      let inputs = try SettlementInputs(
        period: period, programPath: program, currency: nil, ratesDirectory: store.resolved)
      let payerAccount = try Payer.load(path: payer)
      let directory = try AffiliatesFile.load(path: affiliates, settlementCurrency: inputs.program.settlementCurrency)
      var options = PayoutBatch.Options.defaults(
        for: inputs.period, createdAt: try createdAt.map { try Timestamp($0) } ?? PayoutsBatchCommand.now(),
        wireFormat: format)
      if let rateDate { options.rateDay = try Day(rateDate) }
      if let executionDate { options.executionDay = try Day(executionDate) }
      let summary = try inputs.settle(orders: orders, out: out, strict: false)
      CommissionsCommand.printSummary(summary, out: out)
      let batch = try PayoutBatch(
        settlement: summary, affiliates: directory, payer: payerAccount, rates: inputs.rates, options: options)
      let files = try PayoutFiles(
        batch: batch,
        sources: ManifestSources(
          ordersPath: orders, programSource: inputs.programSource, ratesSource: inputs.ratesSource,
          ratesSHA256: inputs.ratesSHA256, affiliates: directory, payerPath: payer))
      try files.write(to: out)
      printBatch(files)
    }
  }

  private func printBatch(_ files: PayoutFiles) {
    let batch = files.batch
    let ready = batch.payouts.filter(\.isReady).count
    let currency = batch.settlementCurrency
    print(
      "batch \(batch.id): \(batch.payouts.count) payouts — \(ready) ready (\(SettlementText.amount(batch.readyTotal, currency)) \(currency)), "
        + "\(batch.payouts.count - ready) held (\(SettlementText.amount(batch.heldTotal, currency)) \(currency))")
    for file in files.files {
      let sums = file.controlSums.sorted { $0.key < $1.key }.map {
        "\(SettlementText.amount($0.value, $0.key)) \($0.key)"
      }
      print(
        "wrote \(out)/\(file.name)"
          + (file.payments > 0 ? ": \(file.payments) payments, " + sums.joined(separator: ", ") : ""))
    }
    if ready < batch.payouts.count {
      printError(
        "settle: \(batch.payouts.count - ready) payouts held: see \(out)/payouts.csv (status held, with the reason)")
    }
  }

  /// The current time, to the second.
  static func now() -> Timestamp {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return Timestamp(secondsSinceEpoch: Int64(time.tv_sec))
  }
}

struct PayoutsValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Validate a wire file against an XSD with libxml2; print each error with its line.")

  @Argument(help: "The XML file to validate.")
  var file: String
  @Option(help: "The XML schema (XSD).")
  var schema: String

  func run() throws {
    try reportingErrors {
      let validator = try XMLSchema(path: schema)
      let document = try FileReader.readAll(path: file, bytesMax: XMLSchema.documentBytesMax)
      let violations = validator.validate(document, name: file)
      guard violations.isEmpty else {
        for violation in violations { printError("\(violation)") }
        printError("settle: \(file): \(violations.count) schema violations against \(schema)")
        throw ExitCode(1)
      }
      print("\(file): valid against \(schema)")
    }
  }
}

import ArgumentParser
import Commissions
import Dates
import Files
import Ledger
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

  @OptionGroup var settling: PeriodRunOptions
  @Option(help: "The affiliates CSV: where and how each affiliate is paid.")
  var affiliates: String
  @Option(help: "The payer file (YAML): name, iban, bic, country, currency.")
  var payer: String
  @Option(help: "The day whose ECB rates convert into payout currencies (default: the period's last day).")
  var rateDate: String?
  @Option(help: "The day the bank executes the wires (default: the first weekday on or after the creation day).")
  var executionDate: String?
  @Option(help: "The batch's creation time, RFC 3339 (default: now); the same time gives the same bytes.")
  var createdAt: String?
  @Option(help: "pain.001.001.09 (default) or pain.001.001.03.")
  var wireFormat: String = WireFormat.pain00100109.rawValue

  func run() throws {
    let (orders, out) = (settling.orders, settling.out)
    try reportingErrors {
      guard let format = WireFormat(rawValue: wireFormat) else {
        throw ValidationError(
          "--wire-format \"\(wireFormat)\" is not one of \(WireFormat.allCases.map(\.rawValue).joined(separator: ", "))"
        )
      }
      let rateDay = try rateDate.map { try Day($0) }
      let inputs = try SettlementInputs(
        period: settling.period, programPath: settling.program, currency: nil, ratesDirectory: settling.store.resolved,
        rateDay: rateDay)
      let payerAccount = try Payer.load(path: payer)
      let directory = try AffiliatesFile.load(path: affiliates, settlementCurrency: inputs.program.settlementCurrency)
      var options = PayoutBatch.Options.defaults(
        for: inputs.period, createdAt: try createdAt.map { try Timestamp($0) } ?? PayoutsBatchCommand.now(),
        wireFormat: format)
      if let rateDay { options.rateDay = rateDay }
      if let executionDate { options.executionDay = try Day(executionDate) }
      let ledger = try settling.ledger()
      // Held from before settling to the end, so two runs on one ledger never interleave.
      let lock = try ledger?.lockForRun(inputs.period)
      defer { withExtendedLifetime(lock) {} }
      let summary = try inputs.settle(orders: orders, out: out, strict: false)
      CommissionsCommand.printSummary(summary, out: out)
      func makeFiles(carried: [String: Int64], adjustments: [Adjustment]) throws -> PayoutFiles {
        let batch = try PayoutBatch(
          settlement: summary, affiliates: directory, payer: payerAccount, rates: inputs.rates, options: options,
          carried: carried, adjustments: adjustments)
        return try PayoutFiles(
          batch: batch,
          sources: ManifestSources(
            ordersPath: orders, programSource: inputs.programSource, ratesSource: inputs.ratesSource,
            ratesSHA256: inputs.ratesSHA256, affiliates: directory, payerPath: payer))
      }
      guard let ledger else {
        let files = try makeFiles(carried: [:], adjustments: [])
        try files.write(to: out)
        printBatch(files)
        printError("settle: no ledger: this batch is not recorded (--ledger FILE records it and carries balances)")
        return
      }
      let run = try ledger.payouts(
        period: inputs.period, settlementCurrency: inputs.program.settlementCurrency, auditPath: out + "/orders.csv",
        commissionLines: summary.lines, source: inputs.runSource(orders: orders), makeFiles: makeFiles)
      switch run {
      case .closed(let files):
        // The ledger committed first: a crash before the files are written leaves the period
        // closed, and running again writes its stored files.
        try files.write(to: out)
        printBatch(files)
        print("closed \(inputs.period) in \(ledger.path): batch \(files.batch.id) recorded")
      case .alreadyClosed(let batchID, let stored, let adjustments, let postedInto):
        try PayoutFiles.write(stored.map { ($0.name, $0.bytes) }, to: out)
        print("\(inputs.period) was closed by batch \(batchID): wrote its \(stored.count) files again as they were")
        if let postedInto {
          let total = adjustments.reduce(Int128(0)) { $0 + Int128($1.amount) }
          print(
            "posted \(adjustments.count == 1 ? "1 adjustment" : "\(adjustments.count) adjustments") (\(SettlementText.amount(total, inputs.program.settlementCurrency)) "
              + "\(inputs.program.settlementCurrency)) into \(postedInto), to be paid or clawed back with its batch")
        } else {
          print("no order changed: nothing posted")
        }
      }
    }
  }

  private func printBatch(_ files: PayoutFiles) {
    let out = settling.out
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

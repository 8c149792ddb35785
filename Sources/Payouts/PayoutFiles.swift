import CSV
import Digest
import Files
import JSONText
public import Money

/// A batch's files, made in memory and checked before any is written: Payoneer mass-payout
/// request bodies, Wise batch files, one ISO 20022 pain.001 wire file, `payouts.csv` and
/// `manifest.json`.
public struct PayoutFiles: Sendable {
  /// Payments per Payoneer mass-payout request.
  public static let payoneerPaymentsPerFileMax = 500
  /// Rows per Wise batch file (Wise takes up to 1,000 transfers per batch).
  public static let wiseRowsPerFileMax = 1_000

  /// One file and what it instructs.
  public struct File: Sendable {
    public let name: String
    public let bytes: [UInt8]
    /// Payments the file instructs (0 for the report and the manifest).
    public let payments: Int
    /// The sum of the instructed amounts per currency, in minor units.
    public let controlSums: [Currency: Int128]
    /// The references of the payouts the file instructs.
    public let references: [String]

    init(
      name: String, bytes: [UInt8], payments: Int = 0, controlSums: [Currency: Int128] = [:], references: [String] = []
    ) {
      self.name = name
      self.bytes = bytes
      self.payments = payments
      self.controlSums = controlSums
      self.references = references
    }
  }

  public let batch: PayoutBatch
  /// The payment files, then `payouts.csv`, then `manifest.json`.
  public let files: [File]

  /// Makes every file of the batch; `sources` name the inputs in the manifest.
  /// - Throws: `PayoutsError` when the wire file does not validate against its ISO 20022 schema
  ///   (a fault in Settle: nothing is written then).
  public init(batch: PayoutBatch, sources: ManifestSources) throws(PayoutsError) {
    self.batch = batch
    var paymentFiles: [File] = []
    var fileOfReference: [String: String] = [:]
    let ready = batch.payouts.filter(\.isReady)
    for (index, chunk) in PayoutFiles.chunks(
      ready.filter { $0.method == .payoneer }, PayoutFiles.payoneerPaymentsPerFileMax
    )
    .enumerated() {
      let name = "payoneer-\(PayoutFiles.sequence(index + 1)).json"
      paymentFiles.append(PayoutFiles.file(name, PayoneerFile.bytes(chunk, batch: batch), chunk))
      for payout in chunk { fileOfReference[payout.reference] = name }
    }
    for (index, chunk) in PayoutFiles.chunks(ready.filter { $0.method == .wise }, PayoutFiles.wiseRowsPerFileMax)
      .enumerated()
    {
      let name = "wise-\(PayoutFiles.sequence(index + 1)).csv"
      paymentFiles.append(PayoutFiles.file(name, WiseFile.bytes(chunk, batch: batch), chunk))
      for payout in chunk { fileOfReference[payout.reference] = name }
    }
    let wires = ready.filter { $0.method == .wire }
    if !wires.isEmpty {
      let name = "wire.xml"
      let document = Pain001Writer.document(WireFile.message(wires, batch: batch))
      let violations = Pain001Writer.validate(document, format: batch.options.wireFormat, name: name)
      guard violations.isEmpty else {
        throw PayoutsError(
          "\(name) does not validate against \(batch.options.wireFormat.rawValue): "
            + violations.prefix(3).map(\.description).joined(separator: "; "))
      }
      paymentFiles.append(PayoutFiles.file(name, document, wires))
      for payout in wires { fileOfReference[payout.reference] = name }
    }
    var report = [
      File(
        name: "payouts.csv", bytes: PayoutsReport.bytes(batch, fileOfReference: fileOfReference), payments: 0,
        controlSums: [:])
    ]
    if !batch.adjustments.isEmpty {
      report.append(File(name: "adjustments.csv", bytes: AdjustmentsReport.bytes(batch), payments: 0, controlSums: [:]))
    }
    let manifest = File(
      name: "manifest.json", bytes: Array(Manifest.json(batch, files: paymentFiles + report, sources: sources).utf8),
      payments: 0, controlSums: [:])
    files = paymentFiles + report + [manifest]
  }

  /// Writes every file into `directory`: all to temporary files first, then each renamed into
  /// place (the manifest last), then payment files of an earlier batch in the same directory
  /// that this batch does not have are removed, so no stale file can be uploaded by mistake.
  /// - Throws: `FileError`; before the first rename nothing in `directory` has changed.
  public func write(to directory: String) throws {
    try PayoutFiles.write(files.map { ($0.name, $0.bytes) }, to: directory)
  }

  /// Writes a batch's files as `write(to:)` does: files a ledger stored when the batch was made,
  /// written again byte for byte.
  public static func write(_ files: [(name: String, bytes: [UInt8])], to directory: String) throws {
    try FileReader.createDirectory(directory)
    var writers: [AtomicFileWriter] = []
    for file in files {
      let writer = try AtomicFileWriter(path: directory + "/" + file.name)
      try writer.write(file.bytes)
      writers.append(writer)
    }
    for writer in writers { try writer.commit() }
    let names = Set(files.map(\.name))
    for entry in try FileReader.names(inDirectory: directory)
    where PayoutFiles.isPaymentFileName(entry) && !names.contains(entry) {
      FileReader.remove(directory + "/" + entry)
    }
  }

  /// `payoneer-NNN.json`, `wise-NNN.csv`, `wire.xml`, or `adjustments.csv` (a batch without
  /// adjustments must not leave an earlier batch's list behind).
  static func isPaymentFileName(_ name: String) -> Bool {
    if name == "wire.xml" || name == "adjustments.csv" { return true }
    for (prefix, suffix) in [("payoneer-", ".json"), ("wise-", ".csv")]
    where name.hasPrefix(prefix) && name.hasSuffix(suffix) {
      let digits = name.dropFirst(prefix.count).dropLast(suffix.count)
      return digits.count == 3 && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
    return false
  }

  static func file(_ name: String, _ bytes: [UInt8], _ payouts: [Payout]) -> File {
    var sums: [Currency: Int128] = [:]
    for payout in payouts {
      guard let amount = payout.payoutAmount else {
        preconditionFailure("ready payout \(payout.reference) has an amount")
      }
      sums[amount.currency, default: 0] += Int128(amount.minorUnits)
    }
    return File(
      name: name, bytes: bytes, payments: payouts.count, controlSums: sums, references: payouts.map(\.reference))
  }

  static func chunks(_ payouts: [Payout], _ size: Int) -> [[Payout]] {
    stride(from: 0, to: payouts.count, by: size).map { Array(payouts[$0..<min($0 + size, payouts.count)]) }
  }

  /// 1 → `001`.
  static func sequence(_ number: Int) -> String {
    let digits = String(number)
    return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
  }

  /// An amount as exact decimal text with the currency's minor-unit digits.
  static func decimalText(_ minorUnits: Int128, _ currency: Currency) -> String {
    let magnitude = String(minorUnits.magnitude)
    let digits = Int(currency.minorUnits)
    var text = magnitude
    if digits > 0 {
      let padded = String(repeating: "0", count: max(0, digits + 1 - magnitude.count)) + magnitude
      text = padded.dropLast(digits) + "." + padded.suffix(digits)
    }
    return minorUnits < 0 ? "-" + text : text
  }

  /// `"<program> commission <period>"`: what each payment says to its recipient.
  static func description(_ batch: PayoutBatch) -> String {
    "\(batch.program.name) commission \(batch.period)"
  }
}

/// Payoneer v4 mass-payout request body: `{"Payments":[{client_reference_id, payee_id, amount,
/// currency, description}, …]}`, one payment per line. The amount is a JSON number written with
/// exactly the currency's minor-unit digits, from the integer minor units (never through binary
/// floating point).
enum PayoneerFile {
  static func bytes(_ payouts: [Payout], batch: PayoutBatch) -> [UInt8] {
    var lines: [String] = []
    for payout in payouts {
      guard case .payoneer(let payeeID)? = payout.affiliate?.destination, let amount = payout.payoutAmount else {
        preconditionFailure("payout \(payout.reference) in a Payoneer file is a ready Payoneer payout")
      }
      lines.append(
        JSON.object([
          ("client_reference_id", JSON.string(payout.reference)), ("payee_id", JSON.string(payeeID)),
          ("amount", amount.amountText), ("currency", JSON.string(amount.currency.code)),
          ("description", JSON.string(PayoutFiles.description(batch) + " " + payout.affiliateID)),
        ]))
    }
    return Array(("{\"Payments\": [\n  " + lines.joined(separator: ",\n  ") + "\n]}\n").utf8)
  }
}

/// Wise's batch-payment file for e-mail and bank-account recipients. The recipient receives
/// exactly the payout amount (`amountCurrency` is `target`); the source currency is the payer's
/// account currency. Fields that do not apply to a recipient are left empty.
enum WiseFile {
  static let header = [
    "name", "recipientEmail", "paymentReference", "receiverType", "amountCurrency", "amount", "sourceCurrency",
    "targetCurrency", "IBAN", "BIC", "accountNumber", "routingNumber", "addressCountryCode", "addressCity",
    "addressFirstLine", "addressPostCode",
  ]

  static func bytes(_ payouts: [Payout], batch: PayoutBatch) -> [UInt8] {
    var output: [UInt8] = []
    CSVEscaping.appendRecord(header, to: &output)
    for payout in payouts {
      guard let affiliate = payout.affiliate, case .wise(let recipient) = affiliate.destination,
        let amount = payout.payoutAmount
      else { preconditionFailure("payout \(payout.reference) in a Wise file is a ready Wise payout") }
      let address = recipient.address
      CSVEscaping.appendRecord(
        [
          affiliate.name, recipient.email?.text ?? "", payout.reference, "PRIVATE", "target", amount.amountText,
          batch.payer.currency.code, amount.currency.code, recipient.iban?.electronic ?? "", recipient.bic?.code ?? "",
          recipient.accountNumber ?? "", recipient.routingCode ?? "", address?.country.code ?? "", address?.city ?? "",
          address?.line ?? "", address?.postalCode ?? "",
        ], to: &output)
    }
    return output
  }
}

/// The pain.001 message for a batch's wires.
enum WireFile {
  static func message(_ payouts: [Payout], batch: PayoutBatch) -> WireMessage {
    let transfers = payouts.map { payout in
      guard let affiliate = payout.affiliate, case .wire(let creditor) = affiliate.destination,
        let amount = payout.payoutAmount
      else { preconditionFailure("payout \(payout.reference) in the wire file is a ready wire payout") }
      return WireTransfer(
        endToEndID: payout.reference, amount: amount, creditorName: affiliate.name, creditorAddress: creditor.address,
        creditorAccount: creditor.account, creditorAgent: creditor.bic,
        remittanceInformation: PayoutFiles.description(batch) + " " + payout.affiliateID)
    }
    return WireMessage(
      format: batch.options.wireFormat, messageID: batch.id, createdAt: batch.options.createdAt,
      executionDate: batch.options.executionDay, debtor: batch.payer.wireDebtor, transfers: transfers)
  }
}

/// `payouts.csv`: one row per affiliate with commission in the period, ready or held.
enum PayoutsReport {
  static let header = [
    "affiliate_id", "method", "settlement_amount", "settlement_currency", "payout_amount", "payout_currency",
    "rate_date",
    "status", "reason", "file", "reference",
  ]

  static func bytes(_ batch: PayoutBatch, fileOfReference: [String: String]) -> [UInt8] {
    var output: [UInt8] = []
    CSVEscaping.appendRecord(header, to: &output)
    for payout in batch.payouts {
      CSVEscaping.appendRecord(
        [
          CSVText.neutralised(payout.affiliateID), payout.method?.rawValue ?? "", payout.settlementAmount.amountText,
          payout.settlementAmount.currency.code, payout.payoutAmount?.amountText ?? "",
          payout.payoutAmount?.currency.code ?? "", payout.rateDay?.description ?? "",
          payout.isReady ? "ready" : "held",
          reason(payout), fileOfReference[payout.reference] ?? "", payout.reference,
        ], to: &output)
    }
    return output
  }

  /// The hold reason, then what the amount holds besides the period's commission.
  static func reason(_ payout: Payout) -> String {
    var parts: [String] = []
    if let hold = payout.holdReason { parts.append(hold.description) }
    let currency = payout.settlementAmount.currency
    if payout.owed.carried != 0 {
      parts.append("carried: \(Money(minorUnits: payout.owed.carried, currency: currency)) from earlier periods")
    }
    if !payout.owed.adjustments.isEmpty {
      let total = Money(minorUnits: payout.owed.adjustmentsTotal, currency: currency)
      let orders = payout.owed.adjustments.count == 1 ? "1 order" : "\(payout.owed.adjustments.count) orders"
      parts.append("adjustment: \(total) for \(orders) of earlier periods (see adjustments.csv)")
    }
    return parts.joined(separator: "; ")
  }
}

/// `adjustments.csv`: each difference in an earlier period paid or held with this batch, with the
/// original order, so a payout's amount can be traced to every order behind it.
enum AdjustmentsReport {
  static let header = [
    "affiliate_id", "reason", "original_period", "order_id", "line", "amount", "currency", "reference",
  ]

  static func bytes(_ batch: PayoutBatch) -> [UInt8] {
    var output: [UInt8] = []
    CSVEscaping.appendRecord(header, to: &output)
    let referenceOfAffiliate = Dictionary(uniqueKeysWithValues: batch.payouts.map { ($0.affiliateID, $0.reference) })
    for adjustment in batch.adjustments {
      CSVEscaping.appendRecord(
        [
          CSVText.neutralised(adjustment.affiliateID), "adjustment", adjustment.period.description,
          CSVText.neutralised(adjustment.orderID), String(adjustment.line),
          Money(minorUnits: adjustment.amount, currency: batch.settlementCurrency).amountText,
          batch.settlementCurrency.code, referenceOfAffiliate[adjustment.affiliateID] ?? "",
        ], to: &output)
    }
    return output
  }
}

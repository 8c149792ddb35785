import Digest
import JSONText
import Money

/// Where a batch's inputs came from, for the manifest.
public struct ManifestSources: Sendable {
  public var ordersPath: String
  public var programSource: String
  public var ratesSource: String
  public var ratesSHA256: String
  public var affiliates: AffiliatesFile
  public var payerPath: String

  public init(
    ordersPath: String, programSource: String, ratesSource: String, ratesSHA256: String, affiliates: AffiliatesFile,
    payerPath: String
  ) {
    self.ordersPath = ordersPath
    self.programSource = programSource
    self.ratesSource = ratesSource
    self.ratesSHA256 = ratesSHA256
    self.affiliates = affiliates
    self.payerPath = payerPath
  }
}

/// `manifest.json`: the batch, its inputs, every file with its SHA-256, payments and control sums
/// per currency, and totals that reconcile with the period's commission.
enum Manifest {
  static func json(_ batch: PayoutBatch, files: [PayoutFiles.File], sources: ManifestSources) -> String {
    let settlement = batch.settlementCurrency
    func amount(_ minorUnits: Int128, _ currency: Currency) -> String {
      JSON.string(PayoutFiles.decimalText(minorUnits, currency))
    }
    let fileObjects = files.map { file in
      let sums = file.controlSums.sorted { $0.key < $1.key }.map { ($0.key.code, amount($0.value, $0.key)) }
      return JSON.object([
        ("name", JSON.string(file.name)), ("sha256", JSON.string(SHA256.hexDigest(of: file.bytes))),
        ("payments", String(file.payments)), ("control_sums", JSON.object(sums)),
      ])
    }
    var heldByReason: [(String, String)] = []
    for code in HoldReason.Code.allCases {
      let count = batch.payouts.filter { $0.holdReason?.code == code }.count
      if count > 0 { heldByReason.append((code.rawValue, String(count))) }
    }
    let readyCount = batch.payouts.filter(\.isReady).count
    let totals = JSON.object([
      ("settlement_currency", JSON.string(settlement.code)),
      ("commission", amount(batch.totalCommission, settlement)),
      ("carried", amount(batch.carriedTotal, settlement)),
      ("adjustments", amount(batch.adjustmentsTotal, settlement)),
      ("owed", amount(batch.owedTotal, settlement)),
      ("ready", amount(batch.readyTotal, settlement)),
      ("held", amount(batch.heldTotal, settlement)),
      ("reconciled", batch.readyTotal + batch.heldTotal == batch.owedTotal ? "true" : "false"),
      ("ready_payouts", String(readyCount)),
      ("held_payouts", String(batch.payouts.count - readyCount)),
      ("held_by_reason", JSON.object(heldByReason)),
    ])
    let rejectedRows = sources.affiliates.rejectedRows.map {
      JSON.object([("line", String($0.line)), ("reason", JSON.string($0.reason))])
    }
    let affiliatesFile = JSON.object([
      ("file", JSON.string(sources.affiliates.path)), ("rows", String(sources.affiliates.rowCount)),
      ("rejected_rows", "[" + rejectedRows.joined(separator: ", ") + "]"),
    ])
    return JSON.object(
      pretty: true,
      [
        ("batch_id", JSON.string(batch.id)),
        ("period", JSON.string(batch.period.description)),
        ("created_at", JSON.string(batch.options.createdAt.description)),
        ("execution_date", JSON.string(batch.options.executionDay.description)),
        ("rate_date", JSON.string(batch.options.rateDay.description)),
        ("wire_format", JSON.string(batch.options.wireFormat.rawValue)),
        (
          "program",
          JSON.object([
            ("name", JSON.string(batch.program.name)), ("file", JSON.string(sources.programSource)),
            ("sha256", JSON.string(batch.program.fileSHA256)),
          ])
        ),
        (
          "rates",
          JSON.object([("store", JSON.string(sources.ratesSource)), ("sha256", JSON.string(sources.ratesSHA256))])
        ),
        ("orders", JSON.string(sources.ordersPath)),
        (
          "payer",
          JSON.object([
            ("file", JSON.string(sources.payerPath)), ("name", JSON.string(batch.payer.name)),
            ("iban", JSON.string(batch.payer.iban.electronic)), ("currency", JSON.string(batch.payer.currency.code)),
          ])
        ),
        ("affiliates", affiliatesFile),
        ("files", "[\n    " + fileObjects.joined(separator: ",\n    ") + "\n  ]"),
        ("totals", totals),
      ]) + "\n"
  }
}

import Dates
public import XMLSchema

/// Writes ISO 20022 customer credit transfer initiations (pain.001) and checks them against the schema.
///
/// The document has a group header (`MsgId`, `CreDtTm`, `NbOfTxs`, `CtrlSum`, `InitgPty/Nm`) and one
/// `PmtInf` block per currency, ordered by currency code (see `PaymentBlock`), each a batch-booked
/// transfer (`PmtMtd` TRF, `BtchBookg` true) from the debtor's IBAN with its own `NbOfTxs` and `CtrlSum`.
/// A block whose transfers are all SEPA credit transfers carries service level `SEPA` and charge bearer
/// `SLEV`; otherwise the charge bearer is written per block when all transfers share it, else per transfer
/// (see `ChargeBearer`). Names, addresses and remittance text are transliterated to the SEPA character set
/// and cut to the schema's lengths (see `SEPAText`); identifiers (message ID, end-to-end IDs, account
/// numbers) are written unchanged, escaped, since changing them would change what they identify — the
/// schema check reports one that is too long.
///
/// The bytes are deterministic: the same message gives the same bytes (UTF-8, two-space indentation,
/// one element per line, a final line feed).
public enum Pain001Writer {
  /// The document as UTF-8 bytes.
  ///
  /// `CreDtTm` is the creation time in UTC to the second (`2026-11-02T09:00:00Z`; a fraction of a second is
  /// dropped). The writer does not refuse anything: a message without transfers, or with a negative amount,
  /// gives a document that `validate` reports.
  public static func document(_ message: WireMessage) -> [UInt8] {
    let blocks = PaymentBlock.blocks(of: message)
    var xml = XMLTextWriter(capacity: 1_024 + message.transfers.count * 1_400)
    xml.declaration()
    xml.open("Document", attribute: (name: "xmlns", value: message.format.namespace))
    xml.open("CstmrCdtTrfInitn")
    groupHeader(message, blocks: blocks, into: &xml)
    for block in blocks { paymentInformation(block, of: message, into: &xml) }
    xml.close("CstmrCdtTrfInitn")
    xml.close("Document")
    return xml.bytes
  }

  /// Validates bytes against the embedded XSD of `format` (libxml2, through `XMLSchema`) and returns every
  /// violation in document order; empty when the document is valid.
  public static func validate(_ document: [UInt8], format: WireFormat, name: String) -> [SchemaViolation] {
    switch format.schema {
    case .success(let schema):
      return schema.validate(document, name: name)
    case .failure(let error):
      return [SchemaViolation(documentName: name, line: 0, message: "the embedded schema does not compile: \(error)")]
    }
  }

  /// `GrpHdr`. Its totals are counted from the transfers and checked against the blocks' own.
  private static func groupHeader(_ message: WireMessage, blocks: [PaymentBlock], into xml: inout XMLTextWriter) {
    let controlSum = ControlSum(message.transfers.map(\.amount))
    var blocksSum = ControlSum(scale: controlSum.scale)
    for block in blocks { for transfer in block.transfers { blocksSum.add(transfer.amount) } }
    precondition(
      blocksSum == controlSum, "the payment blocks sum to \(blocksSum.text), the message to \(controlSum.text)")
    precondition(
      blocks.reduce(0) { $0 + $1.transfers.count } == message.transfers.count, "a transfer is in no block or in two")
    xml.open("GrpHdr")
    xml.element("MsgId", message.messageID)
    xml.element("CreDtTm", creationTime(message.createdAt))
    xml.element("NbOfTxs", String(message.transfers.count))
    xml.element("CtrlSum", controlSum.text)
    xml.open("InitgPty")
    xml.element("Nm", SEPAText.name(message.debtor.name, charactersMax: FieldLength.name))
    xml.close("InitgPty")
    xml.close("GrpHdr")
  }

  /// One `PmtInf` block and its transfers.
  private static func paymentInformation(_ block: PaymentBlock, of message: WireMessage, into xml: inout XMLTextWriter)
  {
    let sharedChargeBearer = block.sharedChargeBearer
    xml.open("PmtInf")
    xml.element("PmtInfId", block.identifier(messageID: message.messageID))
    xml.element("PmtMtd", "TRF")
    xml.element("BtchBookg", "true")
    xml.element("NbOfTxs", String(block.transfers.count))
    xml.element("CtrlSum", block.controlSum.text)
    if sharedChargeBearer == .followingServiceLevel {
      xml.open("PmtTpInf")
      xml.open("SvcLvl")
      xml.element("Cd", "SEPA")
      xml.close("SvcLvl")
      xml.close("PmtTpInf")
    }
    executionDate(block.executionDate, format: message.format, into: &xml)
    debtor(message.debtor, format: message.format, into: &xml)
    if let sharedChargeBearer { xml.element("ChrgBr", sharedChargeBearer.rawValue) }
    for (transfer, chargeBearer) in zip(block.transfers, block.chargeBearers) {
      creditTransfer(
        transfer, chargeBearer: sharedChargeBearer == nil ? chargeBearer : nil, format: message.format, into: &xml)
    }
    xml.close("PmtInf")
  }

  /// `ReqdExctnDt`: a choice of date or date-time in .09 (`<Dt>`), a plain date in .03.
  private static func executionDate(_ day: Day, format: WireFormat, into xml: inout XMLTextWriter) {
    switch format {
    case .pain00100109:
      xml.open("ReqdExctnDt")
      xml.element("Dt", day.description)
      xml.close("ReqdExctnDt")
    case .pain00100103:
      xml.element("ReqdExctnDt", day.description)
    }
  }

  /// The creation time in UTC, to the second.
  static func creationTime(_ timestamp: Timestamp) -> String {
    let nanoseconds = timestamp.nanosecondsSinceEpoch
    let perSecond = Timestamp.nanosecondsPerSecond
    let seconds = nanoseconds >= 0 ? nanoseconds / perSecond : (nanoseconds - perSecond + 1) / perSecond
    return Timestamp(secondsSinceEpoch: seconds).description
  }
}

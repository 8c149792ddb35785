import Dates
import Digest
import Money

/// The transfers of one `PmtInf` block: one currency and one requested execution date.
struct PaymentBlock {
  let currency: Currency
  let executionDate: Day
  /// In the order the message gave them.
  let transfers: [WireTransfer]
  /// Each transfer's charge bearer, in the same order.
  let chargeBearers: [ChargeBearer]

  /// The charge bearer all transfers share, written once for the block; nil when they differ, and each
  /// transfer then carries its own.
  var sharedChargeBearer: ChargeBearer? {
    guard let first = chargeBearers.first, chargeBearers.allSatisfy({ $0 == first }) else { return nil }
    return first
  }

  var controlSum: ControlSum { ControlSum(transfers.map(\.amount)) }

  /// The message's transfers grouped by currency (a message has one execution date), blocks ordered by
  /// currency code and transfers within a block in the message's order.
  static func blocks(of message: WireMessage) -> [PaymentBlock] {
    var transfersByCurrency: [Currency: [WireTransfer]] = [:]
    for transfer in message.transfers { transfersByCurrency[transfer.amount.currency, default: []].append(transfer) }
    return transfersByCurrency.keys.sorted().map { currency in
      let transfers = transfersByCurrency[currency] ?? []
      return PaymentBlock(
        currency: currency, executionDate: message.executionDate, transfers: transfers,
        chargeBearers: transfers.map { ChargeBearer.of($0, from: message.debtor) })
    }
  }

  /// Longest `PmtInfId` (ISO 20022 `Max35Text`).
  static let identifierCharactersMax = 35
  /// Message ID characters kept when the ID with its currency would be too long.
  static let shortenedMessageIDCharactersMax = 22

  /// `PmtInfId`: the message ID and the currency code, `"PAY-2026-10-EUR"`. When that would pass 35
  /// characters, the first 22 characters of the message ID, the first 8 hex digits of its SHA-256 and the
  /// code, so two long message IDs that share a prefix still give different identifiers.
  func identifier(messageID: String) -> String {
    let plain = "\(messageID)-\(currency.code)"
    if plain.unicodeScalars.count <= PaymentBlock.identifierCharactersMax { return plain }
    let prefix = String(
      String.UnicodeScalarView(messageID.unicodeScalars.prefix(PaymentBlock.shortenedMessageIDCharactersMax)))
    let digest = SHA256.hexDigest(of: Array(messageID.utf8)).prefix(8)
    return "\(prefix)-\(digest)-\(currency.code)"
  }
}

import JSONText
import Money

extension EarningsReport {
  /// The earnings API's body: one JSON object, keys in a fixed order, no trailing newline.
  ///
  /// Amounts are strings with exactly their currency's minor-unit digits (`"19465"`, `"1234.50"`,
  /// `"-0.125"`), never JSON numbers, so no client parses them into a float; rates are the ECB's
  /// exact text. `settlement` amounts are in `settlement_currency`, `display` ones in `currency`;
  /// a payout's `paid` names its own currency.
  public static func json(_ earnings: Earnings) -> String { String(decoding: jsonBytes(earnings), as: UTF8.self) }

  /// `json(_:)` as UTF-8 bytes, written straight into one buffer: what the server sends.
  public static func jsonBytes(_ earnings: Earnings) -> [UInt8] {
    var writer = EarningsJSONWriter(capacityBytes: 512 + 160 * earnings.periods.count)
    writer.write(earnings)
    return writer.json.bytes
  }
}

/// Writes `Earnings` with a `JSONWriter`, decimals and codes straight into its bytes.
struct EarningsJSONWriter {
  var json: JSONWriter

  init(capacityBytes: Int) { json = JSONWriter(capacityBytes: capacityBytes) }

  mutating func write(_ earnings: Earnings) {
    json.beginObject()
    member("affiliate_id", earnings.affiliateID)
    member("currency", earnings.displayCurrency)
    member("settlement_currency", earnings.settlementCurrency)
    json.key("rate")
    json.beginObject()
    member("publication_day", earnings.publicationDay.description)
    member("settlement_per_eur", earnings.rateFrom)
    member("display_per_eur", earnings.rateTo)
    json.endObject()
    json.key("periods")
    json.beginArray()
    for period in earnings.periods { write(period) }
    json.endArray()
    member("balance", earnings.balance)
    json.endObject()
  }

  mutating func write(_ period: PeriodEarnings) {
    json.beginObject()
    member("period", period.period.description)
    member("status", period.status.rawValue)
    member("total", period.total)
    json.key("markets")
    json.beginArray()
    for market in period.markets {
      json.beginObject()
      member("market", market.market)
      json.key("orders")
      json.number(market.orders)
      member("commission", market.commission)
      json.endObject()
    }
    json.endArray()
    json.key("payouts")
    json.beginArray()
    for payout in period.payouts { write(payout) }
    json.endArray()
    json.endObject()
  }

  mutating func write(_ payout: PayoutEarnings) {
    json.beginObject()
    member("reference", payout.reference)
    member("method", payout.method)
    member("state", payout.state)
    member("amount", payout.amount)
    json.key("paid")
    json.beginObject()
    member("amount", payout.paid.amount)
    member("currency", payout.paid.currency)
    json.endObject()
    json.endObject()
  }

  mutating func member(_ key: StaticString, _ amount: Amount) {
    json.key(key)
    json.beginObject()
    member("settlement", amount.settlement.amount)
    member("display", amount.display.amount)
    json.endObject()
  }

  mutating func member(_ key: StaticString, _ text: String) {
    json.key(key)
    json.string(text)
  }

  /// The decimal's exact text, as a JSON string.
  mutating func member(_ key: StaticString, _ decimal: FixedDecimal) {
    json.key(key)
    json.string { decimal.appendText(to: &$0) }
  }

  /// The currency's three-letter code, from its packed code without an array or a String.
  mutating func member(_ key: StaticString, _ currency: Currency) {
    json.key(key)
    let packed = currency.packedCode
    json.string { bytes in
      bytes.append(UInt8(truncatingIfNeeded: packed >> 16))
      bytes.append(UInt8(truncatingIfNeeded: packed >> 8))
      bytes.append(UInt8(truncatingIfNeeded: packed))
    }
  }
}

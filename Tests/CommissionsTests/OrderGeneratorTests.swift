@testable import Commissions
import Countries
import Dates
import Money
import Testing

/// The whole CSV a generator writes, through a buffer of `bufferBytes`.
private func csv(_ generator: OrderGenerator, bufferBytes: Int = OrderGenerator.bufferBytesDefault) -> [UInt8] {
  var output: [UInt8] = []
  generator.write(bufferBytes: bufferBytes) { output.append(contentsOf: $0) }
  return output
}

private func generator(count: Int, seed: UInt64 = 1, period: String = "2026-10") throws -> OrderGenerator {
  try OrderGenerator(count: count, seed: seed, period: try Month(period))
}

/// One parsed row, with the column names of the header.
private struct Row {
  let fields: [String]
  var orderID: String { fields[0] }
  var affiliateID: String { fields[1] }
  var clickedAt: String { fields[2] }
  var orderedAt: String { fields[3] }
  var status: String { fields[4] }
  var buyerCountry: String { fields[5] }
  var buyerType: String { fields[6] }
  var category: String { fields[7] }
  var amount: String { fields[8] }
  var currency: String { fields[9] }
}

private func rows(_ bytes: [UInt8]) -> (header: String, rows: [Row]) {
  var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
  #expect(lines.last == "", "the file ends with a line feed")
  lines.removeLast()
  let parsed = lines.dropFirst().map {
    Row(fields: $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
  }
  return (String(lines.first ?? ""), parsed)
}

/// Counts of each value.
private func tally(_ values: [String]) -> [String: Int] {
  values.reduce(into: [:]) { counts, value in counts[value, default: 0] += 1 }
}

private let ecbCurrencies: Set<String> = [
  "USD", "JPY", "CZK", "DKK", "GBP", "HUF", "PLN", "RON", "SEK", "CHF", "ISK", "NOK", "TRY", "AUD", "BRL", "CAD",
  "CNY", "HKD", "IDR", "ILS", "INR", "KRW", "MXN", "MYR", "NZD", "PHP", "SGD", "THB", "ZAR", "EUR",
]
private let coreCountries: Set<String> = ["US", "CA", "MX", "GB", "DE", "FR", "AU", "NL"]
private let excludedCountries: Set<String> = ["CN", "IN", "NG"]
private let allowedCategories: Set<String> = [
  "electronics", "apparel", "home", "machinery", "beauty", "packaging", "toys", "sports", "automotive", "health",
  "jewelry", "furniture", "lighting", "office-supplies",
]

@Suite("OrderGenerator")
struct OrderGeneratorTests {
  /// 10,000 rows for October 2026, seed 1: what the content tests look at.
  fileprivate static let sample: (header: String, rows: [Row]) = {
    do {
      return rows(csv(try generator(count: 10_000)))
    } catch {
      preconditionFailure("\(error)")
    }
  }()

  // MARK: Shape

  @Test("the header row is exact and every row has its ten fields")
  func header() {
    #expect(
      OrderGenerator.header
        == "order_id,affiliate_id,clicked_at,ordered_at,status,buyer_country,buyer_type,category,amount,currency")
    #expect(Self.sample.header == OrderGenerator.header)
    #expect(Self.sample.rows.count == 10_000)
    #expect(Self.sample.rows.allSatisfy { $0.fields.count == 10 })
  }

  @Test("zero orders is the header alone; one order is the header and one row")
  func smallCounts() throws {
    #expect(csv(try generator(count: 0)) == Array((OrderGenerator.header + "\n").utf8))
    let one = rows(csv(try generator(count: 1)))
    #expect(one.rows.count == 1)
    #expect(one.rows.first?.fields.count == 10)
  }

  @Test(
    "a count below 0 or above the limit is refused, naming it",
    arguments: [-1, Int.min, OrderGenerator.orderCountMax + 1, Int.max])
  func countOutOfRange(count: Int) throws {
    let error = #expect(throws: OrderGeneratorError.self) { try generator(count: count) }
    #expect(error?.description == "count \(count) is not between 0 and 1000000000")
  }

  @Test("the limit itself is accepted")
  func countLimit() throws {
    #expect(try generator(count: OrderGenerator.orderCountMax).count == 1_000_000_000)
  }

  // MARK: Determinism

  @Test("the same count, seed and period give the same bytes, whatever the buffer size")
  func deterministic() throws {
    let first = csv(try generator(count: 3000, seed: 42))
    #expect(first == csv(try generator(count: 3000, seed: 42)))
    #expect(first == csv(try generator(count: 3000, seed: 42), bufferBytes: 512))
    #expect(first == csv(try generator(count: 3000, seed: 42), bufferBytes: 4096 + 17))
  }

  @Test("another seed or another period gives other bytes")
  func seedAndPeriodMatter() throws {
    let first = csv(try generator(count: 100, seed: 42))
    #expect(first != csv(try generator(count: 100, seed: 43)))
    #expect(first != csv(try generator(count: 100, seed: 42, period: "2026-11")))
  }

  @Test("a longer run starts with the rows of a shorter one, and row(at:) is line i + 1")
  func prefixStable() throws {
    let short = csv(try generator(count: 500, seed: 7))
    let long = csv(try generator(count: 2000, seed: 7))
    #expect(Array(long.prefix(short.count)) == short)
    let lines = String(decoding: long, as: UTF8.self).split(separator: "\n")
    let generator = try generator(count: 2000, seed: 7)
    for index in [0, 1, 499, 500, 1999] {
      #expect(generator.row(at: index) == String(lines[index + 1]))
    }
  }

  // MARK: Identifiers

  @Test("order IDs are O and ten digits, all different")
  func orderIDs() {
    let ids = Self.sample.rows.map(\.orderID)
    #expect(
      ids.allSatisfy {
        $0.utf8.count == 11 && $0.first == "O" && $0.utf8.dropFirst().allSatisfy { (48...57).contains($0) }
      })
    #expect(Set(ids).count == ids.count)
  }

  @Test("order numbers are a permutation: the first 200,000 are distinct and below 10^10")
  func orderNumbersArePermutation() throws {
    let generator = try generator(count: 0, seed: 99)
    var seen = Set<UInt64>()
    for index in 0..<200_000 {
      let number = generator.orderNumber(index)
      #expect(number < OrderGenerator.orderNumberModulus)
      seen.insert(number)
    }
    #expect(seen.count == 200_000)
  }

  @Test("affiliates are AFF0001…AFF3000 and skewed: a few have many orders")
  func affiliates() {
    let ids = Self.sample.rows.map(\.affiliateID)
    let numbers = ids.compactMap { $0.hasPrefix("AFF") && $0.utf8.count == 7 ? Int($0.dropFirst(3)) : nil }
    #expect(numbers.count == ids.count)
    #expect(numbers.allSatisfy { (1...3000).contains($0) })
    let counts = tally(ids)
    #expect(counts.count > 1000)
    #expect((counts.values.max() ?? 0) >= 100)
    #expect(counts.values.filter { $0 == 1 }.count > 100)
  }

  // MARK: Columns

  @Test("every status appears, about 80% completed")
  func statuses() {
    let counts = tally(Self.sample.rows.map(\.status))
    #expect(Set(counts.keys) == ["completed", "refunded", "cancelled", "pending"])
    #expect((7700...8300).contains(counts["completed"] ?? 0))
  }

  @Test("buyers are new or returning")
  func buyerTypes() {
    #expect(Set(Self.sample.rows.map(\.buyerType)) == ["new", "returning"])
  }

  @Test("countries are assigned codes: every core market, plenty of others, and a few % excluded")
  func countries() {
    let countries = Self.sample.rows.map(\.buyerCountry)
    #expect(countries.allSatisfy { Country.isAssigned($0) })
    let counts = tally(countries)
    #expect(coreCountries.isSubset(of: counts.keys))
    #expect(excludedCountries.isSubset(of: counts.keys))
    let excluded = countries.filter { excludedCountries.contains($0) }.count
    #expect((200...400).contains(excluded))
    let others = Set(countries).subtracting(coreCountries).subtracting(excludedCountries)
    #expect(others.count > 200)
    #expect((6500...7500).contains(countries.filter { coreCountries.contains($0) }.count))
  }

  @Test("categories: every allowed one, and weapons and tobacco about 1% each")
  func categories() {
    let counts = tally(Self.sample.rows.map(\.category))
    #expect(Set(counts.keys) == allowedCategories.union(["weapons", "tobacco"]))
    #expect((50...150).contains(counts["weapons"] ?? 0))
    #expect((50...150).contains(counts["tobacco"] ?? 0))
  }

  @Test("currencies are exactly those the ECB publishes and EUR, zero-decimal ones included")
  func currencies() {
    #expect(Set(Self.sample.rows.map(\.currency)) == ecbCurrencies)
  }

  @Test("every amount parses in its currency with exactly its minor-unit digits")
  func amounts() throws {
    for row in Self.sample.rows {
      let currency = try Currency(code: row.currency)
      let money = try Money(parsing: row.amount, currency: currency)
      #expect(money.minorUnits > 0, "\(row.fields)")
      let fractionDigits = row.amount.split(separator: ".").dropFirst().first?.count ?? 0
      #expect(fractionDigits == Int(currency.minorUnits), "\(row.fields)")
    }
    let zeroDecimal = Self.sample.rows.filter { ["JPY", "KRW", "ISK"].contains($0.currency) }
    #expect(zeroDecimal.count > 100)
    #expect(zeroDecimal.allSatisfy { !$0.amount.contains(".") })
  }

  @Test("typical amounts are 5 to 5000 dollars; about 0.1% are 10^9 units or more")
  func amountSizes() throws {
    var huge = 0
    for row in Self.sample.rows where row.currency == "USD" {
      let money = try Money(parsing: row.amount, currency: try Currency(code: "USD"))
      if money.minorUnits >= 100_000_000_000 {
        huge += 1
      } else {
        #expect((500...500_000).contains(money.minorUnits), "\(row.fields)")
      }
    }
    let allHuge = Self.sample.rows.filter { row in
      (Int64(row.amount.split(separator: ".")[0]) ?? 0) >= 1_000_000_000
    }
    #expect((3...25).contains(allHuge.count))
    #expect(huge < 10)
  }

  // MARK: Times

  @Test("every timestamp is RFC 3339; about 1% use an offset, the rest Z")
  func timestampForms() throws {
    var offsetForms = 0
    for row in Self.sample.rows {
      for text in [row.clickedAt, row.orderedAt] {
        _ = try Timestamp(text)
        if text.hasSuffix("Z") {
          #expect(text.utf8.count == 20)
        } else {
          offsetForms += 1
          #expect(text.utf8.count == 25)
        }
      }
    }
    #expect((100...300).contains(offsetForms))
  }

  @Test("about 96% of orders are in the period; the rest in the months before and after")
  func orderedInPeriod() throws {
    let period = try Month("2026-10")
    var inPeriod = 0
    var before = 0
    var after = 0
    for row in Self.sample.rows {
      let orderedAt = try Timestamp(row.orderedAt)
      if period.instants.contains(orderedAt) {
        inPeriod += 1
      } else if orderedAt < period.instants.lowerBound {
        before += 1
        #expect(orderedAt.day >= (try Day("2026-09-01")))
      } else {
        after += 1
        #expect(orderedAt.day <= (try Day("2026-11-30")))
      }
    }
    #expect((9500...9700).contains(inPeriod))
    #expect(before > 100 && after > 100)
  }

  @Test("clicks: mostly within 30 days before, some on the edge, one second past it, and after the order")
  func clickWindow() throws {
    let window: Int64 = 30 * 86_400 * 1_000_000_000
    var kinds: [String: Int] = [:]
    for row in Self.sample.rows {
      let gap =
        (try Timestamp(row.orderedAt)).nanosecondsSinceEpoch - (try Timestamp(row.clickedAt)).nanosecondsSinceEpoch
      let kind =
        switch gap {
        case ..<0: "after order"
        case 0: "same second"
        case window: "window edge"
        case window + 1_000_000_000: "just expired"
        case (window + 1_000_000_000)...: "expired"
        default: "within"
        }
      kinds[kind, default: 0] += 1
    }
    #expect((9300...9700).contains(kinds["within"] ?? 0))
    for kind in ["after order", "same second", "window edge", "just expired", "expired"] {
      #expect((50...200).contains(kinds[kind] ?? 0), "\(kind)")
    }
  }

  @Test("the first and last periods allowed write timestamps that parse", arguments: ["1971-01", "2260-12"])
  func periodLimits(period: String) throws {
    for row in rows(csv(try generator(count: 2000, period: period))).rows {
      _ = try Timestamp(row.clickedAt)
      _ = try Timestamp(row.orderedAt)
    }
  }

  @Test("periods past the limits are refused, naming them", arguments: ["1970-12", "2261-01", "1677-10", "2262-03"])
  func periodOutOfRange(period: String) {
    let error = #expect(throws: OrderGeneratorError.self) { try generator(count: 1, period: period) }
    #expect(
      error?.description == "period \"\(period)\" is outside the years 1971–2260 that orders can be generated for")
  }

  @Test("a period that is not a month is refused with the CLI's message")
  func periodNotAMonth() {
    let error = #expect(throws: MonthError.self) { try generator(count: 1, period: "2026-13") }
    #expect(error?.description == "period \"2026-13\" is not a month in the form YYYY-MM")
  }
}

@Suite("OrderGenerator parts")
struct OrderGeneratorPartsTests {
  @Test("SplitMix64 gives the reference outputs for seed 1234567")
  func splitMix() {
    var random = SplitMix64(state: 1_234_567)
    let outputs = (0..<5).map { _ in random.next() }
    #expect(
      outputs == [
        6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423, 4_593_380_528_125_082_431,
        16_408_922_859_458_223_821,
      ])
  }

  @Test("SplitMix64 from another state gives other outputs")
  func splitMixStateMatters() {
    var first = SplitMix64(state: 1_234_567)
    var second = SplitMix64(state: 1_234_568)
    #expect(first.next() != second.next())
  }

  @Test("a weighted choice gives each option its share of slots and never an option of weight 0")
  func weightedChoice() {
    let choice = WeightedChoice(weights: [1, 0, 3])
    #expect(choice.optionCount == 3)
    #expect(choice.pick(0) == 0)
    #expect(choice.pick(UInt64.max / 4) == 0)
    #expect(choice.pick(UInt64.max / 4 + 1) == 2)
    #expect(choice.pick(UInt64.max) == 2)
    var random = SplitMix64(state: 5)
    let picks = (0..<10_000).map { _ in choice.pick(random.next()) }
    #expect(!picks.contains(1))
    #expect((2300...2700).contains(picks.filter { $0 == 0 }.count))
  }

  @Test(
    "digits: fixed width with leading zeros, and as many as needed",
    arguments: [
      (0, 1, "0"), (7, 3, "007"), (1_234_567_890, 10, "1234567890"), (UInt64.max, 20, "18446744073709551615"),
    ]
      as [(UInt64, Int, String)])
  func digits(value: UInt64, width: Int, text: String) {
    var bytes = [UInt8](repeating: 0, count: 64)
    let written = bytes.withUnsafeMutableBufferPointer { buffer -> String in
      guard let base = buffer.baseAddress else { return "" }
      var cursor = ByteCursor(base: base, capacity: buffer.count)
      cursor.appendDigits(value, width: width)
      cursor.append(UInt8(ascii: ","))
      cursor.appendDecimal(value)
      return String(decoding: UnsafeBufferPointer(start: base, count: cursor.count), as: UTF8.self)
    }
    let decimal = String(value)
    #expect(written == text + "," + decimal)
    #expect(ByteCursor.decimalDigitCount(value) == decimal.count)
  }

  @Test("timestamp text parses back to the same instant, in Z form and at every offset, inside and outside the span")
  func timestampText() throws {
    let span = (try Day("2026-08-01"))...(try Day("2026-12-31"))
    let text = TimestampText(days: span)
    var random = SplitMix64(state: 11)
    let start: Int64 = 1_780_000_000  // 2026-05-28, before the span
    let instants =
      [Int64(0), 1_790_000_000, 1_798_761_599, 1_798_761_600]
      + (0..<2000).map { _ in
        start + Int64(random.next(below: 40_000_000))
      }
    let offsets = [nil] + OrderMix().offsetsMinutes.map(Optional.some)
    for seconds in instants {
      for offset in offsets {
        let written = format(text, seconds, offset)
        let parsed = try Timestamp(written)
        #expect(parsed.nanosecondsSinceEpoch == seconds * 1_000_000_000, "\(written)")
        if offset == nil { #expect(written == parsed.description) }
      }
    }
    #expect(format(text, 1_791_521_924, 120) == "2026-10-09T06:58:44+02:00")
    #expect(format(text, 1_791_521_924, nil) == "2026-10-09T04:58:44Z")
    #expect(format(text, 1_791_521_924, -720) == "2026-10-08T16:58:44-12:00")
    #expect(format(text, 1_791_521_924, 345) != "2026-10-09T04:58:44+05:45")
  }

  private func format(_ text: TimestampText, _ seconds: Int64, _ offsetMinutes: Int?) -> String {
    var bytes = [UInt8](repeating: 0, count: 64)
    return bytes.withUnsafeMutableBufferPointer { buffer -> String in
      guard let base = buffer.baseAddress else { return "" }
      var cursor = ByteCursor(base: base, capacity: buffer.count)
      text.append(secondsSinceEpoch: seconds, offsetMinutes: offsetMinutes, to: &cursor)
      return String(decoding: UnsafeBufferPointer(start: base, count: cursor.count), as: UTF8.self)
    }
  }
}

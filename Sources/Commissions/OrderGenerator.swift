public import Dates

/// Writes synthetic orders as CSV: realistic enough to settle, deterministic, and fast.
///
/// Row `i` depends only on the seed, the period and `i`: the same count, seed and period give the
/// same bytes on every machine, and a longer run starts with the rows of a shorter one. Each row
/// draws from its own window of 64 values of one SplitMix64 sequence, so rows could be made in any
/// order or in parallel. What the rows hold, and how often, is in `OrderMix`; in short: about 96%
/// ordered inside the period, 80% completed, 3% from excluded countries, 2% in forbidden categories,
/// 1% of timestamps with a UTC offset, 0.1% huge amounts, and clicks on both sides of the 30-day window.
public struct OrderGenerator: Sendable {
  /// The header row, without its line feed.
  public static let header =
    "order_id,affiliate_id,clicked_at,ordered_at,status,buyer_country,buyer_type,category,amount,currency"
  /// The most orders one run writes (about 110 GB of CSV).
  public static let orderCountMax = 1_000_000_000
  /// The years a period may be in: every timestamp written then has four digits and lies after 1970.
  public static let periodYears: ClosedRange<Int> = 1971...2260
  /// The output buffer handed to the sink, in bytes, unless the caller chooses another size.
  public static let bufferBytesDefault = 4 << 20
  /// The room one row may take in the buffer, counting the slack of 16-byte token stores.
  static let rowBytesMax = 256

  public let count: Int
  public let seed: UInt64
  public let period: Month

  let mix = OrderMix()
  let timestamps: TimestampText
  /// The SplitMix64 state before row 0's window.
  let seedKey: UInt64
  /// The round keys of the order-number permutation, so that different seeds give different order IDs.
  let orderNumberKeys: [UInt64]
  /// Seconds since the epoch: the previous month's start, the period's start and end, the next month's end.
  let previousMonthStart: Int64
  let periodStart: Int64
  let periodEnd: Int64
  let nextMonthEnd: Int64

  /// - Throws: `OrderGeneratorError` when `count` is negative or over `orderCountMax`, or the period is
  ///   outside `periodYears`.
  public init(count: Int, seed: UInt64, period: Month) throws(OrderGeneratorError) {
    guard (0...OrderGenerator.orderCountMax).contains(count) else { throw OrderGeneratorError(.countOutOfRange(count)) }
    guard OrderGenerator.periodYears.contains(period.year) else { throw OrderGeneratorError(.periodOutOfRange(period)) }
    self.count = count
    self.seed = seed
    self.period = period
    self.seedKey = SplitMix64.mix(seed)
    var keys = SplitMix64(state: SplitMix64.mix(seed ^ 0x6F72_6465_7273))  // "orders"
    self.orderNumberKeys = (0..<4).map { _ in keys.next() }
    let firstDay = Int64(period.firstDay.daysSinceEpoch)
    let dayAfter = Int64(period.lastDay.daysSinceEpoch) + 1
    let previousMonthDays = Int64(
      Day.daysInMonth(
        year: period.month == 1 ? period.year - 1 : period.year,
        month: period.month == 1 ? 12 : period.month - 1))
    let nextMonthDays = Int64(
      Day.daysInMonth(
        year: period.month == 12 ? period.year + 1 : period.year,
        month: period.month == 12 ? 1 : period.month + 1))
    let secondsPerDay = OrderMix.secondsPerDay
    self.previousMonthStart = (firstDay - previousMonthDays) * secondsPerDay
    self.periodStart = firstDay * secondsPerDay
    self.periodEnd = dayAfter * secondsPerDay
    self.nextMonthEnd = (dayAfter + nextMonthDays) * secondsPerDay
    // Clicks reach 60 days before the previous month; offsets move a local date by a day either way.
    let spanFirst = Day(daysSinceEpoch: Int32(firstDay - previousMonthDays - 62))
    let spanLast = Day(daysSinceEpoch: Int32(dayAfter + nextMonthDays + 1))
    self.timestamps = TimestampText(days: spanFirst...spanLast)
  }

  /// Writes the header and all `count` rows, each ended by a line feed, handing `sink` full buffers
  /// of about `bufferBytes` in order. Nothing is allocated per row.
  public func write(
    bufferBytes: Int = OrderGenerator.bufferBytesDefault, to sink: (UnsafeRawBufferPointer) throws -> Void
  ) rethrows {
    precondition(bufferBytes >= 2 * OrderGenerator.rowBytesMax, "the buffer holds at least two rows")
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bufferBytes)
    defer { buffer.deallocate() }
    var cursor = ByteCursor(base: buffer, capacity: bufferBytes)
    for byte in OrderGenerator.header.utf8 { cursor.append(byte) }
    cursor.append(UInt8(ascii: "\n"))
    for index in 0..<count {
      if cursor.remaining < OrderGenerator.rowBytesMax {
        try sink(UnsafeRawBufferPointer(start: buffer, count: cursor.count))
        cursor.reset()
      }
      writeOrder(at: index, to: &cursor)
    }
    if cursor.count > 0 { try sink(UnsafeRawBufferPointer(start: buffer, count: cursor.count)) }
  }

  /// Row `index` (counting from 0, after the header) without its line feed.
  public func row(at index: Int) -> String {
    precondition(index >= 0 && index < OrderGenerator.orderCountMax, "row \(index) is not a row index")
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: OrderGenerator.rowBytesMax) { buffer in
      guard let base = buffer.baseAddress else { preconditionFailure("a temporary allocation has an address") }
      var cursor = ByteCursor(base: base, capacity: buffer.count)
      writeOrder(at: index, to: &cursor)
      return String(decoding: UnsafeBufferPointer(start: base, count: cursor.count - 1), as: UTF8.self)
    }
  }
}

/// A generator setting out of range, naming it.
public struct OrderGeneratorError: Error, Equatable, CustomStringConvertible {
  enum Code: Equatable {
    case countOutOfRange(Int)
    case periodOutOfRange(Month)
  }
  let code: Code

  init(_ code: Code) { self.code = code }

  public var description: String {
    switch code {
    case .countOutOfRange(let count):
      "count \(count) is not between 0 and \(OrderGenerator.orderCountMax)"
    case .periodOutOfRange(let period):
      "period \"\(period)\" is outside the years \(OrderGenerator.periodYears.lowerBound)"
        + "–\(OrderGenerator.periodYears.upperBound) that orders can be generated for"
    }
  }
}

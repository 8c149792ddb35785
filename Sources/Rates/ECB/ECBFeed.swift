import Dates
import Money

/// The ECB's euro foreign exchange reference rates feeds, in the ECB's own XML format.
///
/// The same reader takes the daily feed, the 90-day history and the full history, plain or
/// gzip-compressed: publications are `<Cube time='YYYY-MM-DD'>` elements holding
/// `<Cube currency='USD' rate='1.1172'/>` elements.
public enum ECBFeed {
  /// Largest XML document accepted, after decompression.
  public static let xmlBytesMax = 256 << 20
  /// Deepest element nesting accepted (the feeds nest three deep under the envelope).
  public static let depthMax = 16
  /// Bytes handed to the push parser at a time.
  static let feedChunkBytes = 1 << 16
  /// Most rates one publication may hold (the ECB publishes about 30).
  public static let ratesPerPublicationMax = 256

  /// Parses a feed into publications, in the order the feed lists them.
  ///
  /// Uses libxml2's SAX2 push parser (`xmlCreatePushParserCtxt`, `xmlParseChunk`) with network
  /// access off and no entity substitution; a document with a DTD is refused as soon as its
  /// DOCTYPE is seen, so no entity is expanded and no file or URL is read. gzip input (magic
  /// bytes 1f 8b) is inflated with zlib on the way in.
  /// - Parameter source: the file name or URL, for error messages.
  /// - Throws: `RatesError` naming the source, line, day and currency.
  public static func parse(_ bytes: [UInt8], source: String) throws(RatesError) -> [Publication] {
    let parser = try ECBPushParser(source: source)
    if bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B {
      var total = 0
      try GzipInflater.inflate(bytes, source: source) { (chunk: UnsafeBufferPointer<UInt8>) throws(RatesError) in
        total += chunk.count
        guard total <= xmlBytesMax else { throw RatesError(.tooLarge(bytesMax: xmlBytesMax), source: source) }
        try parser.feed(chunk, isLast: false)
      }
      try parser.feed(UnsafeBufferPointer(start: nil, count: 0), isLast: true)
    } else {
      guard bytes.count <= xmlBytesMax else { throw RatesError(.tooLarge(bytesMax: xmlBytesMax), source: source) }
      // Fed in chunks: libxml2's push parser works through a chunk that fits in cache faster than one 9 MB block.
      try bytes.withUnsafeBufferPointer { (buffer) throws(RatesError) in
        var offset = 0
        repeat {
          let end = min(offset + feedChunkBytes, buffer.count)
          try parser.feed(UnsafeBufferPointer(rebasing: buffer[offset..<end]), isLast: end == buffer.count)
          offset = end
        } while offset < buffer.count
      }
    }
    let publications = parser.publications
    guard !publications.isEmpty else { throw RatesError(.noPublications, source: source) }
    return publications
  }
}

/// What the SAX callbacks build while the parser runs.
///
/// A struct in memory that `ECBPushParser` allocates and frees, reached from C through a raw
/// pointer: the callbacks run about 230,000 times for the full history, and through a pointer
/// they mutate it without the runtime's exclusivity checks and reference counting that the
/// stored properties of a class cost on every access.
struct ECBParseState {
  let source: String
  var publications: [Publication] = []
  /// When set, only the publications of these days are kept (every one is still checked).
  var keptDays: ClosedRange<Day>?
  /// Whether any publication was read, kept or not.
  private(set) var sawPublication = false
  var currentDay: Day?
  /// The element depth of the open publication's `<Cube time=…>`, or -1 when none is open.
  var publicationDepth = -1
  var currentRates: [CurrencyRate] = []
  var depth = 0
  /// The first failure recorded; the parser is stopped once there is one.
  private(set) var failure: RatesError?
  /// Whether `failure` is set: checked after every element, where reading the optional error itself would copy it.
  private(set) var hasFailed = false
  /// The line the parser is on, read through the shim when an error is recorded.
  var lineReader: () -> Int = { 0 }
  /// Stops the parser after a failure, so nothing more is read.
  var stopParser: () -> Void = {}
  /// Which currencies the current publication already has: the stamp of the publication that last saw each code.
  private var seenStamps = [UInt32](repeating: 0, count: 26 * 26 * 26)
  private var stamp: UInt32 = 0
  private var seenDays: Set<Int32> = []
  /// The day of the publication read last, and whether every publication so far was older than the one before it.
  private(set) var lastDay: Day?
  private(set) var isNewestFirst = true

  init(source: String, keeping days: ClosedRange<Day>? = nil) {
    self.source = source
    keptDays = days
    publications.reserveCapacity(days == nil ? 8_192 : 64)
  }

  mutating func fail(_ kind: RatesError.Kind) {
    guard !hasFailed else { return }
    failure = RatesError(kind, source: source)
    hasFailed = true
  }

  mutating func beginPublication(dayText: UnsafeBufferPointer<UInt8>) {
    guard let day = Day.parse(dayText) else {
      fail(.badDay(line: lineReader(), text: String(decoding: dayText, as: UTF8.self)))
      return
    }
    guard seenDays.insert(day.daysSinceEpoch).inserted else {
      fail(.duplicateDay(day: day))
      return
    }
    guard currentDay == nil else {
      fail(.rateOutsideDay(line: lineReader()))
      return
    }
    if let lastDay, day > lastDay { isNewestFirst = false }
    lastDay = day
    currentDay = day
    publicationDepth = depth
    currentRates.removeAll(keepingCapacity: true)
    stamp &+= 1
  }

  mutating func addRate(currencyText: UnsafeBufferPointer<UInt8>, rateText: UnsafeBufferPointer<UInt8>) {
    guard let day = currentDay else {
      fail(.rateOutsideDay(line: lineReader()))
      return
    }
    guard let currency = Currency.lookup(currencyText) else {
      fail(.badCurrency(line: lineReader(), day: day, text: String(decoding: currencyText, as: UTF8.self)))
      return
    }
    guard case .success(let rate) = FixedDecimal.parse(rateText), rate.isPositive else {
      fail(
        .badRate(
          line: lineReader(), day: day, currency: currency.code, text: String(decoding: rateText, as: UTF8.self)))
      return
    }
    let slot = RateTable.slot(currency)
    guard seenStamps[slot] != stamp else {
      fail(.duplicateCurrency(day: day, currency: currency.code))
      return
    }
    seenStamps[slot] = stamp
    guard currentRates.count < ECBFeed.ratesPerPublicationMax else {
      fail(.tooManyRates(day: day, ratesMax: ECBFeed.ratesPerPublicationMax))
      return
    }
    currentRates.append(CurrencyRate(currency: currency, rate: rate))
  }

  /// Whether, in a document read newest first so far, the publications have passed the oldest of
  /// the kept days: none of those still to come is kept, when the rest is newest first too.
  var isPastKeptDays: Bool {
    guard isNewestFirst, let lastDay, let keptDays else { return false }
    return lastDay < keptDays.lowerBound
  }

  /// Every currency some publication listed, kept or not, by code.
  var listedCurrencies: [Currency] {
    Currency.all.filter { seenStamps[RateTable.slot($0)] != 0 }
  }

  mutating func endPublication() {
    guard let day = currentDay else { return }
    sawPublication = true
    if keptDays?.contains(day) ?? true { publications.append(Publication(day: day, rates: currentRates)) }
    currentDay = nil
    publicationDepth = -1
  }
}

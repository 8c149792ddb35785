public import Dates
import Files

/// The local rates store: a directory holding every publication Settle knows, in the ECB's format.
///
/// `eurofxref-hist.xml` holds the merged history (the repository ships the real ECB history, so
/// everything works offline); `fetch-state.tsv` remembers each feed URL's ETag and Last-Modified
/// for conditional GETs. Both are replaced atomically (temporary file, fsync, rename), so a crash
/// leaves either the old store or the new one.
public struct RatesStore: Sendable {
  public static let historyFileName = "eurofxref-hist.xml"
  public static let fetchStateFileName = "fetch-state.tsv"
  /// Largest store file read.
  public static let storeBytesMax = ECBFeed.xmlBytesMax
  /// Largest fetch-state file read.
  public static let fetchStateBytesMax = 1 << 20

  public let directory: String

  public init(directory: String) {
    self.directory = directory
  }

  public var historyPath: String { directory + "/" + RatesStore.historyFileName }
  var fetchStatePath: String { directory + "/" + RatesStore.fetchStateFileName }

  /// Reads and indexes the store.
  /// - Throws: `FileError` when the store cannot be read; `RatesError` when it is not a valid ECB history.
  public func load() throws -> RateTable {
    try RateTable(publications: loadPublications(), source: historyPath)
  }

  /// The store's publications that can answer for a day of `days` under the date rule (from
  /// `RateTable.lookbackDaysMax` days before the first), indexed with every currency the whole
  /// history lists: read and parsed in one pass, each piece also handed to `observe` (to hash the
  /// file in the same pass), so the whole history is never held. What a run over one period needs:
  /// the full history took 17 MB of memory where the window of a month takes well under one.
  /// - Throws: `FileError` when the store cannot be read; `RatesError` when it is not a valid ECB
  ///   history, checked whole (a window with no publication is not an error: no day in it has a rate).
  public func loadWindow(for days: ClosedRange<Day>, observe: (UnsafeBufferPointer<UInt8>) -> Void) throws
    -> RateTable
  {
    let window = days.lowerBound.advanced(by: -RateTable.lookbackDaysMax)...days.upperBound
    let parser = try ECBPushParser(source: historyPath, keeping: window)
    try FileReader.forEachPiece(path: historyPath, bytesMax: RatesStore.storeBytesMax) { piece in
      observe(piece)
      try parser.feed(piece, isLast: false)
    }
    try parser.feed(UnsafeBufferPointer(start: nil, count: 0), isLast: true)
    guard parser.sawPublication else { throw RatesError(.noPublications, source: historyPath) }
    return try RateTable(window: parser.publications, listing: parser.listedCurrencies, source: historyPath)
  }

  /// The stored publications, or none when the store file does not exist yet.
  public func loadPublications() throws -> [Publication] {
    guard FileReader.exists(historyPath) else { return [] }
    let bytes = try FileReader.readAll(path: historyPath, bytesMax: RatesStore.storeBytesMax)
    return try ECBFeed.parse(bytes, source: historyPath)
  }

  /// Replaces the store with these publications, atomically.
  public func save(_ publications: [Publication]) throws {
    try FileReader.createDirectory(directory)
    try AtomicFile.write(ECBFeed.document(of: publications), to: historyPath)
  }

  /// The merge of fetched publications into stored ones: days not stored are added; a stored day
  /// with different rates is replaced by what the ECB publishes now and counted as revised.
  public static func merge(stored: [Publication], fetched: [Publication]) -> MergeResult {
    var byDay: [Day: Publication] = [:]
    for publication in stored { byDay[publication.day] = publication }
    var added: [Day] = []
    var revised: [Day] = []
    for publication in fetched {
      switch byDay[publication.day] {
      case nil: added.append(publication.day)
      case let existing? where existing != publication: revised.append(publication.day)
      default: continue
      }
      byDay[publication.day] = publication
    }
    let merged = byDay.values.sorted { $0.day < $1.day }
    return MergeResult(publications: merged, addedDays: added.sorted(), revisedDays: revised.sorted())
  }
}

/// What a merge changed.
public struct MergeResult: Sendable {
  public let publications: [Publication]
  public let addedDays: [Day]
  public let revisedDays: [Day]
  public var changed: Bool { !addedDays.isEmpty || !revisedDays.isEmpty }
}

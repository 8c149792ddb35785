public import Dates
import Files

/// The local rates store: a directory holding every publication Settle knows, in the ECB's format.
///
/// `eurofxref-hist.xml` holds the merged history (the repository ships the real ECB history, so
/// everything works offline); `fetch-state.tsv` remembers each feed URL's ETag and Last-Modified
/// for conditional GETs; `history-check.tsv` what the last whole read of the history found (its
/// SHA-256, its currencies, its order), trusted while the history file is unchanged (see
/// `loadWindow(for:)`). All are replaced atomically (temporary file, fsync, rename), so a crash
/// leaves either the old store or the new one.
public struct RatesStore: Sendable {
  public static let historyFileName = "eurofxref-hist.xml"
  public static let fetchStateFileName = "fetch-state.tsv"
  /// Largest store file read.
  public static let storeBytesMax = ECBFeed.xmlBytesMax
  /// Largest fetch-state file read.
  public static let fetchStateBytesMax = 1 << 20

  public let directory: String
  /// The store's files, joined to `directory` once here: a read of the store then builds no path,
  /// so what it allocates does not depend on how long the directory's path is.
  public let historyPath: String
  let fetchStatePath: String
  let historyCheckPath: String

  public init(directory: String) {
    self.directory = directory
    historyPath = directory + "/" + RatesStore.historyFileName
    fetchStatePath = directory + "/" + RatesStore.fetchStateFileName
    historyCheckPath = directory + "/" + RatesStore.historyCheckFileName
  }

  /// Reads and indexes the store.
  /// - Throws: `FileError` when the store cannot be read; `RatesError` when it is not a valid ECB history.
  public func load() throws -> RateTable {
    try RateTable(publications: loadPublications(), source: historyPath)
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

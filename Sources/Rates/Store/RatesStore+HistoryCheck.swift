public import Dates
import Digest
import Files
import Money

/// A window of the rates store, with the SHA-256 of the whole store file it came from.
public struct StoreWindow: Sendable {
  /// The publications that can answer for the window's days, listing every currency of the whole history.
  public let table: RateTable
  /// SHA-256 of the whole store file, lowercase hex.
  public let sha256: String
  /// Whether the whole file was read, checked and hashed for this window; else its history check
  /// (`history-check.tsv`) vouched for it, and only the publications down to the window were read.
  public let readWhole: Bool
}

/// What reading the whole store file found, kept beside it in `history-check.tsv`, so that a later
/// run over the same file (by its `FileIdentity`) reads only the publications its window needs,
/// newest first, instead of checking and hashing 27 years of history again.
struct HistoryCheck: Equatable {
  var identity: FileIdentity
  var sha256: String
  /// Whether every publication is older than the one before it, as the ECB and `save` write them:
  /// only then may a read stop at the window's oldest day.
  var isNewestFirst: Bool
  /// Every currency the whole history has rates for.
  var listing: [Currency]

  static let comment = "# settle: what reading eurofxref-hist.xml whole found, trusted only while the file is unchanged"
  static let columns = "device\tinode\tbytes\tmodified_ns\tchanged_ns\tsha256\tnewest_first\tcurrencies"

  var text: String {
    let values = [
      String(identity.device), String(identity.inode), String(identity.bytes), String(identity.modifiedNanoseconds),
      String(identity.changedNanoseconds), sha256, isNewestFirst ? "yes" : "no",
      listing.map(\.code).joined(separator: " "),
    ]
    return [HistoryCheck.comment, HistoryCheck.columns, values.joined(separator: "\t")].joined(separator: "\n") + "\n"
  }

  /// The check `text` holds, or nil for anything else: a check that is not exactly as written is not trusted.
  init?(text: String) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard lines.count == 4, lines[0] == HistoryCheck.comment, lines[1] == HistoryCheck.columns, lines[3].isEmpty
    else { return nil }
    let values = lines[2].split(separator: "\t", omittingEmptySubsequences: false)
    guard values.count == 8,
      let device = UInt64(values[0]), let inode = UInt64(values[1]), let bytes = Int64(values[2]),
      let modified = Int64(values[3]), let changed = Int64(values[4]),
      values[5].count == 64, values[5].allSatisfy({ $0.isHexDigit && !$0.isUppercase }),
      values[6] == "yes" || values[6] == "no"
    else { return nil }
    var listing: [Currency] = []
    for code in values[7].split(separator: " ") {
      guard let currency = try? Currency(code: String(code)) else { return nil }
      listing.append(currency)
    }
    guard !listing.isEmpty else { return nil }
    identity = FileIdentity(
      device: device, inode: inode, bytes: bytes, modifiedNanoseconds: modified, changedNanoseconds: changed)
    sha256 = String(values[5])
    isNewestFirst = values[6] == "yes"
    self.listing = listing
  }

  init(identity: FileIdentity, sha256: String, isNewestFirst: Bool, listing: [Currency]) {
    self.identity = identity
    self.sha256 = sha256
    self.isNewestFirst = isNewestFirst
    self.listing = listing
  }
}

extension RatesStore {
  public static let historyCheckFileName = "history-check.tsv"
  /// Largest history check read, in bytes.
  static let historyCheckBytesMax = 4 << 10
  /// How long the store file must have been left alone before a check of it is written: a write in
  /// the same tick of the file system's clock as the last one would not change its identity.
  static let historyCheckSettledSecondsMin: Int64 = 2

  /// The store's publications that can answer for a day of `days` under the date rule (from
  /// `RateTable.lookbackDaysMax` days before the first), indexed with every currency the whole
  /// history lists, and the SHA-256 of the whole file. What a run over one period needs: the full
  /// history took 17 MB of memory where the window of a month takes well under one.
  ///
  /// The first time, the whole file is read in one pass: parsed, checked and hashed (on a thread
  /// of its own), and what that found is written to `history-check.tsv` beside it. While the file
  /// keeps the identity recorded there, later calls trust the check for the hash, the currency
  /// list and the file's validity, and parse only its newest publications, down to the window's
  /// oldest day: 2 ms instead of 40 for a recent month. A check that cannot be written (a
  /// read-only directory) is not an error.
  /// - Throws: `FileError` when the store cannot be read; `RatesError` when it is not a valid ECB
  ///   history, checked whole (a window with no publication is not an error: no day in it has a rate).
  public func loadWindow(for days: ClosedRange<Day>) throws -> StoreWindow {
    try loadWindow(for: days, settledSecondsMin: RatesStore.historyCheckSettledSecondsMin)
  }

  func loadWindow(for days: ClosedRange<Day>, settledSecondsMin: Int64) throws -> StoreWindow {
    let window = days.lowerBound.advanced(by: -RateTable.lookbackDaysMax)...days.upperBound
    if let check = historyCheck(), check.identity == FileIdentity(path: historyPath),
      let table = try loadCheckedWindow(window, check: check)
    {
      return StoreWindow(table: table, sha256: check.sha256, readWhole: false)
    }
    return try loadWholeWindow(window, settledSecondsMin: settledSecondsMin)
  }

  /// The check beside the store, or nil when there is none or it is not one.
  func historyCheck() -> HistoryCheck? {
    guard let bytes = try? FileReader.readAll(path: historyCheckPath, bytesMax: RatesStore.historyCheckBytesMax)
    else { return nil }
    return HistoryCheck(text: String(decoding: bytes, as: UTF8.self))
  }

  /// A parser of the store keeping the publications of `window`, fed the whole file, each piece
  /// also handed to `hasher` when there is one; or, with `stopsPastWindow`, only down to the
  /// window's oldest day in a file read newest first.
  private func parse(
    _ window: ClosedRange<Day>, hashingWith hasher: BackgroundSHA256?, stopsPastWindow: Bool
  ) throws -> ECBPushParser {
    let parser = try ECBPushParser(source: historyPath, keeping: window)
    var isWholeRead = true
    try FileReader.readPieces(path: historyPath, bytesMax: RatesStore.storeBytesMax) { piece in
      hasher?.update(UnsafeRawBufferPointer(piece))
      try parser.feed(piece, isLast: false)
      guard stopsPastWindow && parser.isPastKeptDays else { return true }
      isWholeRead = false
      return false
    }
    if isWholeRead { try parser.feed(UnsafeBufferPointer(start: nil, count: 0), isLast: true) }
    return parser
  }

  /// The window read under `check`, down to its oldest day when the file is newest first; nil when
  /// the file changed while it was read.
  private func loadCheckedWindow(_ window: ClosedRange<Day>, check: HistoryCheck) throws -> RateTable? {
    let parser = try parse(window, hashingWith: nil, stopsPastWindow: check.isNewestFirst)
    guard FileIdentity(path: historyPath) == check.identity else { return nil }
    return try RateTable(window: parser.publications, listing: check.listing, source: historyPath)
  }

  /// The window read from the whole file, parsed, checked and hashed in one pass; the check is
  /// written when the file was settled and did not change while it was read.
  private func loadWholeWindow(_ window: ClosedRange<Day>, settledSecondsMin: Int64) throws -> StoreWindow {
    let before = FileIdentity(path: historyPath)
    let hasher = BackgroundSHA256()
    let parser = try parse(window, hashingWith: hasher, stopsPastWindow: false)
    guard parser.sawPublication else { throw RatesError(.noPublications, source: historyPath) }
    let listing = parser.listedCurrencies
    let table = try RateTable(window: parser.publications, listing: listing, source: historyPath)
    let sha256 = SHA256.lowercaseHex(hasher.finalize())
    if let before, before.isSettled(secondsMin: settledSecondsMin), FileIdentity(path: historyPath) == before {
      let check = HistoryCheck(identity: before, sha256: sha256, isNewestFirst: parser.isNewestFirst, listing: listing)
      try? AtomicFile.write(Array(check.text.utf8), to: historyCheckPath)
    }
    return StoreWindow(table: table, sha256: sha256, readWhole: true)
  }
}

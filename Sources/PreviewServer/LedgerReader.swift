import Dispatch
import Ledger
import Preview
import Rates
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The ledger, read off the cooperative thread pool: SQLite blocks, and the pool has one thread
/// per core. GRDB's `DatabaseQueue` serialises every access to its connection, so sharing a
/// `Ledger` between tasks is safe even though the class does not say `Sendable`; one connection
/// per core (`connectionsMax` at most) lets reads run side by side.
///
/// The connections are read-only ones (`Ledger(readingFrom:)`), which keep their prepared
/// statements from one read to the next; `ledger`, which opened and migrated the file, is read
/// through only when none of them opens.
final class LedgerReader: @unchecked Sendable {
  /// Connections to the ledger file at most.
  static let connectionsMax = 4

  private let ledger: Ledger
  private let ledgers: [Ledger]
  private let next = Atomic<Int>(0)
  private let queue = DispatchQueue(label: "settle.preview.ledger", attributes: .concurrent)

  /// Reads through connections of its own to `ledger`'s file.
  init(ledger: Ledger) {
    self.ledger = ledger
    let count = min(LedgerReader.connectionsMax, max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
    let readers = (0..<count).compactMap { _ in try? Ledger(readingFrom: ledger.path) }
    ledgers = readers.isEmpty ? [ledger] : readers
  }

  var path: String { ledger.path }

  func read<Value: Sendable>(_ body: @escaping @Sendable (Ledger) throws -> Value) async throws -> Value {
    let index = UInt(bitPattern: next.wrappingAdd(1, ordering: .relaxed).oldValue)
    let slot = Int(index % UInt(ledgers.count))
    return try await withCheckedThrowingContinuation { continuation in
      queue.async { continuation.resume(with: Result { try body(self.ledgers[slot]) }) }
    }
  }

  /// The ledger file and its journals' identity, size and modification time: any write changes it.
  func fileSignature() -> [Int64] {
    var signature: [Int64] = []
    for path in [ledger.path, ledger.path + "-wal", ledger.path + "-journal"] {
      var status = stat()
      if stat(path, &status) == 0 {
        signature += [
          Int64(status.st_ino), Int64(status.st_size), Int64(status.st_mtim.tv_sec), Int64(status.st_mtim.tv_nsec),
        ]
      } else {
        signature.append(-1)
      }
    }
    return signature
  }
}

/// Affiliates' earnings, computed by `EarningsReport` and kept until the ledger file changes.
///
/// The ledger changes when a month closes or a payment is confirmed, a few times a month; an
/// affiliate's page is read far more often. Every cached answer was computed from the file as it
/// is now: the file's signature is checked at most every `checkInterval`, and any change drops
/// the whole cache. Without the cache (`cachesAnswers` false) every answer is computed from the
/// ledger when it is asked for.
final class EarningsSource: Sendable {
  /// Cached answers at most; past it the cache starts again empty.
  static let entriesMax = 50_000

  struct Entry: Sendable {
    let earnings: Earnings
    /// `EarningsReport.json`, as UTF-8.
    let json: [UInt8]
  }

  private struct Cache {
    var entries: [String: Entry] = [:]
    var signature: [Int64] = []
    var checkedAt: ContinuousClock.Instant?
  }

  private let reader: LedgerReader
  private let rates: RateTable
  private let checkInterval: Duration
  private let cachesAnswers: Bool
  private let cache = Mutex(Cache())

  init(reader: LedgerReader, rates: RateTable, checkInterval: Duration, cachesAnswers: Bool) {
    self.reader = reader
    self.rates = rates
    self.checkInterval = checkInterval
    self.cachesAnswers = cachesAnswers
  }

  /// The affiliate's earnings shown in `currencyCode`.
  /// - Throws: `EarningsError` for an unknown affiliate or currency; `LedgerError` when the
  ///   ledger cannot be read.
  func earnings(affiliateID: String, currencyCode: String) async throws -> Entry {
    guard cachesAnswers else { return try await compute(affiliateID: affiliateID, currencyCode: currencyCode) }
    let key = affiliateID + "\u{0}" + currencyCode
    let now = ContinuousClock.now
    let cached: Entry? = cache.withLock { cache in
      if let checkedAt = cache.checkedAt, now - checkedAt < checkInterval { return cache.entries[key] }
      let signature = reader.fileSignature()
      if signature != cache.signature {
        cache.entries.removeAll(keepingCapacity: true)
        cache.signature = signature
      }
      cache.checkedAt = now
      return cache.entries[key]
    }
    if let cached { return cached }
    let entry = try await compute(affiliateID: affiliateID, currencyCode: currencyCode)
    cache.withLock { cache in
      if cache.entries.count >= EarningsSource.entriesMax { cache.entries.removeAll(keepingCapacity: true) }
      cache.entries[key] = entry
    }
    return entry
  }

  /// The earnings and their JSON, from the ledger as it is now.
  private func compute(affiliateID: String, currencyCode: String) async throws -> Entry {
    let rates = self.rates
    return try await reader.read { ledger in
      let earnings = try EarningsReport.earnings(
        affiliateID: affiliateID, currencyCode: currencyCode, ledger: ledger, rates: rates)
      return Entry(earnings: earnings, json: EarningsReport.jsonBytes(earnings))
    }
  }
}

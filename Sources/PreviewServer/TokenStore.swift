import Digest
import Ledger
import Logging
import Synchronization

/// The ledger's live tokens, as SHA-256 hashes, read again every `refreshInterval` (and after a
/// failed lookup, at most every `refreshOnFailureInterval`) so `settle tokens revoke` takes effect
/// without a restart.
final class TokenStore: Sendable {
  /// Longest token accepted, in bytes; Settle's are 68.
  static let tokenBytesMax = 256

  /// A token that matched: its scope and hash (sessions keep the hash to notice revocation).
  struct Match: Sendable {
    let scope: Ledger.TokenScope
    let sha256: [UInt8]
  }

  private struct Loaded {
    var records: [Ledger.TokenRecord] = []
    var loadedAt: ContinuousClock.Instant?
  }

  private let reader: LedgerReader
  private let refreshInterval: Duration
  private let refreshOnFailureInterval: Duration
  private let logger: Logger
  private let loaded = Mutex(Loaded())

  init(reader: LedgerReader, refreshInterval: Duration, refreshOnFailureInterval: Duration, logger: Logger) {
    self.reader = reader
    self.refreshInterval = refreshInterval
    self.refreshOnFailureInterval = refreshOnFailureInterval
    self.logger = logger
  }

  /// The scope of a presented token, or nil when no live token matches.
  func match(token: String) async throws -> Match? {
    guard !token.isEmpty, token.utf8.count <= TokenStore.tokenBytesMax else { return nil }
    let sha256 = SHA256.digest(of: Array(token.utf8))
    return try await match(sha256: sha256)
  }

  /// The live token with this hash, or nil: a session's token may have been revoked since.
  func match(sha256: [UInt8]) async throws -> Match? {
    let current = try await records(olderThan: refreshInterval)
    if let scope = TokenStore.constantTimeLookup(sha256, in: current.records) {
      return Match(scope: scope, sha256: sha256)
    }
    guard !current.reloaded else { return nil }
    let fresh = try await records(olderThan: refreshOnFailureInterval)
    guard fresh.reloaded else { return nil }
    return TokenStore.constantTimeLookup(sha256, in: fresh.records).map { Match(scope: $0, sha256: sha256) }
  }

  /// The records, read again first when they are older than `age`; whether they were.
  private func records(olderThan age: Duration) async throws -> (records: [Ledger.TokenRecord], reloaded: Bool) {
    let now = ContinuousClock.now
    let current: [Ledger.TokenRecord]? = loaded.withLock { loaded in
      if let loadedAt = loaded.loadedAt, now - loadedAt < age { return loaded.records }
      return nil
    }
    if let current { return (current, false) }
    let records = try await reader.read { ledger in try ledger.liveTokens() }
    loaded.withLock { loaded in
      loaded.records = records
      loaded.loadedAt = now
    }
    logger.debug("read the live tokens", metadata: ["tokens": "\(records.count)"])
    return (records, true)
  }

  /// Compares the hash with every record's, every byte, without stopping at a match or a
  /// difference: the time taken depends on the number of tokens, not on which bytes agree.
  static func constantTimeLookup(_ sha256: [UInt8], in records: [Ledger.TokenRecord]) -> Ledger.TokenScope? {
    var found: Ledger.TokenScope?
    for record in records {
      if constantTimeEqual(sha256, record.sha256) { found = record.scope }
    }
    return found
  }

  /// Equal when the same length and every byte agrees; reads every byte either way.
  static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
    guard left.count == right.count else { return false }
    var difference: UInt8 = 0
    for index in left.indices { difference |= left[index] ^ right[index] }
    return difference == 0
  }
}

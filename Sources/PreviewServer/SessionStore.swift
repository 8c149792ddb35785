import Digest
import Ledger
import Synchronization

/// Sign-in sessions, in memory: a random 256-bit id (the cookie) → the token's hash and scope,
/// until an expiry. The store keys sessions by the id's SHA-256, so a lookup's timing says nothing
/// about the ids it holds.
final class SessionStore: Sendable {
  /// Sessions at most; a new one past it drops the expired ones, then the one expiring soonest.
  static let sessionsMax = 10_000
  /// Bytes of randomness in a session id.
  static let idRandomBytes = 32

  struct Session: Sendable {
    let tokenSHA256: [UInt8]
    let expiresAt: ContinuousClock.Instant
  }

  private let lifetime: Duration
  private let sessions = Mutex([String: Session]())

  init(lifetime: Duration) { self.lifetime = lifetime }

  var lifetimeSeconds: Int64 { lifetime.components.seconds }

  /// A new session for the token with this hash; returns its id (64 lowercase hex digits).
  func create(tokenSHA256: [UInt8]) -> String {
    var generator = SystemRandomNumberGenerator()
    let random = (0..<SessionStore.idRandomBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let id = SHA256.lowercaseHex(random)
    let now = ContinuousClock.now
    let session = Session(tokenSHA256: tokenSHA256, expiresAt: now + lifetime)
    sessions.withLock { sessions in
      if sessions.count >= SessionStore.sessionsMax {
        sessions = sessions.filter { $0.value.expiresAt > now }
      }
      if sessions.count >= SessionStore.sessionsMax,
        let soonest = sessions.min(by: { $0.value.expiresAt < $1.value.expiresAt })
      {
        sessions[soonest.key] = nil
      }
      sessions[SessionStore.key(id)] = session
    }
    return id
  }

  /// The live session with this id, or nil (an expired one is dropped).
  func session(id: String) -> Session? {
    guard id.utf8.count == SessionStore.idRandomBytes * 2 else { return nil }
    let key = SessionStore.key(id)
    let now = ContinuousClock.now
    return sessions.withLock { sessions in
      guard let session = sessions[key] else { return nil }
      guard session.expiresAt > now else {
        sessions[key] = nil
        return nil
      }
      return session
    }
  }

  func remove(id: String) {
    let key = SessionStore.key(id)
    _ = sessions.withLock { sessions in sessions.removeValue(forKey: key) }
  }

  private static func key(_ id: String) -> String { SHA256.hexDigest(of: Array(id.utf8)) }
}

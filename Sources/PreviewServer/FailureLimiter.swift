import Synchronization

/// Failed sign-ins and bearer checks per client: past `countMax` failures within `window`, the
/// client is told to come back later (429 with `Retry-After`) before its credentials are looked at.
final class FailureLimiter: Sendable {
  /// Clients tracked at most; past it the counts start again empty.
  static let clientsMax = 10_000

  private let countMax: Int
  private let window: Duration
  private let failures = Mutex([String: [ContinuousClock.Instant]]())

  init(countMax: Int, window: Duration) {
    precondition(countMax >= 1, "the failure limit must allow one failure")
    self.countMax = countMax
    self.window = window
  }

  /// Seconds the client must wait before trying again, or nil when it may try now.
  func retryAfterSeconds(client: String) -> Int64? {
    let now = ContinuousClock.now
    return failures.withLock { failures in
      guard var times = failures[client] else { return nil }
      times.removeAll { now - $0 >= window }
      failures[client] = times.isEmpty ? nil : times
      guard times.count >= countMax, let oldest = times.first else { return nil }
      let wait = window - (now - oldest)
      return max(1, wait.components.seconds + (wait.components.attoseconds > 0 ? 1 : 0))
    }
  }

  func recordFailure(client: String) {
    let now = ContinuousClock.now
    failures.withLock { failures in
      if failures.count >= FailureLimiter.clientsMax, failures[client] == nil { failures.removeAll() }
      var times = failures[client] ?? []
      times.removeAll { now - $0 >= window }
      times.append(now)
      if times.count > countMax { times.removeFirst(times.count - countMax) }
      failures[client] = times
    }
  }
}

/// Fetches an ECB feed and merges it into the store: the work behind `settle rates fetch`.
public struct RatesUpdater: Sendable {
  /// The ECB's published feeds.
  public enum Feed: String, CaseIterable, Sendable {
    case daily
    case ninetyDays = "90d"
    case history = "hist"

    /// The ECB's address for the feed.
    public var url: String {
      switch self {
      case .daily: "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
      case .ninetyDays: "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml"
      case .history: "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.xml"
      }
    }
  }

  /// What one fetch did.
  public enum Report: Sendable, Equatable {
    /// The server answered 304: the feed is unchanged; nothing was written.
    case notModified(url: String)
    /// The feed was fetched and parsed; the store was rewritten only if something changed.
    case fetched(url: String, publications: Int, added: Int, revised: Int)
  }

  public let store: RatesStore
  public let fetcher: FeedFetcher

  public init(store: RatesStore, fetcher: FeedFetcher) {
    self.store = store
    self.fetcher = fetcher
  }

  /// Fetches `url` (conditionally, with the validators last seen for it), parses it completely,
  /// and only then merges it into the store atomically. Any failure before the rename leaves the
  /// store byte-identical.
  /// - Throws: `FetchError`, `RatesError` (the body is not a valid feed), or `FileError`.
  public func update(from url: String) throws -> Report {
    let stored = try store.loadPublications()
    let validators = try store.validators(for: url)
    switch try fetcher.fetch(url: url, validators: validators) {
    case .notModified:
      return .notModified(url: url)
    case .fetched(let body, let newValidators):
      let fetched = try ECBFeed.parse(body, source: url)
      _ = try RateTable(publications: fetched, source: url)
      let merge = RatesStore.merge(stored: stored, fetched: fetched)
      if merge.changed {
        try store.save(merge.publications)
      }
      if newValidators.entityTag != nil || newValidators.lastModified != nil {
        try store.recordValidators(newValidators, for: url)
      }
      return .fetched(
        url: url, publications: fetched.count, added: merge.addedDays.count, revised: merge.revisedDays.count)
    }
  }
}

import ArgumentParser
import Rates

extension RatesCommand {
  struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Fetch an ECB feed with libcurl and merge it into the store, atomically.")

    @Option(help: "Which feed: daily, 90d or hist.")
    var feed: String = "daily"
    @Option(help: "Fetch from this address instead of the ECB's (http or https).")
    var url: String?
    @Option(name: .customLong("connect-timeout-ms"), help: "Connect timeout in milliseconds.")
    var connectTimeoutMilliseconds: Int = 10_000
    @Option(name: .customLong("timeout-ms"), help: "Total timeout per attempt in milliseconds.")
    var totalTimeoutMilliseconds: Int = 60_000
    @Option(name: .customLong("retries"), help: "Retries after the first attempt, for timeouts and 5xx only.")
    var retryCountMax: Int = 3
    @Option(name: .customLong("retry-backoff-ms"), help: "First retry delay in milliseconds, doubled each retry.")
    var retryBackoffMilliseconds: Int = 500
    @OptionGroup var store: RatesDirectoryOption

    func run() throws {
      try reportingErrors {
        guard let feed = RatesUpdater.Feed(rawValue: feed) else {
          throw ValidationError("--feed \"\(feed)\" is not one of daily, 90d, hist")
        }
        var limits = FetchLimits()
        limits.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        limits.totalTimeoutMilliseconds = totalTimeoutMilliseconds
        limits.retryCountMax = retryCountMax
        limits.retryBackoffMilliseconds = retryBackoffMilliseconds
        let updater = RatesUpdater(store: RatesStore(directory: store.resolved), fetcher: FeedFetcher(limits: limits))
        switch try updater.update(from: url ?? feed.url) {
        case .notModified(let url):
          print("\(url): not modified since the last fetch; the store is unchanged")
        case .fetched(let url, let publications, let added, let revised):
          print("\(url): \(publications) publications, \(added) new days, \(revised) revised days")
        }
      }
    }
  }
}

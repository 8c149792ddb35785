import CCurl

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The bounds of one `FeedFetcher.fetch`: time, size, redirects and retries.
public struct FetchLimits: Sendable {
  /// Per attempt: time to establish the connection (TLS included).
  public var connectTimeoutMilliseconds: Int = 10_000
  /// Per attempt: time for the whole transfer, redirects included.
  public var totalTimeoutMilliseconds: Int = 60_000
  /// Largest body accepted, counted after content decoding (gzip).
  public var bodyBytesMax: Int = 64 << 20
  /// Redirects followed before giving up; 0 refuses every redirect.
  public var redirectsMax: Int = 3
  /// Retries after the first attempt, for transient failures only (timeouts and 5xx statuses).
  public var retryCountMax: Int = 3
  /// Pause before the first retry; doubled before each further retry.
  public var retryBackoffMilliseconds: Int = 500

  public init() {}
}

/// What a server said about a body's version, sent back on the next fetch for a conditional GET.
public struct FetchValidators: Sendable, Equatable {
  /// The `ETag` header, verbatim (quotes and any `W/` included); sent as `If-None-Match`.
  public var entityTag: String?
  /// The `Last-Modified` header, verbatim; sent as `If-Modified-Since`.
  public var lastModified: String?

  public init(entityTag: String? = nil, lastModified: String? = nil) {
    self.entityTag = entityTag
    self.lastModified = lastModified
  }
}

/// The result of a fetch that succeeded.
public enum FetchOutcome: Sendable {
  /// 304: the server's copy still matches the validators sent.
  case notModified
  /// 200: the whole body (content-decoded) and the final response's validators.
  case fetched(body: [UInt8], validators: FetchValidators)
}

/// Fetches a feed over http or https with libcurl, with bounds on time, size, redirects and retries.
public struct FeedFetcher: Sendable {
  public let limits: FetchLimits

  public init(limits: FetchLimits = FetchLimits()) {
    precondition(limits.connectTimeoutMilliseconds > 0, "connectTimeoutMilliseconds must be positive")
    precondition(limits.totalTimeoutMilliseconds > 0, "totalTimeoutMilliseconds must be positive")
    precondition(limits.bodyBytesMax >= 0, "bodyBytesMax must not be negative")
    precondition(limits.redirectsMax >= 0, "redirectsMax must not be negative")
    precondition(limits.retryCountMax >= 0, "retryCountMax must not be negative")
    precondition(limits.retryBackoffMilliseconds >= 0, "retryBackoffMilliseconds must not be negative")
    self.limits = limits
  }

  /// Fetches `url` with a GET, conditionally when `validators` are given, retrying transient failures.
  ///
  /// Each attempt is a fresh libcurl easy handle with: `CURLOPT_PROTOCOLS_STR` and
  /// `CURLOPT_REDIR_PROTOCOLS_STR` `"http,https"`; `CURLOPT_SSL_VERIFYPEER` 1 and
  /// `CURLOPT_SSL_VERIFYHOST` 2; `CURLOPT_NOSIGNAL` 1; `CURLOPT_CONNECTTIMEOUT_MS` and
  /// `CURLOPT_TIMEOUT_MS` from `limits`; `CURLOPT_FOLLOWLOCATION` 1 with `CURLOPT_MAXREDIRS`
  /// `redirectsMax`; `CURLOPT_MAXFILESIZE_LARGE` `bodyBytesMax` (and the write callback stops the
  /// transfer once the decoded body passes it); `CURLOPT_ACCEPT_ENCODING` `""` (every encoding curl
  /// decodes, gzip included); `CURLOPT_USERAGENT` `"settle"`; `CURLOPT_HTTPHEADER` with
  /// `If-None-Match` and `If-Modified-Since` from `validators` (a value holding CR, LF or NUL is
  /// not sent). `ETag` and `Last-Modified` are taken from the final response only.
  ///
  /// Timeouts and 5xx statuses are retried up to `retryCountMax` times, after
  /// `retryBackoffMilliseconds`, doubled before each further retry; nothing else is retried.
  ///
  /// - Returns: `.notModified` for a 304, `.fetched` with the body and new validators for a 200.
  /// - Throws: `FetchError` with the attempts made and, as its kind: `unsupportedScheme` (before any
  ///   request, or for a redirect to another scheme), `httpStatus` (any other status), `timedOut`,
  ///   `truncatedBody` (fewer bytes than Content-Length), `bodyTooLarge`, `tooManyRedirects`, or
  ///   `transport` with the `CURLcode` and curl's message for any other libcurl failure.
  public func fetch(url: String, validators: FetchValidators? = nil) throws(FetchError) -> FetchOutcome {
    guard FeedFetcher.hasSupportedScheme(url) else {
      throw FetchError(.unsupportedScheme, url: url, attempts: 0)
    }
    var attempts = 0
    while true {
      attempts += 1
      switch attempt(url: url, validators: validators) {
      case .completed(let outcome):
        return outcome
      case .failed(let kind):
        let retriesMade = attempts - 1
        guard FeedFetcher.isTransient(kind), retriesMade < limits.retryCountMax else {
          throw FetchError(kind, url: url, attempts: attempts)
        }
        FeedFetcher.sleep(milliseconds: backoffMilliseconds(beforeRetry: retriesMade + 1))
      }
    }
  }

  /// How one attempt ended.
  private enum AttemptResult {
    case completed(FetchOutcome)
    case failed(FetchError.Kind)
  }

  /// One request, on its own easy handle.
  private func attempt(url: String, validators: FetchValidators?) -> AttemptResult {
    let transfer = CurlTransfer(bodyBytesMax: limits.bodyBytesMax, headerNames: ["etag", "last-modified"])
    let status: Int
    do throws(CurlEasy.Failure) {
      let easy = try CurlEasy()
      try configure(easy, url: url, validators: validators)
      try easy.perform(transfer)
      status = try easy.responseCode()
    } catch {
      return .failed(kind(of: error, transfer: transfer))
    }
    switch status {
    case 200:
      let validators = FetchValidators(
        entityTag: transfer.headers["etag"], lastModified: transfer.headers["last-modified"])
      return .completed(.fetched(body: transfer.body, validators: validators))
    case 304:
      return .completed(.notModified)
    default:
      return .failed(.httpStatus(status))
    }
  }

  private func configure(_ easy: CurlEasy, url: String, validators: FetchValidators?) throws(CurlEasy.Failure) {
    try easy.set(CURLOPT_URL, url)
    try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
    try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
    try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
    try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
    try easy.set(CURLOPT_NOSIGNAL, 1)
    try easy.set(CURLOPT_CONNECTTIMEOUT_MS, limits.connectTimeoutMilliseconds)
    try easy.set(CURLOPT_TIMEOUT_MS, limits.totalTimeoutMilliseconds)
    try easy.set(CURLOPT_FOLLOWLOCATION, 1)
    try easy.set(CURLOPT_MAXREDIRS, limits.redirectsMax)
    try easy.set(CURLOPT_MAXFILESIZE_LARGE, large: Int64(limits.bodyBytesMax))
    try easy.set(CURLOPT_ACCEPT_ENCODING, "")
    try easy.set(CURLOPT_USERAGENT, "settle")
    try easy.setRequestHeaders(FeedFetcher.conditionalHeaderLines(validators))
  }

  /// Maps a libcurl failure to what the caller can act on.
  private func kind(of failure: CurlEasy.Failure, transfer: CurlTransfer) -> FetchError.Kind {
    switch failure.code {
    case CURLE_UNSUPPORTED_PROTOCOL:
      .unsupportedScheme
    case CURLE_OPERATION_TIMEDOUT:
      .timedOut
    case CURLE_PARTIAL_FILE:
      .truncatedBody
    case CURLE_FILESIZE_EXCEEDED:
      .bodyTooLarge(bytesMax: limits.bodyBytesMax)
    case CURLE_WRITE_ERROR where transfer.bodyExceededMax:
      .bodyTooLarge(bytesMax: limits.bodyBytesMax)
    case CURLE_TOO_MANY_REDIRECTS:
      .tooManyRedirects(redirectsMax: limits.redirectsMax)
    default:
      .transport(code: Int(failure.code.rawValue), message: failure.message)
    }
  }

  /// The pause before retry number `retry` (1 for the first): the backoff doubled `retry - 1` times,
  /// saturating instead of overflowing.
  private func backoffMilliseconds(beforeRetry retry: Int) -> Int {
    let doublings = min(retry - 1, Int.bitWidth - 2)
    let (pause, overflow) = limits.retryBackoffMilliseconds.multipliedReportingOverflow(by: 1 << doublings)
    return overflow ? Int.max : pause
  }

  /// Only failures that a later attempt can plausibly avoid are retried.
  private static func isTransient(_ kind: FetchError.Kind) -> Bool {
    switch kind {
    case .timedOut: true
    case .httpStatus(let status): (500...599).contains(status)
    default: false
    }
  }

  /// Checked before curl sees the URL, so that curl's guessing of a scheme never applies.
  static func hasSupportedScheme(_ url: String) -> Bool {
    guard let separator = url.firstRange(of: "://") else { return false }
    let scheme = url[..<separator.lowerBound].lowercased()
    return scheme == "http" || scheme == "https"
  }

  /// `If-None-Match` and `If-Modified-Since` for the validators that can be sent as they are.
  static func conditionalHeaderLines(_ validators: FetchValidators?) -> [String] {
    guard let validators else { return [] }
    let sendable = { (value: String?) -> String? in
      guard let value, !value.isEmpty, !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
        return nil
      }
      return value
    }
    var lines: [String] = []
    if let entityTag = sendable(validators.entityTag) { lines.append("If-None-Match: \(entityTag)") }
    if let lastModified = sendable(validators.lastModified) { lines.append("If-Modified-Since: \(lastModified)") }
    return lines
  }

  /// Sleeps the calling thread with `nanosleep`, resuming after signals until the whole pause has passed.
  private static func sleep(milliseconds: Int) {
    guard milliseconds > 0 else { return }
    var pause = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
    var remaining = timespec()
    while nanosleep(&pause, &remaining) == -1 && errno == EINTR {
      pause = remaining
    }
  }
}

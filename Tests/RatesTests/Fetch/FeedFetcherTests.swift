import Rates
import Testing

/// FeedFetcher against a real HTTP server on 127.0.0.1. Timeouts and backoffs are small so the
/// suite runs in a few seconds; every success has a failing twin next to it.
@Suite struct FeedFetcherTests {
  /// Short bounds for tests: no retries unless asked, 1 ms backoff.
  static func limits(
    retryCountMax: Int = 0, retryBackoffMilliseconds: Int = 1, totalTimeoutMilliseconds: Int = 5_000,
    bodyBytesMax: Int = 1 << 20, redirectsMax: Int = 3
  ) -> FetchLimits {
    var limits = FetchLimits()
    limits.connectTimeoutMilliseconds = 2_000
    limits.totalTimeoutMilliseconds = totalTimeoutMilliseconds
    limits.bodyBytesMax = bodyBytesMax
    limits.redirectsMax = redirectsMax
    limits.retryCountMax = retryCountMax
    limits.retryBackoffMilliseconds = retryBackoffMilliseconds
    return limits
  }

  static let entityTag = "\"2026-10-30-v1\""
  static let lastModified = "Fri, 30 Oct 2026 15:00:00 GMT"
  static let feedHeaders: [(name: String, value: String)] = [
    (name: "ETag", value: entityTag), (name: "Last-Modified", value: lastModified),
  ]

  /// Runs `fetch` and returns its error, recording an issue when it does not throw.
  static func fetchError(
    _ fetcher: FeedFetcher, _ url: String, validators: FetchValidators? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> FetchError? {
    do {
      let outcome = try fetcher.fetch(url: url, validators: validators)
      Issue.record("expected a FetchError, got \(outcome)", sourceLocation: sourceLocation)
      return nil
    } catch {
      return error
    }
  }

  /// The body and validators of a `.fetched` outcome; records an issue for `.notModified`.
  static func fetched(
    _ outcome: FetchOutcome, sourceLocation: SourceLocation = #_sourceLocation
  ) -> (body: String, validators: FetchValidators)? {
    guard case .fetched(let body, let validators) = outcome else {
      Issue.record("expected .fetched, got \(outcome)", sourceLocation: sourceLocation)
      return nil
    }
    return (String(decoding: body, as: UTF8.self), validators)
  }

  // MARK: 200 and status errors

  @Test func fetchReturnsBodyAndBothValidators() throws {
    let server = try LoopbackHTTPServer { request in
      request.path == "/eurofxref-daily.xml"
        ? .init(headers: Self.feedHeaders, text: "<Cube/>") : .init(status: 404)
    }
    defer { server.stop() }
    let outcome = try FeedFetcher(limits: Self.limits()).fetch(url: server.url(path: "/eurofxref-daily.xml"))
    let result = try #require(Self.fetched(outcome))
    #expect(result.body == "<Cube/>")
    #expect(result.validators == FetchValidators(entityTag: Self.entityTag, lastModified: Self.lastModified))
    #expect(server.requestCount == 1)
  }

  @Test func fetchFailsOnNotFoundWithoutRetrying() throws {
    let server = try LoopbackHTTPServer { _ in .init(status: 404, text: "no such feed") }
    defer { server.stop() }
    let url = server.url(path: "/missing.xml")
    let error = try #require(Self.fetchError(FeedFetcher(limits: Self.limits(retryCountMax: 3)), url))
    #expect(error == FetchError(.httpStatus(404), url: url, attempts: 1))
    #expect(error.description == "fetching \(url) failed after 1 attempt: HTTP status 404")
    #expect(server.requestCount == 1)
  }

  @Test func fetchReturnsEmptyValidatorsWhenServerSendsNone() throws {
    let server = try LoopbackHTTPServer { _ in .init(text: "<Cube/>") }
    defer { server.stop() }
    let outcome = try FeedFetcher(limits: Self.limits()).fetch(url: server.url(path: "/x"))
    #expect(try #require(Self.fetched(outcome)).validators == FetchValidators())
  }

  // MARK: Conditional GET

  /// Answers 304 only when both validators come back exactly as they were handed out.
  static func conditionalServer() throws -> LoopbackHTTPServer {
    try LoopbackHTTPServer { request in
      if request.header("If-None-Match") == entityTag && request.header("If-Modified-Since") == lastModified {
        return .init(status: 304, headers: feedHeaders)
      }
      return .init(headers: feedHeaders, text: "<Cube time=\"2026-10-30\"/>")
    }
  }

  @Test func conditionalFetchWithCurrentValidatorsIsNotModified() throws {
    let server = try Self.conditionalServer()
    defer { server.stop() }
    let fetcher = FeedFetcher(limits: Self.limits())
    let url = server.url(path: "/feed.xml")
    let first = try #require(Self.fetched(try fetcher.fetch(url: url)))
    let second = try fetcher.fetch(url: url, validators: first.validators)
    guard case .notModified = second else {
      Issue.record("expected .notModified, got \(second)")
      return
    }
    #expect(server.requestCount == 2)
  }

  @Test func conditionalFetchWithStaleEntityTagFetchesTheBody() throws {
    let server = try Self.conditionalServer()
    defer { server.stop() }
    let stale = FetchValidators(entityTag: "\"2026-10-29-v1\"", lastModified: Self.lastModified)
    let outcome = try FeedFetcher(limits: Self.limits()).fetch(url: server.url(path: "/feed.xml"), validators: stale)
    let result = try #require(Self.fetched(outcome))
    #expect(result.body == "<Cube time=\"2026-10-30\"/>")
    #expect(result.validators == FetchValidators(entityTag: Self.entityTag, lastModified: Self.lastModified))
  }

  @Test func validatorsWithLineBreaksAreNotSent() throws {
    let server = try LoopbackHTTPServer { request in
      let injected = request.header("X-Injected") != nil || request.header("If-None-Match") != nil
      return .init(status: injected ? 400 : 200, text: "ok")
    }
    defer { server.stop() }
    let hostile = FetchValidators(entityTag: "\"v1\"\r\nX-Injected: 1", lastModified: nil)
    let outcome = try FeedFetcher(limits: Self.limits()).fetch(url: server.url(path: "/x"), validators: hostile)
    #expect(try #require(Self.fetched(outcome)).body == "ok")
  }

  // MARK: Retries

  @Test func fetchRetriesAServerErrorAndSucceeds() throws {
    let server = try LoopbackHTTPServer { request in
      request.number == 1 ? .init(status: 500, text: "busy") : .init(headers: Self.feedHeaders, text: "<Cube/>")
    }
    defer { server.stop() }
    let outcome = try FeedFetcher(limits: Self.limits(retryCountMax: 3)).fetch(url: server.url(path: "/feed.xml"))
    #expect(try #require(Self.fetched(outcome)).body == "<Cube/>")
    #expect(server.requestCount == 2)
  }

  @Test func fetchGivesUpAfterRetryCountMaxServerErrors() throws {
    let server = try LoopbackHTTPServer { _ in .init(status: 500, text: "busy") }
    defer { server.stop() }
    let url = server.url(path: "/feed.xml")
    let fetcher = FeedFetcher(limits: Self.limits(retryCountMax: 2, retryBackoffMilliseconds: 40))
    let clock = ContinuousClock()
    let start = clock.now
    let error = try #require(Self.fetchError(fetcher, url))
    let elapsed = start.duration(to: clock.now)
    #expect(error == FetchError(.httpStatus(500), url: url, attempts: 3))
    #expect(error.description == "fetching \(url) failed after 3 attempts: HTTP status 500")
    #expect(server.requestCount == 3)
    // 40 ms before the first retry, doubled to 80 ms before the second.
    #expect(elapsed >= .milliseconds(120))
  }

  @Test func fetchWithZeroRetriesMakesOneAttempt() throws {
    let server = try LoopbackHTTPServer { _ in .init(status: 503) }
    defer { server.stop() }
    let url = server.url(path: "/feed.xml")
    let error = try #require(Self.fetchError(FeedFetcher(limits: Self.limits(retryCountMax: 0)), url))
    #expect(error == FetchError(.httpStatus(503), url: url, attempts: 1))
    #expect(server.requestCount == 1)
  }

  // MARK: Timeouts

  @Test func fetchSucceedsWhenTheResponseArrivesWithinTheTimeout() throws {
    let server = try LoopbackHTTPServer { _ in .init(body: Array("<Cube/>".utf8), delayMilliseconds: 50) }
    defer { server.stop() }
    let outcome = try FeedFetcher(limits: Self.limits(totalTimeoutMilliseconds: 3_000))
      .fetch(url: server.url(path: "/slow.xml"))
    #expect(try #require(Self.fetched(outcome)).body == "<Cube/>")
  }

  @Test func fetchTimesOutOnAStalledResponseAndRetriesIt() throws {
    let server = try LoopbackHTTPServer { _ in .init(body: Array("late".utf8), delayMilliseconds: 10_000) }
    defer { server.stop() }
    let url = server.url(path: "/stalled.xml")
    let fetcher = FeedFetcher(limits: Self.limits(retryCountMax: 1, totalTimeoutMilliseconds: 300))
    let clock = ContinuousClock()
    let start = clock.now
    let error = try #require(Self.fetchError(fetcher, url))
    #expect(start.duration(to: clock.now) < .seconds(3))
    #expect(error == FetchError(.timedOut, url: url, attempts: 2))
    #expect(error.description == "fetching \(url) failed after 2 attempts: timed out")
    #expect(server.requestCount == 2)
  }

  // MARK: Body framing and size

  @Test func fetchReadsACloseDelimitedBodyWhole() throws {
    let server = try LoopbackHTTPServer { _ in .init(body: Array("<Cube/>".utf8), framing: .closeDelimited) }
    defer { server.stop() }
    let outcome = try FeedFetcher(limits: Self.limits()).fetch(url: server.url(path: "/x"))
    #expect(try #require(Self.fetched(outcome)).body == "<Cube/>")
  }

  @Test func fetchFailsOnABodyShorterThanItsContentLengthWithoutRetrying() throws {
    let server = try LoopbackHTTPServer { _ in
      .init(body: Array("<Cube".utf8), framing: .declaredContentLength(100))
    }
    defer { server.stop() }
    let url = server.url(path: "/cut.xml")
    let error = try #require(Self.fetchError(FeedFetcher(limits: Self.limits(retryCountMax: 3)), url))
    #expect(error == FetchError(.truncatedBody, url: url, attempts: 1))
    #expect(
      error.description == "fetching \(url) failed after 1 attempt: the connection closed before the whole body arrived"
    )
    #expect(server.requestCount == 1)
  }

  @Test func fetchAcceptsABodyOfExactlyBodyBytesMax() throws {
    let server = try LoopbackHTTPServer { _ in .init(body: [UInt8](repeating: 0x41, count: 64)) }
    defer { server.stop() }
    let outcome = try FeedFetcher(limits: Self.limits(bodyBytesMax: 64)).fetch(url: server.url(path: "/x"))
    #expect(try #require(Self.fetched(outcome)).body.utf8.count == 64)
  }

  @Test(arguments: [LoopbackHTTPServer.Response.Framing.contentLength, .closeDelimited])
  func fetchRefusesABodyOneBytePastBodyBytesMax(framing: LoopbackHTTPServer.Response.Framing) throws {
    let server = try LoopbackHTTPServer { _ in .init(body: [UInt8](repeating: 0x41, count: 65), framing: framing) }
    defer { server.stop() }
    let url = server.url(path: "/big.xml")
    let error = try #require(Self.fetchError(FeedFetcher(limits: Self.limits(retryCountMax: 3, bodyBytesMax: 64)), url))
    #expect(error == FetchError(.bodyTooLarge(bytesMax: 64), url: url, attempts: 1))
    #expect(error.description == "fetching \(url) failed after 1 attempt: the body is larger than 64 bytes")
    #expect(server.requestCount == 1)
  }

  /// `"EUR 1.0000\n"` 100 times (1,100 bytes), gzip-compressed to 40 bytes.
  static let gzippedRates: [UInt8] = [
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x73, 0x0d, 0x0d, 0x52, 0x30, 0xd4, 0x33, 0x00, 0x02,
    0x2e, 0xd7, 0x51, 0xe6, 0x28, 0x73, 0x94, 0x39, 0xca, 0x24, 0x97, 0x09, 0x00, 0xcc, 0x75, 0x5c, 0x10, 0x4c, 0x04,
    0x00, 0x00,
  ]

  static func gzipServer() throws -> LoopbackHTTPServer {
    try LoopbackHTTPServer { request in
      let acceptsGzip = request.header("Accept-Encoding")?.contains("gzip") ?? false
      return acceptsGzip
        ? .init(headers: [(name: "Content-Encoding", value: "gzip")], body: gzippedRates)
        : .init(status: 406, text: "gzip only")
    }
  }

  @Test func fetchDecodesAGzipContentEncoding() throws {
    let server = try Self.gzipServer()
    defer { server.stop() }
    let outcome = try FeedFetcher(limits: Self.limits(bodyBytesMax: 1_100)).fetch(url: server.url(path: "/x"))
    #expect(try #require(Self.fetched(outcome)).body == String(repeating: "EUR 1.0000\n", count: 100))
  }

  @Test func fetchRefusesAGzipBodyThatInflatesPastBodyBytesMax() throws {
    let server = try Self.gzipServer()
    defer { server.stop() }
    let url = server.url(path: "/bomb.xml")
    let error = try #require(Self.fetchError(FeedFetcher(limits: Self.limits(bodyBytesMax: 1_099)), url))
    #expect(error == FetchError(.bodyTooLarge(bytesMax: 1_099), url: url, attempts: 1))
  }

  // MARK: Redirects

  /// `/hop/N` redirects to `/hop/N-1` (carrying a stale ETag and Last-Modified); `/hop/0` is the feed
  /// with an ETag only; `/loop` redirects to itself.
  static func redirectServer() throws -> LoopbackHTTPServer {
    try LoopbackHTTPServer { request in
      if request.path == "/loop" {
        return .init(status: 302, headers: [(name: "Location", value: "/loop")])
      }
      guard request.path.hasPrefix("/hop/"), let hops = Int(request.path.dropFirst("/hop/".count)) else {
        return .init(status: 404)
      }
      if hops == 0 {
        return .init(headers: [(name: "ETag", value: "\"final\"")], text: "<Cube/>")
      }
      return .init(
        status: 302,
        headers: [
          (name: "Location", value: "/hop/\(hops - 1)"), (name: "ETag", value: "\"redirect\""),
          (name: "Last-Modified", value: lastModified),
        ])
    }
  }

  @Test func fetchFollowsRedirectsUpToRedirectsMaxAndKeepsOnlyTheFinalValidators() throws {
    let server = try Self.redirectServer()
    defer { server.stop() }
    let outcome = try FeedFetcher(limits: Self.limits(redirectsMax: 2)).fetch(url: server.url(path: "/hop/2"))
    let result = try #require(Self.fetched(outcome))
    #expect(result.body == "<Cube/>")
    #expect(result.validators == FetchValidators(entityTag: "\"final\"", lastModified: nil))
    #expect(server.requestCount == 3)
  }

  @Test func fetchFailsOnARedirectLoopWithoutRetrying() throws {
    let server = try Self.redirectServer()
    defer { server.stop() }
    let url = server.url(path: "/loop")
    let error = try #require(Self.fetchError(FeedFetcher(limits: Self.limits(retryCountMax: 3, redirectsMax: 2)), url))
    #expect(error == FetchError(.tooManyRedirects(redirectsMax: 2), url: url, attempts: 1))
    #expect(error.description == "fetching \(url) failed after 1 attempt: more than 2 redirects")
    // The first request and the two redirects followed.
    #expect(server.requestCount == 3)
  }

  @Test func fetchWithZeroRedirectsMaxRefusesTheFirstRedirect() throws {
    let server = try Self.redirectServer()
    defer { server.stop() }
    let url = server.url(path: "/hop/1")
    let error = try #require(Self.fetchError(FeedFetcher(limits: Self.limits(redirectsMax: 0)), url))
    #expect(error == FetchError(.tooManyRedirects(redirectsMax: 0), url: url, attempts: 1))
    #expect(server.requestCount == 1)
  }

  // MARK: Schemes and transport

  @Test func fetchAcceptsAnUppercaseHTTPScheme() throws {
    let server = try LoopbackHTTPServer { _ in .init(text: "<Cube/>") }
    defer { server.stop() }
    let url = "HTTP://" + server.url(path: "/x").dropFirst("http://".count)
    let outcome = try FeedFetcher(limits: Self.limits()).fetch(url: url)
    #expect(try #require(Self.fetched(outcome)).body == "<Cube/>")
  }

  @Test(arguments: ["ftp://127.0.0.1/eurofxref.xml", "file:///etc/passwd", "127.0.0.1/eurofxref.xml", ""])
  func fetchRefusesAnythingButHTTPAndHTTPSBeforeCallingCurl(url: String) throws {
    let error = try #require(Self.fetchError(FeedFetcher(limits: Self.limits()), url))
    #expect(error == FetchError(.unsupportedScheme, url: url, attempts: 0))
    #expect(error.description == "fetching \(url) refused: only http and https URLs are fetched")
  }

  @Test func fetchRefusesARedirectToAFileURL() throws {
    let server = try LoopbackHTTPServer { _ in
      .init(status: 302, headers: [(name: "Location", value: "file:///etc/passwd")])
    }
    defer { server.stop() }
    let url = server.url(path: "/x")
    let error = try #require(Self.fetchError(FeedFetcher(limits: Self.limits(retryCountMax: 3)), url))
    #expect(error == FetchError(.unsupportedScheme, url: url, attempts: 1))
    #expect(server.requestCount == 1)
  }

  @Test func fetchReportsARefusedConnectionAsATransportErrorWithoutRetrying() throws {
    let server = try LoopbackHTTPServer { _ in .init(text: "unreachable") }
    let url = server.url(path: "/x")
    server.stop()
    let error = try #require(Self.fetchError(FeedFetcher(limits: Self.limits(retryCountMax: 3)), url))
    #expect(error.attempts == 1)
    guard case .transport(let code, let message) = error.kind else {
      Issue.record("expected a transport error, got \(error)")
      return
    }
    #expect(code == 7)  // CURLE_COULDNT_CONNECT
    #expect(error.description == "fetching \(url) failed after 1 attempt: curl error 7: \(message)")
  }

  // MARK: Descriptions

  @Test(arguments: [
    (FetchError.Kind.httpStatus(502), "HTTP status 502"),
    (.timedOut, "timed out"),
    (.truncatedBody, "the connection closed before the whole body arrived"),
    (.bodyTooLarge(bytesMax: 67_108_864), "the body is larger than 67108864 bytes"),
    (.tooManyRedirects(redirectsMax: 3), "more than 3 redirects"),
    (
      .transport(code: 6, message: "Could not resolve host: www.ecb.europa.eu"),
      "curl error 6: Could not resolve host: www.ecb.europa.eu"
    ),
    (.unsupportedScheme, "only http and https URLs are fetched"),
  ])
  func descriptionNamesTheURLTheAttemptsAndTheReason(kind: FetchError.Kind, reason: String) {
    let url = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
    #expect(FetchError(kind, url: url, attempts: 4).description == "fetching \(url) failed after 4 attempts: \(reason)")
    #expect(FetchError(kind, url: url, attempts: 1).description == "fetching \(url) failed after 1 attempt: \(reason)")
  }
}

import Foundation
import Rates
import Testing

/// `settle rates fetch`'s work against a real HTTP server on 127.0.0.1: what changes in the store, and that a failure changes nothing.
@Suite struct RatesUpdaterTests {
  static let daily = (try? Fixtures.bytes(Fixtures.sharedECB + "/eurofxref-daily.xml")) ?? []
  static let ninetyDays = (try? Fixtures.bytes(Fixtures.sharedECB + "/eurofxref-hist-90d.xml")) ?? []

  /// A store holding the 90-day feed minus its newest day, with a fetch state for an unrelated URL.
  func makeStore() throws -> RatesStore {
    let store = RatesStore(directory: try Fixtures.temporaryDirectory())
    let publications = try ECBFeed.parse(RatesUpdaterTests.ninetyDays, source: "90d").filter {
      $0.day != (try? Fixtures.day("2026-10-30"))
    }
    try store.save(publications)
    try store.recordValidators(FetchValidators(entityTag: "\"other\""), for: "http://example.invalid/other.xml")
    return store
  }

  /// Every file in the store directory with its bytes.
  func snapshot(_ store: RatesStore) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: store.directory) {
      files[name] = try Data(contentsOf: URL(fileURLWithPath: store.directory + "/" + name))
    }
    return files
  }

  func updater(_ store: RatesStore, timeoutMilliseconds: Int = 5_000) -> RatesUpdater {
    var limits = FetchLimits()
    limits.totalTimeoutMilliseconds = timeoutMilliseconds
    limits.connectTimeoutMilliseconds = 2_000
    limits.retryCountMax = 2
    limits.retryBackoffMilliseconds = 10
    limits.bodyBytesMax = 1 << 20
    return RatesUpdater(store: store, fetcher: FeedFetcher(limits: limits))
  }

  @Test func aNewDayIsMergedAndAConditionalRefetchWritesNothing() throws {
    let server = try LoopbackHTTPServer { request in
      if request.header("If-None-Match") == "\"v1\"" { return .init(status: 304) }
      return .init(status: 200, headers: [("ETag", "\"v1\"")], body: RatesUpdaterTests.daily)
    }
    defer { server.stop() }
    let store = try makeStore()
    let url = server.url(path: "/eurofxref-daily.xml")
    let first = try updater(store).update(from: url)
    #expect(first == .fetched(url: url, publications: 1, added: 1, revised: 0))
    #expect(try store.load().lastDay == (try Fixtures.day("2026-10-30")))
    #expect(try store.validators(for: url) == FetchValidators(entityTag: "\"v1\""))
    #expect(try store.validators(for: "http://example.invalid/other.xml") == FetchValidators(entityTag: "\"other\""))

    let before = try snapshot(store)
    #expect(try updater(store).update(from: url) == .notModified(url: url))
    #expect(try snapshot(store) == before)
    #expect(server.requestCount == 2)
  }

  @Test func aServerErrorIsRetriedUntilTheFeedArrives() throws {
    let server = try LoopbackHTTPServer { request in
      request.number == 1 ? .init(status: 500) : .init(status: 200, body: RatesUpdaterTests.daily)
    }
    defer { server.stop() }
    let store = try makeStore()
    let url = server.url(path: "/daily")
    #expect(try updater(store).update(from: url) == .fetched(url: url, publications: 1, added: 1, revised: 0))
    #expect(server.requestCount == 2)
  }

  @Test func aRevisedDayReplacesTheStoredOne() throws {
    let revised = Array(
      String(decoding: RatesUpdaterTests.ninetyDays, as: UTF8.self)
        .replacingOccurrences(of: "<Cube currency='USD' rate='1.1172'/>", with: "<Cube currency='USD' rate='1.1173'/>")
        .utf8)
    let server = try LoopbackHTTPServer { _ in .init(status: 200, body: revised) }
    defer { server.stop() }
    let store = try makeStore()
    try store.save(try ECBFeed.parse(RatesUpdaterTests.ninetyDays, source: "90d"))
    let url = server.url(path: "/90d")
    #expect(try updater(store).update(from: url) == .fetched(url: url, publications: 64, added: 0, revised: 1))
    #expect(
      try store.load().rate(for: try Fixtures.currency("USD"), on: try Fixtures.day("2026-10-30")).rate.description
        == "1.1173")
  }

  enum Failure: String, CaseIterable, Sendable {
    case notFound, serverErrorForever, stalled, truncated, notXML, redirectLoop, oversized, hostileXML, badRate
  }

  @Test(arguments: Failure.allCases)
  func aFailedFetchLeavesTheStoreByteIdentical(failure: Failure) throws {
    let server = try LoopbackHTTPServer { request in
      switch failure {
      case .notFound: return .init(status: 404, text: "not here")
      case .serverErrorForever: return .init(status: 503)
      case .stalled: return .init(status: 200, body: RatesUpdaterTests.daily, delayMilliseconds: 1_500)
      case .truncated:
        return .init(
          status: 200, body: Array(RatesUpdaterTests.daily.prefix(300)), framing: .declaredContentLength(1_540))
      case .notXML: return .init(status: 200, text: "<html><body>maintenance</body>")
      case .redirectLoop: return .init(status: 302, headers: [("Location", "/loop\(request.number)")])
      case .oversized: return .init(status: 200, body: [UInt8](repeating: 0x20, count: 2 << 20))
      case .hostileXML:
        return .init(
          status: 200, text: "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>"
        )
      case .badRate:
        return .init(
          status: 200,
          text: "<Envelope><Cube><Cube time='2026-10-30'><Cube currency='USD' rate='1,1'/></Cube></Cube></Envelope>")
      }
    }
    defer { server.stop() }
    let store = try makeStore()
    let before = try snapshot(store)
    let url = server.url(path: "/feed")
    let error = #expect(throws: (any Error).self) { try updater(store, timeoutMilliseconds: 500).update(from: url) }
    #expect(try snapshot(store) == before, "store changed after \(failure)")
    let message = "\(error.map { "\($0)" } ?? "")"
    let expected: String =
      switch failure {
      case .notFound: "HTTP status 404"
      case .serverErrorForever: "HTTP status 503"
      case .stalled: "timed out"
      case .truncated: "before the whole body arrived"
      case .notXML: "not an ECB XML feed"
      case .redirectLoop: "redirect"
      case .oversized: "larger than"
      case .hostileXML: "declares a DTD"
      case .badRate: "rate \"1,1\" is not a positive plain decimal"
      }
    #expect(message.contains(expected), "\(failure): \(message)")
  }

  @Test func anExternalDTDOnTheLoopbackServerIsNeverRequested() throws {
    let server = try LoopbackHTTPServer { _ in .init(status: 200, text: "<!ENTITY x \"boom\">") }
    defer { server.stop() }
    let document = """
      <?xml version="1.0"?>
      <!DOCTYPE Envelope SYSTEM "\(server.url(path: "/evil.dtd"))">
      <Envelope><Cube><Cube time='2026-10-30'><Cube currency='USD' rate='1.1'/></Cube></Cube></Envelope>
      """
    #expect(throws: RatesError(.documentTypeRefused, source: "feed")) {
      try ECBFeed.parse(Array(document.utf8), source: "feed")
    }
    #expect(server.requestCount == 0)
  }
}

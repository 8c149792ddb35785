import Dates
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import Preview
import PreviewServer
import Synchronization

/// Log lines kept in memory, each with its metadata, to check what the server writes.
final class LogCapture: Sendable {
  private let stored = Mutex<[String]>([])

  var lines: [String] { stored.withLock { $0 } }

  func append(_ line: String) { stored.withLock { $0.append(line) } }

  var logger: Logger {
    Logger(label: "settle.serve.test") { _ in CapturingLogHandler(capture: self) }
  }
}

struct CapturingLogHandler: LogHandler {
  let capture: LogCapture
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let merged = metadata.merging(event.metadata ?? [:]) { $1 }
    let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    capture.append("\(event.level) \(event.message) \(fields)")
  }
}

/// The fixture ledger with one token per scope, and the server built on it.
struct ServerHarness: Sendable {
  let ledgerPath: String
  let tokenA: String
  let tokenB: String
  let treasuryToken: String
  let logs = LogCapture()

  init() throws {
    let ledger = try ServerFixtures.ledger()
    let issuedAt = try Timestamp("2026-11-01T08:00:00Z")
    ledgerPath = ledger.path
    tokenA = try ledger.issueToken(.affiliate("A1"), at: issuedAt)
    tokenB = try ledger.issueToken(.affiliate("B2"), at: issuedAt)
    treasuryToken = try ledger.issueToken(.treasury, at: issuedAt)
  }

  /// Test timings: tokens read again on every lookup unless the test says otherwise.
  static let testConfiguration = PreviewServer.Configuration(
    host: "127.0.0.1", port: 0, tokenRefreshInterval: .zero, tokenRefreshOnFailureInterval: .zero,
    ledgerCheckInterval: .zero)

  func application(_ configuration: PreviewServer.Configuration = testConfiguration) throws
    -> some ApplicationProtocol
  {
    PreviewServer.application(
      ledger: try Ledger(path: ledgerPath), rates: try ServerFixtures.rates(), configuration: configuration,
      logger: logs.logger)
  }

  /// What the server should answer, computed directly.
  func earnings(_ affiliateID: String, _ currency: String) throws -> Earnings {
    try EarningsReport.earnings(
      affiliateID: affiliateID, currencyCode: currency, ledger: try Ledger(path: ledgerPath),
      rates: try ServerFixtures.rates())
  }

  func closeOctober() throws { try ServerFixtures.closeOctober(try Ledger(path: ledgerPath)) }

  func revoke(_ token: String) throws {
    _ = try Ledger(path: ledgerPath).revokeToken(token, at: try Timestamp("2026-11-02T08:00:00Z"))
  }
}

extension TestClientProtocol {
  /// Signs in with the token and returns the session cookie (`settle_session=…`).
  func signIn(_ token: String, headers extra: HTTPFields = [:]) async throws -> (TestResponse, String?) {
    var headers = extra
    headers[.contentType] = "application/x-www-form-urlencoded"
    let response = try await execute(
      uri: "/signin", method: .post, headers: headers, body: ByteBuffer(string: "token=\(token)"))
    let cookie = response.headers[.setCookie].flatMap { $0.split(separator: ";").first.map(String.init) }
    return (response, cookie)
  }
}

extension TestResponse {
  var text: String { String(buffer: body) }
}

func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }
func cookie(_ value: String) -> HTTPFields { [.cookie: value] }

public import Hummingbird
import HummingbirdCore
public import Ledger
public import Logging
public import Rates
import Dispatch
import Synchronization

/// The preview server: affiliates' earnings as JSON (`/v1`) and as a server-rendered page, behind
/// bearer tokens and sign-in sessions. The only module of Settle that knows HTTP.
public enum PreviewServer {
  /// What the server listens on and how it guards itself; the defaults are the production ones.
  public struct Configuration: Sendable {
    public var host: String
    public var port: Int
    /// How often the live tokens are read again from the ledger, so a revoked token stops working.
    public var tokenRefreshInterval: Duration
    /// The least time between two reads of the tokens after a failed lookup.
    public var tokenRefreshOnFailureInterval: Duration
    /// How long a sign-in session lives.
    public var sessionLifetime: Duration
    /// Failures (401s) from one client within `failureWindow` before further attempts get 429.
    public var failureCountMax: Int
    public var failureWindow: Duration
    /// How often the ledger file is checked for changes before a cached earnings answer is served.
    public var ledgerCheckInterval: Duration
    /// Whether earnings answers are kept until the ledger file changes. Without, each is computed
    /// from the ledger when asked for: the path the load benchmark measures first.
    public var cachesAnswers: Bool

    public init(
      host: String = "127.0.0.1", port: Int = 8080, tokenRefreshInterval: Duration = .seconds(5),
      tokenRefreshOnFailureInterval: Duration = .seconds(1), sessionLifetime: Duration = .seconds(8 * 3600),
      failureCountMax: Int = 5, failureWindow: Duration = .seconds(60), ledgerCheckInterval: Duration = .seconds(1),
      cachesAnswers: Bool = true
    ) {
      self.host = host
      self.port = port
      self.tokenRefreshInterval = tokenRefreshInterval
      self.tokenRefreshOnFailureInterval = tokenRefreshOnFailureInterval
      self.sessionLifetime = sessionLifetime
      self.failureCountMax = failureCountMax
      self.failureWindow = failureWindow
      self.ledgerCheckInterval = ledgerCheckInterval
      self.cachesAnswers = cachesAnswers
    }
  }

  /// Largest header field and all header fields together, in bytes (NIO's decoder refuses more).
  public static let headerFieldBytesMax = 8 << 10
  public static let headerListBytesMax = 16 << 10
  public static let headerFieldCountMax = 100

  /// The application for `ledger` and `rates`; `run()` or `runService()` serves it.
  public static func application(
    ledger: Ledger, rates: RateTable, configuration: Configuration = Configuration(), logger: Logger
  ) -> some ApplicationProtocol {
    let state = ServerState(ledger: ledger, rates: rates, configuration: configuration, logger: logger)
    let router = Router(context: PreviewRequestContext.self)
    router.add(middleware: RequestMiddleware())
    PreviewRoutes(state: state).add(to: router)
    let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
      maxHeaderFieldSize: headerFieldBytesMax, maxHeaderListSize: headerListBytesMax,
      maxHeaderFieldCount: headerFieldCountMax)
    return Application(
      router: router,
      server: .http1(
        configuration: HTTP1Channel.Configuration(idleTimeout: .seconds(60), httpDecoderConfiguration: decoder)),
      configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port)),
      logger: logger)
  }
}

/// Everything the routes share: the earnings source, tokens, sessions and the failure counts.
final class ServerState: Sendable {
  let earnings: EarningsSource
  let tokens: TokenStore
  let sessions: SessionStore
  let failures: FailureLimiter
  let currencyCodes: [String]

  init(ledger: Ledger, rates: RateTable, configuration: PreviewServer.Configuration, logger: Logger) {
    let reader = LedgerReader(ledger: ledger)
    earnings = EarningsSource(
      reader: reader, rates: rates, checkInterval: configuration.ledgerCheckInterval,
      cachesAnswers: configuration.cachesAnswers)
    tokens = TokenStore(
      reader: reader, refreshInterval: configuration.tokenRefreshInterval,
      refreshOnFailureInterval: configuration.tokenRefreshOnFailureInterval, logger: logger)
    sessions = SessionStore(lifetime: configuration.sessionLifetime)
    failures = FailureLimiter(countMax: configuration.failureCountMax, window: configuration.failureWindow)
    var codes = Set(["EUR"])
    for rate in rates.publications.last?.rates ?? [] { codes.insert(rate.currency.code) }
    currencyCodes = codes.sorted()
  }
}

extension PreviewServer {
  /// swift-log's levels, by name.
  public static let logLevels = Logger.Level.allCases.map(\.rawValue)

  /// Serves until SIGINT or SIGTERM, logging to standard error from `logLevel` up, and blocks the
  /// calling thread (the command line is not async).
  /// - Throws: what the server threw (an address in use, say).
  public static func serve(ledger: Ledger, rates: RateTable, configuration: Configuration, logLevel: String) throws {
    let level = Logger.Level(rawValue: logLevel) ?? .info
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = level
      return handler
    }
    let logger = Logger(label: "settle.serve")
    let app = application(ledger: ledger, rates: rates, configuration: configuration, logger: logger)
    let failure = Mutex<(any Error)?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
      do {
        try await app.runService()
      } catch {
        failure.withLock { $0 = error }
      }
      done.signal()
    }
    done.wait()
    if let error = failure.withLock({ $0 }) { throw error }
  }
}

import HTTPTypes
import Hummingbird
import Ledger
import Preview

/// The routes: `/healthz`, the earnings API, the earnings page, sign-in and sign-out.
struct PreviewRoutes: Sendable {
  let state: ServerState

  func add(to router: Router<PreviewRequestContext>) {
    router.get("/healthz") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
    }
    router.get("/v1/affiliates/:id/earnings") { request, context in try await earningsJSON(request, context) }
    router.get("/affiliates/:id") { request, context in try await earningsPage(request, context) }
    router.get("/signin") { request, _ in signInPage(request) }
    router.post("/signin") { request, context in try await signIn(request, context) }
    router.post("/signout") { request, context in try await signOut(request, context) }
  }

  // MARK: Earnings

  func earningsJSON(_ request: Request, _ context: PreviewRequestContext) async throws -> Response {
    let affiliateID = try Self.affiliateID(context)
    let scope = try await bearerScope(request, context)
    try Self.permit(scope, affiliateID)
    guard let currency = request.uri.queryParameters.get("currency") else {
      throw PreviewError.badRequest("currency is required: ?currency=CCY, an ISO 4217 code")
    }
    let entry = try await earnings(affiliateID, currency: try Self.currencyCode(currency))
    return Response(
      status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
      body: .init(byteBuffer: ByteBuffer(bytes: entry.json)))
  }

  func earningsPage(_ request: Request, _ context: PreviewRequestContext) async throws -> Response {
    let affiliateID = try Self.affiliateID(context)
    let scope = try await sessionScope(request, context).scope
    try Self.permit(scope, affiliateID)
    var entry: EarningsSource.Entry
    if let currency = request.uri.queryParameters.get("currency"), !currency.isEmpty {
      entry = try await earnings(affiliateID, currency: try Self.currencyCode(currency))
    } else {
      // Shown in the settlement currency until the affiliate picks another.
      entry = try await earnings(affiliateID, currency: "EUR")
      let settlement = entry.earnings.settlementCurrency.code
      if settlement != "EUR" { entry = try await earnings(affiliateID, currency: settlement) }
    }
    let locale = Locales.preferred(query: request.uri.queryParameters.get("locale"), request.headers[.acceptLanguage])
    let page = Pages.earnings(entry.earnings, locale: locale, currencyCodes: state.currencyCodes)
    return Self.html(.ok, page)
  }

  /// The earnings, with the Preview module's errors turned into 4xx answers.
  private func earnings(_ affiliateID: String, currency: String) async throws -> EarningsSource.Entry {
    do {
      return try await state.earnings.earnings(affiliateID: affiliateID, currencyCode: currency)
    } catch let error as EarningsError {
      switch error {
      case .unknownAffiliate: throw PreviewError.notFound("no earnings for affiliate \(affiliateID)")
      case .unknownCurrency, .notPublished: throw PreviewError.badRequest(error.description)
      }
    }
  }

  // MARK: Sign-in

  func signInPage(_ request: Request) -> Response {
    let next = request.uri.queryParameters.get("next").flatMap { SignIn.safeNext($0) }
    return Self.html(.ok, Pages.signIn(next: next, message: nil))
  }

  func signIn(_ request: Request, _ context: PreviewRequestContext) async throws -> Response {
    try Self.refuseCrossOrigin(request)
    let body = try await request.body.collect(upTo: SignIn.formBytesMax)
    let form = SignIn.parse(String(buffer: body))
    if let wait = state.failures.retryAfterSeconds(client: context.clientKey) {
      throw PreviewError.tooManyFailures(retryAfterSeconds: wait)
    }
    guard let match = try await state.tokens.match(token: form.token) else {
      state.failures.recordFailure(client: context.clientKey)
      context.logger.notice("sign-in refused", metadata: ["client": "\(context.clientKey)"])
      return Self.html(.unauthorized, Pages.signIn(next: form.next, message: "That token is not valid."))
    }
    let id = state.sessions.create(tokenSHA256: match.sha256)
    var headers: HTTPFields = [.cacheControl: "no-store"]
    headers[.setCookie] = SessionCookie.setting(
      id: id, maxAgeSeconds: state.sessions.lifetimeSeconds, request: request)
    let destination: String? =
      switch match.scope {
      case .affiliate(let affiliateID): form.next ?? "/affiliates/\(Pages.pathSegment(affiliateID))"
      case .treasury: form.next
      }
    context.logger.info("signed in", metadata: ["scope": "\(Self.describe(match.scope))"])
    guard let destination else {
      headers[.contentType] = "text/html; charset=utf-8"
      return Response(
        status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: Pages.signedInTreasury())))
    }
    headers[.location] = destination
    return Response(status: .seeOther, headers: headers)
  }

  func signOut(_ request: Request, _ context: PreviewRequestContext) async throws -> Response {
    try Self.refuseCrossOrigin(request)
    let session = try await sessionScope(request, context)
    state.sessions.remove(id: session.id)
    return Response(
      status: .seeOther,
      headers: [.location: "/signin", .setCookie: SessionCookie.clearing, .cacheControl: "no-store"])
  }

  // MARK: Access

  /// The scope of the request's `Authorization: Bearer` token.
  /// - Throws: 429 for a client past its failures, 401 for no or an unknown token.
  private func bearerScope(_ request: Request, _ context: PreviewRequestContext) async throws -> Ledger.TokenScope {
    if let wait = state.failures.retryAfterSeconds(client: context.clientKey) {
      throw PreviewError.tooManyFailures(retryAfterSeconds: wait)
    }
    guard let header = request.headers[.authorization] else {
      throw PreviewError.unauthorized("an Authorization: Bearer token is required")
    }
    let prefix = "bearer "
    guard header.utf8.count > prefix.utf8.count, header.prefix(prefix.count).lowercased() == prefix,
      let match = try await state.tokens.match(token: String(header.dropFirst(prefix.count)))
    else {
      state.failures.recordFailure(client: context.clientKey)
      context.logger.notice("bearer token refused", metadata: ["client": "\(context.clientKey)"])
      throw PreviewError.unauthorized("the token is not valid")
    }
    return match.scope
  }

  /// The session the request's cookie names, whose token is still live.
  /// - Throws: 429 for a client past its failures, 401 for no, an unknown, an expired or a
  ///   revoked session.
  private func sessionScope(_ request: Request, _ context: PreviewRequestContext) async throws -> (
    id: String, scope: Ledger.TokenScope
  ) {
    if let wait = state.failures.retryAfterSeconds(client: context.clientKey) {
      throw PreviewError.tooManyFailures(retryAfterSeconds: wait)
    }
    guard let id = SessionCookie.id(in: request) else { throw PreviewError.unauthorized("please sign in") }
    guard let session = state.sessions.session(id: id) else {
      state.failures.recordFailure(client: context.clientKey)
      var error = PreviewError.unauthorized("your session has ended; please sign in again")
      error.clearsSession = true
      throw error
    }
    guard let match = try await state.tokens.match(sha256: session.tokenSHA256) else {
      state.sessions.remove(id: id)
      var error = PreviewError.unauthorized("your token has been revoked; please sign in with a new one")
      error.clearsSession = true
      throw error
    }
    return (id, match.scope)
  }

  static func permit(_ scope: Ledger.TokenScope, _ affiliateID: String) throws {
    switch scope {
    case .treasury: return
    case .affiliate(let own): guard own == affiliateID else { throw PreviewError.forbidden(affiliateID) }
    }
  }

  /// A form posted from another site is refused: the `Origin`, when the browser sends one, must
  /// be this host.
  static func refuseCrossOrigin(_ request: Request) throws {
    guard let origin = request.headers[.origin] else { return }
    let host = request.head.authority ?? ""
    guard origin == "http://\(host)" || origin == "https://\(host)" else {
      throw PreviewError(status: .forbidden, message: "a form from another site")
    }
  }

  static func describe(_ scope: Ledger.TokenScope) -> String {
    switch scope {
    case .treasury: "treasury"
    case .affiliate(let id): "affiliate \(id)"
    }
  }

  // MARK: Inputs

  /// Longest affiliate id accepted, in bytes.
  static let affiliateIDBytesMax = 64

  static func affiliateID(_ context: PreviewRequestContext) throws -> String {
    guard let id = context.parameters.get("id"), !id.isEmpty, id.utf8.count <= affiliateIDBytesMax else {
      throw PreviewError.notFound("no such affiliate")
    }
    return id
  }

  /// An ISO 4217 code as given: three ASCII letters, upper-cased.
  static func currencyCode(_ text: String) throws -> String {
    guard text.utf8.count == 3, text.utf8.allSatisfy({ ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 }) else {
      throw PreviewError.badRequest("currency must be a three-letter ISO 4217 code")
    }
    return text.uppercased()
  }

  static func html(_ status: HTTPResponse.Status, _ page: String) -> Response {
    Response(
      status: status,
      headers: [
        .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
        .contentSecurityPolicy: Pages.contentSecurityPolicy,
      ],
      body: .init(byteBuffer: ByteBuffer(string: page)))
  }
}

import HTTPTypes
import Hummingbird
import JSONText
import Logging

/// An answer other than success: a status and a message for the client that names what was
/// wrong with the request, never a file path, SQL or a stack trace.
struct PreviewError: Error {
  let status: HTTPResponse.Status
  let message: String
  /// Seconds for `Retry-After` (429 only).
  var retryAfterSeconds: Int64?
  /// Set-Cookie to send with the error (a sign-in page after a session ended).
  var clearsSession = false

  static func unauthorized(_ message: String) -> PreviewError { PreviewError(status: .unauthorized, message: message) }
  static func badRequest(_ message: String) -> PreviewError { PreviewError(status: .badRequest, message: message) }
  static func forbidden(_ affiliateID: String) -> PreviewError {
    PreviewError(status: .forbidden, message: "this token does not give access to affiliate \(affiliateID)")
  }
  static func notFound(_ message: String) -> PreviewError { PreviewError(status: .notFound, message: message) }
  static func tooManyFailures(retryAfterSeconds: Int64) -> PreviewError {
    PreviewError(
      status: .tooManyRequests, message: "too many failed attempts from this address; try again later",
      retryAfterSeconds: retryAfterSeconds)
  }

  /// The response: JSON `{"error": …}` under `/v1`, a small HTML page elsewhere.
  func response(json: Bool, signInNext: String?) -> Response {
    var headers: HTTPFields = [.cacheControl: "no-store"]
    if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
    if clearsSession { headers[.setCookie] = SessionCookie.clearing }
    if json {
      headers[.contentType] = "application/json; charset=utf-8"
      if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
      let body = JSON.object([("error", JSON.string(message))]) + "\n"
      return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
    headers[.contentType] = "text/html; charset=utf-8"
    headers[.contentSecurityPolicy] = Pages.contentSecurityPolicy
    let page = Pages.error(status: status, message: message, signInNext: status == .unauthorized ? signInNext : nil)
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
  }

  /// What the client is told for an error the routes did not make: Hummingbird's own (no route,
  /// a body too large) by status, anything else as an internal error.
  static func from(_ error: any Error) -> (PreviewError, isInternal: Bool) {
    if let error = error as? PreviewError { return (error, false) }
    if let error = error as? any HTTPResponseError {
      let message =
        switch error.status {
        case .notFound: "no such page"
        case .contentTooLarge: "the request body is too large"
        case .methodNotAllowed: "method not allowed"
        default: error.status.reasonPhrase.lowercased()
        }
      return (PreviewError(status: error.status, message: message), false)
    }
    return (
      PreviewError(status: .internalServerError, message: "internal error; the request id names it in the log"), true
    )
  }
}

/// Logs each request (method, path without its query, status, time; never a header, cookie or
/// body), adds `X-Request-ID`, and turns every error into a response.
struct RequestMiddleware: RouterMiddleware {
  typealias Context = PreviewRequestContext

  func handle(
    _ request: Request, context: PreviewRequestContext,
    next: (Request, PreviewRequestContext) async throws -> Response
  ) async throws -> Response {
    let start = ContinuousClock.now
    var response: Response
    do {
      response = try await next(request, context)
    } catch {
      let (failure, isInternal) = PreviewError.from(error)
      if isInternal {
        context.logger.error("request failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
        context.logger.debug("request failed", metadata: ["error.description": "\(error)"])
      }
      let path = request.uri.path
      response = failure.response(json: path.hasPrefix("/v1/"), signInNext: SignIn.safeNext(path))
    }
    response.headers[.xRequestID] = context.requestID
    response.headers[.xContentTypeOptions] = "nosniff"
    let elapsed = ContinuousClock.now - start
    context.logger.info(
      "request",
      metadata: [
        "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
        "client": "\(context.clientKey)",
        "duration_us": "\(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)",
      ])
    return response
  }
}

extension HTTPField.Name {
  static let xRequestID = named("X-Request-ID")
  static let xContentTypeOptions = named("X-Content-Type-Options")
  static let xForwardedProto = named("X-Forwarded-Proto")

  private static func named(_ name: String) -> HTTPField.Name {
    guard let field = HTTPField.Name(name) else { preconditionFailure("\(name) is a valid header name") }
    return field
  }
}

import HTTPTypes
import Hummingbird

/// The sign-in session's cookie: `HttpOnly`, `SameSite=Strict`, `Path=/`, and `Secure` when the
/// request came over TLS or through a proxy that says it did (`X-Forwarded-Proto: https`).
enum SessionCookie {
  static let name = "settle_session"

  static func setting(id: String, maxAgeSeconds: Int64, request: Request) -> String {
    var cookie = "\(name)=\(id); Max-Age=\(maxAgeSeconds); Path=/; HttpOnly; SameSite=Strict"
    if isSecure(request) { cookie += "; Secure" }
    return cookie
  }

  /// Ends the cookie in the browser.
  static let clearing = "\(name)=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict"

  static func isSecure(_ request: Request) -> Bool {
    request.head.scheme == "https" || request.headers[.xForwardedProto]?.lowercased() == "https"
  }

  /// The session id the request's cookie carries, if any.
  static func id(in request: Request) -> String? {
    guard let header = request.headers[.cookie] else { return nil }
    for part in header.split(separator: ";") {
      let pair = part.trimmingPrefix(" ")
      if pair.hasPrefix(name + "=") { return String(pair.dropFirst(name.utf8.count + 1)) }
    }
    return nil
  }
}

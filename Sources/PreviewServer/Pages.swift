import HTTPTypes
import Hummingbird
import Mustache

/// The HTML pages, from Mustache templates compiled into the binary (`Pages+Templates.swift`).
enum Pages {
  /// No script at all; styles only inline; forms post only here; never framed.
  static let contentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'"

  static let library: MustacheLibrary = {
    var library = MustacheLibrary()
    for (name, text) in Templates.all {
      do {
        try library.register(text, named: name)
      } catch {
        preconditionFailure("template \(name) does not parse: \(error)")
      }
    }
    return library
  }()

  static func render(_ name: String, _ values: [String: Any]) -> String {
    guard let page = library.render(values, withTemplate: name) else {
      preconditionFailure("no template \(name)")
    }
    return page
  }

  static func error(status: HTTPResponse.Status, message: String, signInNext: String?) -> String {
    var values: [String: Any] = [
      "title": "\(status.code) \(status.reasonPhrase)", "message": message, "signIn": status == .unauthorized,
    ]
    if let signInNext { values["next"] = signInNext }
    return render("error", values)
  }

  static func signIn(next: String?, message: String?) -> String {
    var values: [String: Any] = ["title": "Sign in"]
    if let next { values["next"] = next }
    if let message { values["message"] = message }
    return render("signin", values)
  }

  static func signedInTreasury() -> String {
    render("treasury", ["title": "Signed in"])
  }

  /// An affiliate id as one path segment: letters, digits, `-`, `_` and `.` as they are, any
  /// other byte percent-encoded.
  static func pathSegment(_ text: String) -> String {
    var segment = ""
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
        segment.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        segment += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
      }
    }
    return segment
  }
}

import Hummingbird

/// The sign-in form's fields and where to go after it.
enum SignIn {
  /// Largest sign-in form body, in bytes.
  static let formBytesMax = 4 << 10

  struct Form {
    var token = ""
    var next: String?
  }

  /// Parses `application/x-www-form-urlencoded`: `+` is a space, `%XX` a byte; unknown fields
  /// are ignored.
  static func parse(_ body: String) -> Form {
    var form = Form()
    for pair in body.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let value = parts.count == 2 ? percentDecoded(parts[1]) : ""
      switch percentDecoded(parts[0]) {
      case "token": form.token = value.trimmingCharacters(inSet: " \t\r\n")
      case "next": form.next = safeNext(value)
      default: continue
      }
    }
    return form
  }

  /// A path on this server to go to after signing in: an affiliate's page (with a query), never
  /// another host (`//host`, a scheme) or anything with characters outside a small set.
  static func safeNext(_ path: String) -> String? {
    guard path.hasPrefix("/affiliates/"), path.utf8.count <= 256 else { return nil }
    let allowed = path.utf8.allSatisfy { byte in
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"):
        true
      case UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "?"),
        UInt8(ascii: "="), UInt8(ascii: "&"):
        true
      default: false
      }
    }
    return allowed && !path.contains("..") ? path : nil
  }

  static func percentDecoded(_ text: Substring) -> String {
    var bytes: [UInt8] = []
    var iterator = text.utf8.makeIterator()
    while let byte = iterator.next() {
      switch byte {
      case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
      case UInt8(ascii: "%"):
        guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
          bytes.append(byte)
          continue
        }
        bytes.append(high << 4 | low)
      default: bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}

extension String {
  func trimmingCharacters(inSet characters: String) -> String {
    let set = Set(characters.unicodeScalars)
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !set.contains($0) }) else { return "" }
    guard let last = scalars.lastIndex(where: { !set.contains($0) }) else { return "" }
    return String(scalars[first...last])
  }
}

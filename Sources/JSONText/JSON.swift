/// Minimal JSON writing with keys in the order given: what summary and manifest files need, no
/// more. Strings are escaped per RFC 8259; numbers are passed in as their exact text.
public enum JSON {
  public static func string(_ text: String) -> String {
    var output = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output + "\""
  }

  /// An object; `pretty` puts each member on its own line (for the top level of a file).
  public static func object(pretty: Bool = false, _ members: [(String, String)]) -> String {
    let pairs = members.map { string($0.0) + ": " + $0.1 }
    return pretty ? "{\n  " + pairs.joined(separator: ",\n  ") + "\n}" : "{" + pairs.joined(separator: ", ") + "}"
  }
}

/// Minimal JSON writing with keys in the order given: what summary and manifest files need, no
/// more. Strings are escaped per RFC 8259; numbers are passed in as their exact text.
public enum JSON {
  public static func string(_ text: String) -> String {
    var quoted: [UInt8] = []
    var text = text
    text.withUTF8 { JSONWriter.appendQuoted($0, to: &quoted) }
    return String(decoding: quoted, as: UTF8.self)
  }

  /// An object; `pretty` puts each member on its own line (for the top level of a file).
  public static func object(pretty: Bool = false, _ members: [(String, String)]) -> String {
    let pairs = members.map { string($0.0) + ": " + $0.1 }
    return pretty ? "{\n  " + pairs.joined(separator: ",\n  ") + "\n}" : "{" + pairs.joined(separator: ", ") + "}"
  }
}

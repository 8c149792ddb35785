/// RFC 4180 output: a field is quoted only when it holds a comma, a quote or a line break, and a
/// quote inside is doubled.
public enum CSVEscaping {
  /// Appends one field given as bytes, quoted when needed: the hot path for per-row output.
  public static func append(_ field: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
    var needsQuotes = false
    for byte in field where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 10 || byte == 13 {
      needsQuotes = true
      break
    }
    guard needsQuotes else {
      output.append(contentsOf: field)
      return
    }
    output.append(UInt8(ascii: "\""))
    for byte in field {
      if byte == UInt8(ascii: "\"") { output.append(byte) }
      output.append(byte)
    }
    output.append(UInt8(ascii: "\""))
  }

  /// Appends one field given as text, quoted when needed.
  public static func append(_ field: String, to output: inout [UInt8]) {
    var text = field
    text.withUTF8 { append($0, to: &output) }
  }

  /// Appends one record: fields separated by commas, ended by a line feed.
  public static func appendRecord(_ fields: [String], to output: inout [UInt8]) {
    for (index, field) in fields.enumerated() {
      if index > 0 { output.append(UInt8(ascii: ",")) }
      append(field, to: &output)
    }
    output.append(UInt8(ascii: "\n"))
  }
}

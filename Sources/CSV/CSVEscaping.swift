/// RFC 4180 output: a field is quoted only when it holds a comma, a quote or a line break, and a
/// quote inside is doubled.
public enum CSVEscaping {
  /// Appends one field, quoted when needed.
  public static func append(_ field: some Collection<UInt8>, to output: inout [UInt8]) {
    let needsQuotes = field.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
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

  /// Appends one record: fields separated by commas, ended by a line feed.
  public static func appendRecord(_ fields: [String], to output: inout [UInt8]) {
    for (index, field) in fields.enumerated() {
      if index > 0 { output.append(UInt8(ascii: ",")) }
      append(field.utf8, to: &output)
    }
    output.append(UInt8(ascii: "\n"))
  }
}

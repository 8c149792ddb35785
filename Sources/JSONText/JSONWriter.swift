/// JSON written straight into UTF-8 bytes, keys in the order given, in `JSON`'s layout (`{"a": 1, "b": [2, 3]}`):
/// for answers written on every request, without a String per value.
///
/// Separators are placed by the writer: a key or value that follows a complete value gets `, `
/// first. The caller opens and closes objects and arrays in pairs and puts a key before each
/// member of an object; `bytes` is well-formed JSON once every one opened is closed.
public struct JSONWriter {
  public private(set) var bytes: [UInt8] = []
  /// Whether the last thing written completes a value, so the next key or value needs a comma.
  private var followsValue = false

  public init(capacityBytes: Int = 0) { bytes.reserveCapacity(capacityBytes) }

  public mutating func beginObject() { open(UInt8(ascii: "{")) }

  public mutating func endObject() { close(UInt8(ascii: "}")) }

  public mutating func beginArray() { open(UInt8(ascii: "[")) }

  public mutating func endArray() { close(UInt8(ascii: "]")) }

  /// A member's name, and the `: ` before its value.
  public mutating func key(_ name: StaticString) {
    separate()
    JSONWriter.appendQuoted(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), to: &bytes)
    bytes.append(UInt8(ascii: ":"))
    bytes.append(UInt8(ascii: " "))
    followsValue = false
  }

  /// A string value, escaped per RFC 8259.
  public mutating func string(_ text: String) {
    separate()
    var text = text
    text.withUTF8 { JSONWriter.appendQuoted($0, to: &bytes) }
    followsValue = true
  }

  /// A string value given as UTF-8 bytes, escaped per RFC 8259.
  public mutating func string(utf8 text: UnsafeBufferPointer<UInt8>) {
    separate()
    JSONWriter.appendQuoted(text, to: &bytes)
    followsValue = true
  }

  /// A string value whose text `write` appends in place, without a copy: for text that needs no
  /// escaping, such as a decimal's digits, sign and point, or a currency code.
  /// - Precondition: every byte `write` appends is printable ASCII other than `"` and `\`.
  public mutating func string(ascii write: (inout [UInt8]) -> Void) {
    separate()
    bytes.append(UInt8(ascii: "\""))
    let start = bytes.count
    write(&bytes)
    precondition(
      bytes[start...].allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") },
      "JSONWriter.string(ascii:) was given text that needs escaping")
    bytes.append(UInt8(ascii: "\""))
    followsValue = true
  }

  /// A number, in decimal digits.
  public mutating func number(_ value: Int) {
    separate()
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    JSONWriter.appendDigits(value.magnitude, to: &bytes)
    followsValue = true
  }

  /// `text` in quotes, `"` `\` and control characters escaped (`\n`, `\r`, `\t`, else `\u00XX`
  /// in lowercase hex). Bytes of multi-byte UTF-8 sequences are all 0x80 or above, so escaping
  /// byte by byte is escaping scalar by scalar.
  static func appendQuoted(_ text: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "\""))
    var clean = 0
    for (index, byte) in text.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    {
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[clean..<index]))
      appendEscaped(byte, to: &bytes)
      clean = index + 1
    }
    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[clean...]))
    bytes.append(UInt8(ascii: "\""))
  }

  private static func appendEscaped(_ byte: UInt8, to bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "\\"))
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
    case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
    case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
    case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
    default:
      let hex: StaticString = "0123456789abcdef"
      bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
      bytes.append(hex.utf8Start[Int(byte >> 4)])
      bytes.append(hex.utf8Start[Int(byte & 0x0F)])
    }
  }

  /// The decimal digits of `value`, most significant first.
  static func appendDigits(_ value: UInt, to bytes: inout [UInt8]) {
    guard value >= 10 else {
      bytes.append(UInt8(ascii: "0") + UInt8(value))
      return
    }
    appendDigits(value / 10, to: &bytes)
    bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
  }

  private mutating func separate() {
    if followsValue {
      bytes.append(UInt8(ascii: ","))
      bytes.append(UInt8(ascii: " "))
    }
  }

  private mutating func open(_ bracket: UInt8) {
    separate()
    bytes.append(bracket)
    followsValue = false
  }

  private mutating func close(_ bracket: UInt8) {
    bytes.append(bracket)
    followsValue = true
  }
}

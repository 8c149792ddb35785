import JSONText
import Testing

/// The byte writer behind the earnings API: the layout of `JSON`'s strings, and RFC 8259 escaping.
@Suite struct JSONWriterTests {
  /// Escaping scalar by scalar, as `JSON.string` did before it wrote bytes: the reference.
  static func referenceQuoted(_ text: String) -> String {
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

  /// Every ASCII scalar alone and inside text, and scalars of two, three and four UTF-8 bytes.
  @Test func stringsAreEscapedAsTheReferenceDoes() {
    var texts = (0..<128).compactMap { Unicode.Scalar($0).map { String(Character($0)) } }
    texts += texts.map { "a" + $0 + "b" }
    texts += ["", "é", "€ 1.234,50", "😀\u{1}\"", "\u{7F}\u{80}\u{FFFF}"]
    for text in texts {
      var writer = JSONWriter()
      writer.string(text)
      #expect(String(decoding: writer.bytes, as: UTF8.self) == Self.referenceQuoted(text), "\(text.unicodeScalars)")
      #expect(JSON.string(text) == Self.referenceQuoted(text))
    }
  }

  @Test func separatorsFollowJSONLayout() {
    var writer = JSONWriter()
    writer.beginObject()
    writer.key("a")
    writer.number(-12)
    writer.key("b")
    writer.beginArray()
    writer.beginArray()
    writer.endArray()
    writer.string("x")
    writer.beginObject()
    writer.endObject()
    writer.number(0)
    writer.endArray()
    writer.key("c")
    writer.beginObject()
    writer.key("d")
    writer.number(Int.min)
    writer.endObject()
    writer.endObject()
    let expected = #"{"a": -12, "b": [[], "x", {}, 0], "c": {"d": -9223372036854775808}}"#
    #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    #expect(
      JSON.object([("a", "-12"), ("b", #"[[], "x", {}, 0]"#), ("c", JSON.object([("d", "-9223372036854775808")]))])
        == expected)
  }

  /// Text appended in place (a decimal's digits) is quoted like any string, and separated like any value.
  @Test func asciiTextIsWrittenInPlace() {
    var writer = JSONWriter()
    writer.beginArray()
    writer.string { $0 += Array("-1234.50".utf8) }
    writer.string { _ in }
    writer.string("é")
    writer.endArray()
    #expect(String(decoding: writer.bytes, as: UTF8.self) == #"["-1234.50", "", "é"]"#)
  }
}

/// Writes indented XML into bytes: one element per line, two spaces per level, text and attribute
/// values escaped.
struct XMLTextWriter {
  private(set) var bytes: [UInt8] = []
  private var depth = 0

  init(capacity: Int) {
    bytes.reserveCapacity(capacity)
  }

  /// `<?xml version="1.0" encoding="UTF-8"?>` and a line feed.
  mutating func declaration() {
    bytes.append(contentsOf: #"<?xml version="1.0" encoding="UTF-8"?>"#.utf8)
    bytes.append(UInt8(ascii: "\n"))
  }

  /// A start tag on its own line; what follows is indented one level deeper.
  mutating func open(_ name: String, attribute: (name: String, value: String)? = nil) {
    indent()
    startTag(name, attribute: attribute)
    bytes.append(UInt8(ascii: "\n"))
    depth += 1
  }

  /// The end tag of the element opened last.
  mutating func close(_ name: String) {
    precondition(depth > 0, "</\(name)> closes no open element")
    depth -= 1
    indent()
    bytes.append(contentsOf: "</\(name)>\n".utf8)
  }

  /// An element holding only text, on one line.
  mutating func element(_ name: String, _ text: String, attribute: (name: String, value: String)? = nil) {
    indent()
    startTag(name, attribute: attribute)
    appendEscaped(text)
    bytes.append(contentsOf: "</\(name)>\n".utf8)
  }

  private mutating func startTag(_ name: String, attribute: (name: String, value: String)?) {
    bytes.append(UInt8(ascii: "<"))
    bytes.append(contentsOf: name.utf8)
    if let attribute {
      bytes.append(contentsOf: " \(attribute.name)=\"".utf8)
      appendEscaped(attribute.value)
      bytes.append(UInt8(ascii: "\""))
    }
    bytes.append(UInt8(ascii: ">"))
  }

  private mutating func indent() {
    bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
  }

  /// The text with `&`, `<`, `>`, `"` and `'` as entity references, so it reads back unchanged in text and
  /// in a double-quoted attribute.
  private mutating func appendEscaped(_ text: String) {
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
      case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
      case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
      case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
      case UInt8(ascii: "'"): bytes.append(contentsOf: "&apos;".utf8)
      default: bytes.append(byte)
      }
    }
  }
}

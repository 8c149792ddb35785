import CLibXML2
import CRatesShims

/// libxml2's SAX2 push parser set up for ECB feeds. Every libxml2 call of the module is in this file.
///
/// Owns the parser context (`xmlFreeParserCtxt` in `deinit`). The SAX callbacks reach the Swift
/// state through the context's `_private` pointer; the state outlives the parser because the
/// parser holds it strongly.
final class ECBPushParser {
  private let context: xmlParserCtxtPtr
  private let state: ECBParseState

  /// `xmlInitParser` once per process, before the first context.
  private static let initialized: Bool = {
    xmlInitParser()
    return true
  }()

  init(state: ECBParseState) throws(RatesError) {
    precondition(ECBPushParser.initialized, "libxml2 initialised")
    var handler = ECBPushParser.makeHandler()
    guard let context = xmlCreatePushParserCtxt(&handler, nil, nil, 0, state.source) else {
      throw RatesError(.notXML(line: 0, message: "libxml2 could not create a parser"), source: state.source)
    }
    self.context = context
    self.state = state
    // No network, no entity substitution (XML_PARSE_NOENT is not set), no DTD loading, no error printing.
    let options = XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
    xmlCtxtUseOptions(context, Int32(options))
    context.pointee._private = Unmanaged.passUnretained(state).toOpaque()
    state.lineReader = { [context] in Int(settle_xml_current_line(context)) }
  }

  deinit {
    xmlFreeParserCtxt(context)
  }

  /// Feeds bytes to the parser; `isLast` ends the document.
  /// - Throws: the first `RatesError` the callbacks recorded, or libxml2's own error as `notXML`.
  func feed(_ chunk: UnsafeBufferPointer<UInt8>, isLast: Bool) throws(RatesError) {
    // xmlParseChunk takes at most Int32.max bytes at a time; documents are far smaller (xmlBytesMax).
    var offset = 0
    repeat {
      let count = min(chunk.count - offset, 1 << 30)
      let isFinal = isLast && offset + count == chunk.count
      let status = chunk.baseAddress.withUnsafeOptional { base in
        base.withMemoryRebound(to: CChar.self, capacity: count) {
          xmlParseChunk(context, $0 + offset, Int32(count), isFinal ? 1 : 0)
        }
      } ?? xmlParseChunk(context, nil, 0, isFinal ? 1 : 0)
      if let failure = state.failure { throw failure }
      if status != 0 {
        let message = String(cString: settle_xml_last_error_message(context))
        throw RatesError(
          .notXML(line: Int(settle_xml_last_error_line(context)), message: message.trimmingTrailingNewlines()),
          source: state.source)
      }
      offset += count
    } while offset < chunk.count
  }

  private static func state(_ context: UnsafeMutableRawPointer?) -> ECBParseState? {
    guard let context else { return nil }
    let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let opaque = parser.pointee._private else { return nil }
    return Unmanaged<ECBParseState>.fromOpaque(opaque).takeUnretainedValue()
  }

  private static func stop(_ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    xmlStopParser(context.assumingMemoryBound(to: xmlParserCtxt.self))
  }

  private static func makeHandler() -> xmlSAXHandler {
    var handler = xmlSAXHandler()
    handler.initialized = settle_xml_sax2_magic()
    handler.startElementNs = { context, localName, _, _, _, _, attributeCount, _, attributes in
      guard let state = ECBPushParser.state(context) else { return }
      state.depth += 1
      if state.depth > ECBFeed.depthMax {
        state.fail(.tooDeep(line: state.lineReader(), depthMax: ECBFeed.depthMax))
      } else if let localName, ECBPushParser.equals(localName, "Cube"), let attributes {
        ECBPushParser.cube(state, attributes: attributes, count: Int(attributeCount))
      }
      if state.failure != nil { ECBPushParser.stop(context) }
    }
    handler.endElementNs = { context, _, _, _ in
      guard let state = ECBPushParser.state(context) else { return }
      if state.depth == state.publicationDepth { state.endPublication() }
      state.depth -= 1
    }
    // A DTD is where entity bombs and external entities live: refuse the document as soon as one is declared.
    handler.internalSubset = { context, _, _, _ in
      ECBPushParser.state(context)?.fail(.documentTypeRefused)
      ECBPushParser.stop(context)
    }
    handler.externalSubset = { context, _, _, _ in
      ECBPushParser.state(context)?.fail(.documentTypeRefused)
      ECBPushParser.stop(context)
    }
    handler.entityDecl = { context, _, _, _, _, _ in
      ECBPushParser.state(context)?.fail(.documentTypeRefused)
      ECBPushParser.stop(context)
    }
    handler.getEntity = { _, _ in nil }
    handler.resolveEntity = { _, _, _ in nil }
    return handler
  }

  /// A `<Cube>` element: either a day (`time`) or a rate (`currency` and `rate`).
  private static func cube(
    _ state: ECBParseState, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>, count: Int
  ) {
    var time: UnsafeBufferPointer<UInt8>?
    var currency: UnsafeBufferPointer<UInt8>?
    var rate: UnsafeBufferPointer<UInt8>?
    // SAX2 passes five pointers per attribute: local name, prefix, URI, value start, value end.
    for index in 0..<count {
      let base = attributes + index * 5
      guard let name = base[0], let start = base[3], let end = base[4] else { continue }
      let value = UnsafeBufferPointer(start: start, count: end - start)
      if equals(name, "time") {
        time = value
      } else if equals(name, "currency") {
        currency = value
      } else if equals(name, "rate") {
        rate = value
      }
    }
    if let time {
      state.beginPublication(dayText: time)
    } else if let currency, let rate {
      state.addRate(currencyText: currency, rateText: rate)
    }
  }

  /// Whether a NUL-terminated libxml2 name equals an ASCII literal.
  private static func equals(_ name: UnsafePointer<xmlChar>, _ literal: StaticString) -> Bool {
    let count = literal.utf8CodeUnitCount
    let bytes = literal.utf8Start
    for index in 0..<count where name[index] != bytes[index] { return false }
    return name[count] == 0
  }
}

extension Optional {
  fileprivate func withUnsafeOptional<Result>(_ body: (Wrapped) -> Result) -> Result? {
    map(body)
  }
}

extension String {
  fileprivate func trimmingTrailingNewlines() -> String {
    var text = self
    while text.last == "\n" || text.last == "\r" { text.removeLast() }
    return text
  }
}

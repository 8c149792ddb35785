import CRatesShims
import Dates
import Money

/// libxml2's SAX2 push parser set up for ECB feeds. Every libxml2 call of the module goes through here.
///
/// The parser lives behind the `settle_xml_parser` handle of the C shim (libxml2's own headers
/// are kept out of Swift: they drag in the system ICU, which clashes with Foundation's). The
/// callbacks' `ECBParseState` lives in memory this parser allocates; callbacks reach it through
/// the raw pointer handed to the shim. Both are freed in `deinit`.
final class ECBPushParser {
  private let handle: OpaquePointer
  private let state: UnsafeMutablePointer<ECBParseState>

  /// - Parameters:
  ///   - source: the file name or URL, for error messages.
  ///   - days: when given, only the publications of these days are kept.
  init(source: String, keeping days: ClosedRange<Day>? = nil) throws(RatesError) {
    let state = UnsafeMutablePointer<ECBParseState>.allocate(capacity: 1)
    state.initialize(to: ECBParseState(source: source, keeping: days))
    guard
      let handle = settle_xml_parser_create(
        state, ECBPushParser.startElement, ECBPushParser.endElement, ECBPushParser.documentType)
    else {
      state.deinitialize(count: 1)
      state.deallocate()
      throw RatesError(.notXML(line: 0, message: "libxml2 could not create a parser"), source: source)
    }
    self.handle = handle
    self.state = state
    state.pointee.lineReader = { Int(settle_xml_parser_line(handle)) }
    state.pointee.stopParser = { settle_xml_parser_stop(handle) }
  }

  deinit {
    settle_xml_parser_free(handle)
    state.deinitialize(count: 1)
    state.deallocate()
  }

  /// The publications the callbacks have built so far, in document order.
  var publications: [Publication] { state.pointee.publications }

  /// Whether any publication was read, kept or not.
  var sawPublication: Bool { state.pointee.sawPublication }

  /// Whether every publication so far was older than the one before it.
  var isNewestFirst: Bool { state.pointee.isNewestFirst }

  /// Whether the publications read, newest first, have passed the oldest kept day.
  var isPastKeptDays: Bool { state.pointee.isPastKeptDays }

  /// Every currency a publication listed, kept or not.
  var listedCurrencies: [Currency] { state.pointee.listedCurrencies }

  /// Feeds bytes to the parser; `isLast` ends the document.
  /// - Throws: the first `RatesError` the callbacks recorded, or libxml2's own error as `notXML`.
  func feed(_ chunk: UnsafeBufferPointer<UInt8>, isLast: Bool) throws(RatesError) {
    // xmlParseChunk takes an Int32 count; feed at most 1 GiB at a time (documents are far smaller).
    var offset = 0
    repeat {
      let count = min(chunk.count - offset, 1 << 30)
      let isFinal = isLast && offset + count == chunk.count
      let status: Int32
      if let base = chunk.baseAddress {
        status = UnsafeRawPointer(base + offset).withMemoryRebound(to: CChar.self, capacity: count) {
          settle_xml_parser_feed(handle, $0, Int32(count), isFinal ? 1 : 0)
        }
      } else {
        status = settle_xml_parser_feed(handle, nil, 0, isFinal ? 1 : 0)
      }
      if let failure = state.pointee.failure { throw failure }
      if status != 0 {
        var message = String(cString: settle_xml_parser_error_message(handle))
        while message.last == "\n" || message.last == "\r" { message.removeLast() }
        throw RatesError(
          .notXML(line: Int(settle_xml_parser_error_line(handle)), message: message), source: state.pointee.source)
      }
      offset += count
    } while offset < chunk.count
  }

  private static func state(_ opaque: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<ECBParseState>? {
    opaque?.assumingMemoryBound(to: ECBParseState.self)
  }

  private static let startElement: settle_xml_start_element_fn = { opaque, localName, attributeCount, attributes in
    guard let state = ECBPushParser.state(opaque) else { return }
    state.pointee.depth += 1
    if state.pointee.depth > ECBFeed.depthMax {
      state.pointee.fail(.tooDeep(line: state.pointee.lineReader(), depthMax: ECBFeed.depthMax))
    } else if let localName, ECBPushParser.equals(localName, "Cube"), let attributes {
      ECBPushParser.cube(state, attributes: attributes, count: Int(attributeCount))
    }
    if state.pointee.hasFailed { state.pointee.stopParser() }
  }

  private static let endElement: settle_xml_end_element_fn = { opaque in
    guard let state = ECBPushParser.state(opaque) else { return }
    if state.pointee.depth == state.pointee.publicationDepth { state.pointee.endPublication() }
    state.pointee.depth -= 1
  }

  /// A DTD is where entity bombs and external entities live: the document is refused as soon as one is declared.
  private static let documentType: settle_xml_document_type_fn = { opaque in
    ECBPushParser.state(opaque)?.pointee.fail(.documentTypeRefused)
  }

  /// A `<Cube>` element: either a day (`time`) or a rate (`currency` and `rate`).
  private static func cube(
    _ state: UnsafeMutablePointer<ECBParseState>, attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>, count: Int
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
      state.pointee.beginPublication(dayText: time)
    } else if let currency, let rate {
      state.pointee.addRate(currencyText: currency, rateText: rate)
    }
  }

  /// Whether a NUL-terminated libxml2 name equals an ASCII literal.
  private static func equals(_ name: UnsafePointer<UInt8>, _ literal: StaticString) -> Bool {
    let count = literal.utf8CodeUnitCount
    let bytes = literal.utf8Start
    for index in 0..<count where name[index] != bytes[index] { return false }
    return name[count] == 0
  }
}

import CSchemaShims

/// One problem the C shim reported: what it is about, the line, and libxml2's message if any.
struct SchemaReport: Equatable {
  enum Problem: Equatable {
    case notWellFormed, documentType, invalid, loadsDocument, libxml2
  }

  let problem: Problem
  let line: Int
  /// The message without its trailing line feed; empty when the shim gave none.
  let message: String
}

/// The reports of one call, as the shim hands them over. Reached from C through an unretained pointer
/// that lives only during the call.
final class SchemaReports {
  /// Reports kept; the rest are only counted.
  let reportsMax: Int
  private(set) var reports: [SchemaReport] = []
  private(set) var droppedCount = 0
  private(set) var firstDroppedLine = 0

  init(reportsMax: Int) { self.reportsMax = reportsMax }

  func add(_ report: SchemaReport) {
    if reports.count < reportsMax {
      reports.append(report)
    } else {
      if droppedCount == 0 { firstDroppedLine = report.line }
      droppedCount += 1
    }
  }
}

/// libxml2's XSD compiler and validator. Every C call of the module goes through here.
///
/// The compiled schema lives behind the `settle_schema` handle of the C shim (libxml2's headers are kept
/// out of Swift); `XMLSchema` owns the handle and frees it in `deinit`.
enum SchemaShim {
  /// Compiles an XSD (`settle_schema_parse`): the handle, or nil and at least one report.
  static func compile(_ xsd: [UInt8], name: String) -> (handle: OpaquePointer?, reports: [SchemaReport]) {
    let collected = SchemaReports(reportsMax: 16)
    let handle = withBytes(xsd) { bytes, count in
      settle_schema_parse(bytes, count, name, Unmanaged.passUnretained(collected).toOpaque(), report)
    }
    return (withExtendedLifetime(collected) { handle }, collected.reports)
  }

  /// Validates a document (`settle_schema_validate`) and returns what it reported, in document order.
  static func validate(_ handle: OpaquePointer, document: [UInt8], name: String, reportsMax: Int) -> SchemaReports {
    let collected = SchemaReports(reportsMax: reportsMax)
    withBytes(document) { bytes, count in
      _ = settle_schema_validate(handle, bytes, count, name, Unmanaged.passUnretained(collected).toOpaque(), report)
    }
    return withExtendedLifetime(collected) { collected }
  }

  /// Frees a compiled schema (`settle_schema_free`).
  static func free(_ handle: OpaquePointer) {
    settle_schema_free(handle)
  }

  /// The bytes as a C buffer with an `int` count; callers bound the size far below `Int32.max`.
  private static func withBytes<Result>(
    _ bytes: [UInt8], _ body: (UnsafePointer<CChar>?, Int32) -> Result
  ) -> Result {
    precondition(bytes.count <= Int(Int32.max), "XML of \(bytes.count) bytes passed the size limits")
    return bytes.withUnsafeBytes { raw in
      body(raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
    }
  }

  private static let report: settle_schema_report_fn = { state, problem, line, message in
    guard let state else { return }
    let collected = Unmanaged<SchemaReports>.fromOpaque(state).takeUnretainedValue()
    var text = message.map { String(cString: $0) } ?? ""
    while text.last == "\n" || text.last == "\r" || text.last == " " { text.removeLast() }
    collected.add(SchemaReport(problem: SchemaShim.problem(problem), line: Int(line), message: text))
  }

  private static func problem(_ problem: settle_schema_problem) -> SchemaReport.Problem {
    switch problem {
    case SETTLE_SCHEMA_NOT_WELL_FORMED: .notWellFormed
    case SETTLE_SCHEMA_DOCUMENT_TYPE: .documentType
    case SETTLE_SCHEMA_INVALID: .invalid
    case SETTLE_SCHEMA_LOADS_DOCUMENT: .loadsDocument
    default: .libxml2
    }
  }
}

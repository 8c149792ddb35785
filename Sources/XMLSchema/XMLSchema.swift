import Files

/// A compiled XML Schema (XSD 1.0) that validates documents with libxml2's validator.
///
/// Both the XSD and each document are parsed from memory with network access off, no entity substitution
/// and no DTD loading; a DOCTYPE is refused as soon as it starts, so no entity is expanded and no file or
/// URL is read. libxml2's error output is captured for the duration of each call (its handlers are
/// per thread and put back afterwards), so nothing is printed to stderr.
///
/// Thread safety: the compiled schema is only read after `init`; every `validate` call parses its document
/// and creates its own libxml2 validation context (`xmlSchemaNewValidCtxt`), so one `XMLSchema` may
/// validate on many threads at once. That is why it is `@unchecked Sendable`: the handle is an immutable
/// libxml2 `xmlSchema` that libxml2 documents as shareable between validation contexts.
public final class XMLSchema: @unchecked Sendable {
  /// Largest XSD accepted (the ISO 20022 pain.001 schemas are about 57 KB).
  public static let schemaBytesMax = 4 << 20
  /// Largest document accepted (a pain.001 of 10,000 transfers is about 15 MB).
  public static let documentBytesMax = 64 << 20
  /// Most violations listed for one document; past it one more says how many were left out.
  public static let violationsMax = 1_000

  /// The schema's name, for messages.
  public let name: String
  private let handle: OpaquePointer

  /// Parses and compiles an XSD given as bytes.
  ///
  /// The schema must be self-contained: an `xs:include`, `xs:import` or `xs:redefine` naming a
  /// `schemaLocation` is refused, since libxml2 would load it with entity substitution on.
  /// - Parameter name: names the schema in errors (a file name, or `pain.001.001.09` for an embedded one).
  /// - Throws: `SchemaError` naming the schema and the line of the first problem.
  public init(xsd: [UInt8], name: String) throws(SchemaError) {
    guard xsd.count <= XMLSchema.schemaBytesMax else {
      throw SchemaError(.tooLarge(bytesMax: XMLSchema.schemaBytesMax), schemaName: name)
    }
    let (handle, reports) = SchemaShim.compile(xsd, name: name)
    guard let handle else {
      throw SchemaError(XMLSchema.failure(reports.first), schemaName: name)
    }
    self.name = name
    self.handle = handle
  }

  /// Reads an XSD file of at most `schemaBytesMax` bytes and compiles it.
  /// - Throws: `SchemaError` naming the path: the file cannot be read or is too large, or the schema is bad.
  public convenience init(path: String) throws(SchemaError) {
    let bytes: [UInt8]
    do {
      bytes = try FileReader.readAll(path: path, bytesMax: XMLSchema.schemaBytesMax)
    } catch {
      throw SchemaError(.file(error), schemaName: path)
    }
    try self.init(xsd: bytes, name: path)
  }

  deinit {
    SchemaShim.free(handle)
  }

  /// Validates a document and returns every violation in document order; empty when it is valid.
  ///
  /// A document that is not well-formed XML is one violation (libxml2's first error); one that declares a
  /// DOCTYPE is one violation, refused before the DTD is read; one larger than `documentBytesMax` is one
  /// violation on line 0. At most `violationsMax` are listed, then one that counts the rest.
  /// - Parameter name: names the document in the violations' descriptions.
  public func validate(_ document: [UInt8], name: String) -> [SchemaViolation] {
    guard document.count <= XMLSchema.documentBytesMax else {
      return [
        SchemaViolation(
          documentName: name, line: 0,
          message: "refused: more than \(XMLSchema.documentBytesMax) bytes of XML")
      ]
    }
    let collected = SchemaShim.validate(handle, document: document, name: name, reportsMax: XMLSchema.violationsMax)
    var violations = collected.reports.map { report in
      SchemaViolation(documentName: name, line: report.line, message: XMLSchema.message(report))
    }
    if collected.droppedCount > 0 {
      let message = "\(collected.droppedCount) more violations not listed (violationsMax \(XMLSchema.violationsMax))"
      violations.append(SchemaViolation(documentName: name, line: collected.firstDroppedLine, message: message))
    }
    return violations
  }

  private static func message(_ report: SchemaReport) -> String {
    switch report.problem {
    case .notWellFormed: "not well-formed XML: \(report.message)"
    case .documentType: "refused: the document declares a DOCTYPE (entities and DTDs are never processed)"
    case .invalid: report.message
    case .loadsDocument: "refused: xs:\(report.message) would load another document"
    case .libxml2: "libxml2 failed in \(report.message)"
    }
  }

  private static func failure(_ report: SchemaReport?) -> SchemaError.Kind {
    guard let report else { return .libxml2(function: "xmlSchemaParse") }
    return switch report.problem {
    case .notWellFormed: .notXML(line: report.line, message: report.message)
    case .documentType: .documentTypeRefused(line: report.line)
    case .invalid: .invalidSchema(line: report.line, message: report.message)
    case .loadsDocument: .loadsDocument(line: report.line, element: report.message)
    case .libxml2: .libxml2(function: report.message)
    }
  }
}

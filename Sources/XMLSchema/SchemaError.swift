public import Files

/// An XSD that cannot be used, naming the schema and the line.
public struct SchemaError: Error, Equatable, CustomStringConvertible {
  public enum Kind: Equatable, Sendable {
    /// The XSD is not well-formed XML; the message is libxml2's.
    case notXML(line: Int, message: String)
    /// The XSD declares a DOCTYPE, refused before any of it is processed.
    case documentTypeRefused(line: Int)
    /// An `xs:include`, `xs:import`, `xs:redefine` or `xs:override` names a `schemaLocation` to load.
    case loadsDocument(line: Int, element: String)
    /// Well-formed XML but not a valid XSD; the first of libxml2's messages.
    case invalidSchema(line: Int, message: String)
    /// More bytes than `XMLSchema.schemaBytesMax`.
    case tooLarge(bytesMax: Int)
    /// The file could not be read.
    case file(FileError)
    /// libxml2 could not allocate or failed inside the named function.
    case libxml2(function: String)
  }

  public let kind: Kind
  /// The schema's name or path, as given to `XMLSchema.init`.
  public let schemaName: String

  public init(_ kind: Kind, schemaName: String) {
    self.kind = kind
    self.schemaName = schemaName
  }

  /// `name:line: reason`, or `name: reason` when libxml2 gives no line (0).
  public var description: String {
    switch kind {
    case .notXML(let line, let message):
      "\(located(line)) not an XML Schema: \(message)"
    case .documentTypeRefused(let line):
      "\(located(line)) refused: the schema declares a DOCTYPE (entities and DTDs are never processed)"
    case .loadsDocument(let line, let element):
      "\(located(line)) refused: xs:\(element) with a schemaLocation would load another document;"
        + " only self-contained schemas are accepted"
    case .invalidSchema(let line, let message):
      "\(located(line)) not a valid XML Schema: \(message)"
    case .tooLarge(let bytesMax):
      "\(schemaName): refused: more than \(bytesMax) bytes of XML Schema"
    case .file(let error):
      error.description
    case .libxml2(let function):
      "\(schemaName): libxml2 failed in \(function)"
    }
  }

  private func located(_ line: Int) -> String {
    line > 0 ? "\(schemaName):\(line):" : "\(schemaName):"
  }
}

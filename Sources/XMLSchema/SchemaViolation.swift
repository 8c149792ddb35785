/// One way a document fails its schema: the line libxml2 reports and its message.
///
/// `description` is `name:line: message`, or `name: message` for a problem of the whole document (line 0),
/// where the name is the one given to `XMLSchema.validate(_:name:)`.
public struct SchemaViolation: Sendable, Equatable, CustomStringConvertible {
  /// The document's name as given to `validate`, for messages.
  public let documentName: String
  /// The 1-based line of the element at fault, or 0 for the whole document.
  public let line: Int
  /// libxml2's message without its trailing line feed, or Settle's own for a refusal.
  public let message: String

  public init(documentName: String, line: Int, message: String) {
    self.documentName = documentName
    self.line = line
    self.message = message
  }

  public var description: String {
    line > 0 ? "\(documentName):\(line): \(message)" : "\(documentName): \(message)"
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Files
import Testing
import XMLSchema

/// Documents that try to make libxml2 expand entities, read files or reach the network, and errors that
/// libxml2 would print.
@Suite struct HostileDocumentTests {
  static let refusal = "refused: the document declares a DOCTYPE (entities and DTDs are never processed)"

  @Test func anExternalEntityNamingALocalFileIsRefusedUnread() throws {
    let schema = try PayoutSchema.compiled()
    let directory = try PayoutSchema.temporaryDirectory()
    let secret = directory + "/secret.txt"
    try AtomicFile.write(Array("SECRET-NAME-7431".utf8), to: secret)
    let document = """
      <?xml version="1.0"?>
      <!DOCTYPE Batch [<!ENTITY name SYSTEM "file://\(secret)">]>
      <Batch xmlns="urn:settle:test"><Payout Ccy="EUR"><Name>&name;</Name><Amount>1</Amount></Payout></Batch>
      """
    let violations = schema.validate(Array(document.utf8), name: "xxe.xml")
    #expect(violations.map(\.description) == ["xxe.xml:2: \(HostileDocumentTests.refusal)"])
    #expect(!violations.contains { $0.message.contains("SECRET") })
  }

  @Test func billionLaughsIsRefusedBeforeAnyExpansion() throws {
    let schema = try PayoutSchema.compiled()
    var entities = "<!ENTITY lol0 \"lol\">"
    for level in 1...12 {
      entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
    }
    let document = "<!DOCTYPE Batch [\(entities)]><Batch xmlns=\"urn:settle:test\">&lol12;</Batch>"
    #expect(
      schema.validate(Array(document.utf8), name: "lol.xml").map(\.description) == [
        "lol.xml:1: \(HostileDocumentTests.refusal)"
      ])
  }

  @Test func anExternalDTDURLIsRefused() throws {
    let schema = try PayoutSchema.compiled()
    let document = "<?xml version=\"1.0\"?>\n\n<!DOCTYPE Batch SYSTEM \"http://127.0.0.1:9/evil.dtd\">\n<Batch/>"
    #expect(
      schema.validate(Array(document.utf8), name: "dtd.xml").map(\.description) == [
        "dtd.xml:3: \(HostileDocumentTests.refusal)"
      ])
  }

  @Test func anUndeclaredEntityIsNotWellFormed() throws {
    let schema = try PayoutSchema.compiled()
    let document = "<Batch xmlns=\"urn:settle:test\">&name;</Batch>"
    #expect(
      schema.validate(Array(document.utf8), name: "entity.xml").map(\.description) == [
        "entity.xml:1: not well-formed XML: Entity 'name' not defined"
      ])
  }

  @Test func predefinedEntitiesAndCharacterReferencesAreRead() throws {
    let schema = try PayoutSchema.compiled()
    let payout = "<Payout Ccy=\"EUR\"><Name>M&amp;S &lt;&#233;&gt; &apos;&quot;</Name><Amount>1</Amount></Payout>"
    #expect(schema.validate(PayoutSchema.batch([payout]), name: "entities.xml") == [])
  }

  @Test func libxml2PrintsNothingToStandardError() throws {
    let schema = try PayoutSchema.compiled()
    let directory = try PayoutSchema.temporaryDirectory()
    let captured = try Self.standardError(to: directory + "/stderr.txt") {
      _ = schema.validate(Array("<Batch xmlns=\"urn:settle:test\">\n<Payout>\n</Batch>".utf8), name: "a.xml")
      _ = schema.validate(PayoutSchema.batch(["<Other/>"]), name: "b.xml")
      _ = try? XMLSchema(xsd: Array("<xs:schema".utf8), name: "c.xsd")
    }
    // Swift Testing may report other tests' progress meanwhile; libxml2's own lines would name these inputs.
    #expect(!captured.contains("a.xml"))
    #expect(!captured.contains("b.xml"))
    #expect(!captured.contains("c.xsd"))
    #expect(!captured.contains("error"))
  }

  /// What was written to file descriptor 2 while `body` ran.
  private static func standardError(to path: String, _ body: () throws -> Void) throws -> String {
    fflush(nil)
    let saved = dup(2)
    let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    try #require(saved >= 0 && file >= 0)
    dup2(file, 2)
    close(file)
    defer {
      fflush(nil)
      dup2(saved, 2)
      close(saved)
    }
    try body()
    fflush(nil)
    return String(decoding: try FileReader.readAll(path: path, bytesMax: 1 << 20), as: UTF8.self)
  }
}

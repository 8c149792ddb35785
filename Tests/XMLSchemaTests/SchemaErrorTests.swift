import Files
import Testing
import XMLSchema

/// Schemas that cannot be compiled: each error names the schema and the line.
@Suite struct SchemaErrorTests {
  static let schemaNamespace = "xmlns:xs=\"http://www.w3.org/2001/XMLSchema\""

  @Test func theTinySchemaCompiles() throws {
    let schema = try XMLSchema(xsd: Array(PayoutSchema.xsd.utf8), name: "payout.xsd")
    #expect(schema.name == "payout.xsd")
  }

  @Test(arguments: [
    ("<xs:schema", "bad.xsd:1: not an XML Schema: Namespace prefix xs on schema is not defined"),
    (
      "<xs:schema \(schemaNamespace)>\n<xs:element name=\"A\">\n</xs:schema>",
      "bad.xsd:3: not an XML Schema: Opening and ending tag mismatch: element line 2 and schema"
    ),
    ("", "bad.xsd:1: not an XML Schema: Document is empty"),
    (
      "<xs:schema \(schemaNamespace)>\n<xs:element name=\"A\" type=\"Nope\"/>\n</xs:schema>",
      "bad.xsd:2: not a valid XML Schema: element decl. 'A', attribute 'type': The QName value 'Nope' does not"
        + " resolve to a(n) type definition."
    ),
    (
      "<xs:schema \(schemaNamespace)>\n\n<xs:element/>\n</xs:schema>",
      "bad.xsd:3: not a valid XML Schema: Element '{http://www.w3.org/2001/XMLSchema}element': The attribute"
        + " 'name' is required but missing."
    ),
    ("<notASchema/>", "bad.xsd: not a valid XML Schema: The XML document 'bad.xsd' is not a schema document."),
  ])
  func aBrokenSchemaIsAnErrorNamingSchemaAndLine(xsd: String, message: String) throws {
    let error = #expect(throws: SchemaError.self) { try XMLSchema(xsd: Array(xsd.utf8), name: "bad.xsd") }
    #expect(error?.description == message)
  }

  @Test func aSchemaWithADoctypeIsRefused() throws {
    let xsd = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<xs:schema/>"
    let error = #expect(throws: SchemaError.self) { try XMLSchema(xsd: Array(xsd.utf8), name: "dtd.xsd") }
    #expect(error == SchemaError(.documentTypeRefused(line: 2), schemaName: "dtd.xsd"))
    #expect(
      error?.description
        == "dtd.xsd:2: refused: the schema declares a DOCTYPE (entities and DTDs are never processed)")
  }

  @Test(arguments: ["include", "import", "redefine"])
  func aSchemaThatLoadsAnotherIsRefused(element: String) throws {
    let xsd =
      "<xs:schema \(Self.schemaNamespace)>\n\n<xs:\(element) schemaLocation=\"http://127.0.0.1:9/other.xsd\"/>\n"
      + "</xs:schema>"
    let error = #expect(throws: SchemaError.self) { try XMLSchema(xsd: Array(xsd.utf8), name: "loads.xsd") }
    #expect(
      error?.description == "loads.xsd:3: refused: xs:\(element) with a schemaLocation would load another document;"
        + " only self-contained schemas are accepted")
  }

  @Test func anImportOfANamespaceAloneLoadsNothingAndCompiles() throws {
    let xsd =
      "<xs:schema \(Self.schemaNamespace)>\n<xs:import namespace=\"http://www.w3.org/XML/1998/namespace\"/>\n"
      + "<xs:element name=\"A\" type=\"xs:string\"/>\n</xs:schema>"
    let schema = try XMLSchema(xsd: Array(xsd.utf8), name: "import.xsd")
    #expect(schema.validate(Array("<A>x</A>".utf8), name: "a.xml") == [])
  }

  @Test func aSchemaOverTheSizeLimitIsRefusedUnread() throws {
    let xsd = [UInt8](repeating: UInt8(ascii: " "), count: XMLSchema.schemaBytesMax + 1)
    let error = #expect(throws: SchemaError.self) { try XMLSchema(xsd: xsd, name: "big.xsd") }
    #expect(error?.description == "big.xsd: refused: more than 4194304 bytes of XML Schema")
  }

  @Test func aSchemaAtTheSizeLimitCompiles() throws {
    var xsd = Array(PayoutSchema.xsd.utf8)
    xsd.append(contentsOf: [UInt8](repeating: UInt8(ascii: "\n"), count: XMLSchema.schemaBytesMax - xsd.count))
    let schema = try XMLSchema(xsd: xsd, name: "big.xsd")
    #expect(schema.validate(PayoutSchema.batch([PayoutSchema.goodPayout]), name: "batch.xml") == [])
  }

  @Test func aSchemaFileOverTheSizeLimitIsRefused() throws {
    let directory = try PayoutSchema.temporaryDirectory()
    let path = directory + "/big.xsd"
    try AtomicFile.write([UInt8](repeating: UInt8(ascii: " "), count: XMLSchema.schemaBytesMax + 1), to: path)
    let error = #expect(throws: SchemaError.self) { try XMLSchema(path: path) }
    #expect(error?.description == "\(path): cannot read: larger than the limit of 4194304 bytes")
  }
}

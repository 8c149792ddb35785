import Files
import Testing
import XMLSchema

/// Validating documents against the tiny payout schema: exact lines and libxml2's exact messages.
@Suite struct ValidationTests {
  @Test func aValidDocumentHasNoViolations() throws {
    let schema = try PayoutSchema.compiled()
    let document = PayoutSchema.batch([PayoutSchema.goodPayout, PayoutSchema.goodPayout])
    #expect(schema.validate(document, name: "batch.xml") == [])
  }

  @Test func aMissingElementIsAViolationOnItsParentsLine() throws {
    let schema = try PayoutSchema.compiled()
    let document = PayoutSchema.batch([
      PayoutSchema.goodPayout, "<Payout Ccy=\"USD\"><Amount>1</Amount></Payout>",
    ])
    #expect(
      schema.validate(document, name: "batch.xml").map(\.description) == [
        "batch.xml:4: Element '{urn:settle:test}Amount': This element is not expected."
          + " Expected is ( {urn:settle:test}Name )."
      ])
  }

  @Test func everyViolationIsListedInDocumentOrder() throws {
    let schema = try PayoutSchema.compiled()
    let document = PayoutSchema.batch([
      "<Payout Ccy=\"eur\">", "<Name>\(String(repeating: "x", count: 36))</Name>", "<Amount>-1.505</Amount>",
      "</Payout>", "<Other/>",
    ])
    let violations = schema.validate(document, name: "batch.xml")
    #expect(
      violations == [
        SchemaViolation(
          documentName: "batch.xml", line: 3,
          message: "Element '{urn:settle:test}Payout', attribute 'Ccy': [facet 'pattern'] The value 'eur'"
            + " is not accepted by the pattern '[A-Z]{3}'."),
        SchemaViolation(
          documentName: "batch.xml", line: 4,
          message: "Element '{urn:settle:test}Name': [facet 'maxLength'] The value has a length of '36';"
            + " this exceeds the allowed maximum length of '35'."),
        SchemaViolation(
          documentName: "batch.xml", line: 5,
          message: "Element '{urn:settle:test}Amount': [facet 'minInclusive'] The value '-1.505' is less than"
            + " the minimum value allowed ('0')."),
        SchemaViolation(
          documentName: "batch.xml", line: 5,
          message: "Element '{urn:settle:test}Amount': [facet 'fractionDigits'] The value '-1.505' has more"
            + " fractional digits than are allowed ('2')."),
        SchemaViolation(
          documentName: "batch.xml", line: 7,
          message: "Element '{urn:settle:test}Other': This element is not expected."
            + " Expected is ( {urn:settle:test}Payout )."),
      ])
  }

  @Test func aNameAtTheLimitIsValid() throws {
    let schema = try PayoutSchema.compiled()
    let name = String(repeating: "x", count: 35)
    let document = PayoutSchema.batch(["<Payout Ccy=\"EUR\"><Name>\(name)</Name><Amount>0</Amount></Payout>"])
    #expect(schema.validate(document, name: "batch.xml") == [])
  }

  @Test func aDocumentInAnotherNamespaceHasNoRootDeclaration() throws {
    let schema = try PayoutSchema.compiled()
    let violations = schema.validate(Array("<Batch xmlns=\"urn:other\"/>".utf8), name: "other.xml")
    #expect(
      violations.map(\.description) == [
        "other.xml:1: Element '{urn:other}Batch': No matching global declaration available for the validation root."
      ])
  }

  @Test func notWellFormedXMLIsOneViolation() throws {
    let schema = try PayoutSchema.compiled()
    let document = Array("<Batch xmlns=\"urn:settle:test\">\n<Payout>\n</Batch>\n<Batch>".utf8)
    #expect(
      schema.validate(document, name: "broken.xml").map(\.description) == [
        "broken.xml:3: not well-formed XML: Opening and ending tag mismatch: Payout line 2 and Batch"
      ])
  }

  @Test func anEmptyDocumentIsOneViolation() throws {
    let schema = try PayoutSchema.compiled()
    #expect(
      schema.validate([], name: "empty.xml").map(\.description) == [
        "empty.xml:1: not well-formed XML: Document is empty"
      ])
  }

  @Test func aDocumentAtTheSizeLimitIsRead() throws {
    let schema = try PayoutSchema.compiled()
    // Filled with 1 MiB comments: without XML_PARSE_HUGE libxml2 refuses some long runs free of markup itself.
    var document = PayoutSchema.batch([PayoutSchema.goodPayout])
    document.reserveCapacity(XMLSchema.documentBytesMax)
    let comment = Array("<!--".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20) + Array("-->\n".utf8)
    while document.count + comment.count <= XMLSchema.documentBytesMax { document.append(contentsOf: comment) }
    let lastCommentBytes = XMLSchema.documentBytesMax - document.count - 8
    document +=
      Array("<!--".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: lastCommentBytes) + Array("-->\n".utf8)
    #expect(document.count == XMLSchema.documentBytesMax)
    #expect(schema.validate(document, name: "big.xml") == [])
  }

  @Test func aDocumentOverTheSizeLimitIsRefusedUnread() throws {
    let schema = try PayoutSchema.compiled()
    let document = [UInt8](repeating: UInt8(ascii: "<"), count: XMLSchema.documentBytesMax + 1)
    #expect(
      schema.validate(document, name: "big.xml").map(\.description) == [
        "big.xml: refused: more than 67108864 bytes of XML"
      ])
  }

  @Test func violationsPastTheLimitAreCounted() throws {
    let schema = try PayoutSchema.compiled()
    let bad = "<Payout Ccy=\"EUR\"><Name>A</Name><Amount>-1</Amount></Payout>"
    let count = XMLSchema.violationsMax + 5
    let violations = schema.validate(PayoutSchema.batch(Array(repeating: bad, count: count)), name: "many.xml")
    #expect(violations.count == XMLSchema.violationsMax + 1)
    #expect(violations[XMLSchema.violationsMax - 1].line == XMLSchema.violationsMax + 2)
    #expect(
      violations.last?.description == "many.xml:\(XMLSchema.violationsMax + 3): 5 more violations not listed"
        + " (violationsMax \(XMLSchema.violationsMax))")
  }

  @Test func violationsAtTheLimitAreAllListed() throws {
    let schema = try PayoutSchema.compiled()
    let bad = "<Payout Ccy=\"EUR\"><Name>A</Name><Amount>-1</Amount></Payout>"
    let batch = PayoutSchema.batch(Array(repeating: bad, count: XMLSchema.violationsMax))
    let violations = schema.validate(batch, name: "many.xml")
    #expect(violations.count == XMLSchema.violationsMax)
    #expect(violations.allSatisfy { $0.message.contains("[facet 'minInclusive']") })
  }

  @Test func oneSchemaValidatesOnManyThreadsAtOnce() async throws {
    let schema = try PayoutSchema.compiled()
    let good = PayoutSchema.batch(Array(repeating: PayoutSchema.goodPayout, count: 200))
    let bad = PayoutSchema.batch(["<Payout Ccy=\"usd\"><Name>A</Name><Amount>1</Amount></Payout>"])
    let counts = await withTaskGroup(of: (Int, Int).self) { group in
      for _ in 0..<16 {
        group.addTask {
          (schema.validate(good, name: "good.xml").count, schema.validate(bad, name: "bad.xml").count)
        }
      }
      return await group.reduce(into: []) { $0.append($1) }
    }
    #expect(counts.count == 16)
    #expect(counts.allSatisfy { $0 == (0, 1) })
  }

  @Test func aSchemaFileIsReadFromItsPath() throws {
    let directory = try PayoutSchema.temporaryDirectory()
    try AtomicFile.write(Array(PayoutSchema.xsd.utf8), to: directory + "/payout.xsd")
    let schema = try XMLSchema(path: directory + "/payout.xsd")
    #expect(schema.name == directory + "/payout.xsd")
    #expect(schema.validate(PayoutSchema.batch([PayoutSchema.goodPayout]), name: "batch.xml") == [])
  }

  @Test func aMissingSchemaFileIsAnErrorNamingThePath() throws {
    let directory = try PayoutSchema.temporaryDirectory()
    let error = #expect(throws: SchemaError.self) { try XMLSchema(path: directory + "/missing.xsd") }
    #expect(error?.description == "\(directory)/missing.xsd: cannot open: No such file or directory")
  }
}

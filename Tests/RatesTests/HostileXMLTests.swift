import Files
import Rates
import Testing

/// Documents that try to make the parser expand entities, read files or reach the network.
@Suite struct HostileXMLTests {
  static let refusal = "feed: refused: the document declares a DTD (entities and external DTDs are never processed)"

  @Test func billionLaughsIsRefusedBeforeAnyExpansion() throws {
    var entities = "<!ENTITY lol0 \"lol\">"
    for level in 1...12 {
      entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
    }
    let document =
      "<?xml version=\"1.0\"?><!DOCTYPE Envelope [\(entities)]><Envelope><Cube><Cube time='2026-10-30'>"
      + "<Cube currency='USD' rate='1.1'/></Cube></Cube><x>&lol12;</x></Envelope>"
    let error = #expect(throws: RatesError.self) { try ECBFeed.parse(Array(document.utf8), source: "feed") }
    #expect(error?.description == HostileXMLTests.refusal)
  }

  @Test func anExternalEntityNamingALocalFileIsRefused() throws {
    let directory = try Fixtures.temporaryDirectory()
    let secret = directory + "/secret.txt"
    try AtomicFile.write(Array("2026-10-30".utf8), to: secret)
    let document = """
      <?xml version="1.0"?>
      <!DOCTYPE Envelope [<!ENTITY day SYSTEM "file://\(secret)">]>
      <Envelope><Cube><Cube time='&day;'><Cube currency='USD' rate='1.1'/></Cube></Cube></Envelope>
      """
    let error = #expect(throws: RatesError.self) { try ECBFeed.parse(Array(document.utf8), source: "feed") }
    #expect(error?.description == HostileXMLTests.refusal)
  }

  @Test func anExternalDTDURLIsRefused() throws {
    let document = """
      <?xml version="1.0"?>
      <!DOCTYPE Envelope SYSTEM "http://127.0.0.1:9/evil.dtd">
      <Envelope><Cube><Cube time='2026-10-30'><Cube currency='USD' rate='1.1'/></Cube></Cube></Envelope>
      """
    let error = #expect(throws: RatesError.self) { try ECBFeed.parse(Array(document.utf8), source: "feed") }
    #expect(error?.description == HostileXMLTests.refusal)
  }

  @Test func anUndeclaredEntityIsNotXML() throws {
    let document = "<Envelope><Cube><Cube time='&day;'><Cube currency='USD' rate='1.1'/></Cube></Cube></Envelope>"
    let error = #expect(throws: RatesError.self) { try ECBFeed.parse(Array(document.utf8), source: "feed") }
    #expect(error?.description.hasPrefix("feed:1: not an ECB XML feed: Entity 'day' not defined") == true)
  }

  @Test func nestingDeeperThanTheLimitIsRefused() throws {
    let depth = ECBFeed.depthMax + 1
    let document = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
    let error = #expect(throws: RatesError.self) { try ECBFeed.parse(Array(document.utf8), source: "feed") }
    #expect(error?.description == "feed:1: refused: elements nested deeper than \(ECBFeed.depthMax)")
  }

  @Test func nestingAtTheLimitIsAccepted() throws {
    // The ECB's own layout sits at depth 4; padding to the limit still parses.
    let padding = ECBFeed.depthMax - 4
    let inner = "<Cube><Cube time='2026-10-30'><Cube currency='USD' rate='1.1'/></Cube></Cube>"
    let document =
      "<Envelope>" + String(repeating: "<p>", count: padding) + inner
      + String(repeating: "</p>", count: padding) + "</Envelope>"
    #expect(try ECBFeed.parse(Array(document.utf8), source: "feed").count == 1)
  }
}

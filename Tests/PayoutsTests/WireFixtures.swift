import BankDetails
import Countries
import Dates
import Files
import Money
import Payouts
import XMLSchema

/// Messages for the pain.001 tests, the schemas read from disk, and a reading of the written text that does
/// not use the writer's own arithmetic.
enum WireFixtures {
  static let repositoryRoot: String = {
    var path = #filePath
    for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
    return path
  }()
  static let sharedSchemasDirectory = repositoryRoot + "/../shared/schemas"
  static let goldenDirectory = repositoryRoot + "/Tests/PayoutsTests/Golden"

  static func bytes(_ path: String) throws -> [UInt8] { try FileReader.readAll(path: path, bytesMax: 16 << 20) }

  /// The reference XSDs in /work/shared, compiled from the files, not from the embedded copies.
  private static let sharedSchemas = Result { () throws(SchemaError) -> [WireFormat: XMLSchema] in
    var schemas: [WireFormat: XMLSchema] = [:]
    for format in WireFormat.allCases {
      schemas[format] = try XMLSchema(path: sharedSchemasDirectory + "/\(format.rawValue).xsd")
    }
    return schemas
  }

  static func sharedSchema(_ format: WireFormat) throws -> XMLSchema {
    guard let schema = try sharedSchemas.get()[format] else {
      throw SchemaError(.libxml2(function: "test"), schemaName: "")
    }
    return schema
  }

  /// Violations of the document against the shared XSD file and against the embedded copy; both must agree.
  static func violations(_ document: [UInt8], _ format: WireFormat) throws -> (shared: [String], embedded: [String]) {
    let shared = try sharedSchema(format).validate(document, name: "wire.xml").map(\.description)
    let embedded = Pain001Writer.validate(document, format: format, name: "wire.xml").map(\.description)
    return (shared, embedded)
  }

  static func currency(_ code: String) throws -> Currency { try Currency(code: code) }
  static func country(_ code: String) throws -> Country { try Country(code: code) }
  static func money(_ text: String, _ code: String) throws -> Money {
    try Money(parsing: text, currency: currency(code))
  }

  static func debtor() throws -> WireDebtor {
    WireDebtor(
      name: "Settle Treasury Überweisungen GmbH", iban: try IBAN("DE89 3704 0044 0532 0130 00"),
      bic: try BIC("COBADEFFXXX"), country: try country("DE"), accountCurrency: try currency("EUR"))
  }

  static func transfer(
    _ id: String, _ amount: String, _ code: String, name: String = "Anna Schmidt",
    account: CreditorAccount? = nil, agent: String = "INGDDEFFXXX", address: PostalAddress? = nil,
    remittance: String? = nil
  ) throws -> WireTransfer {
    WireTransfer(
      endToEndID: id, amount: try money(amount, code), creditorName: name,
      creditorAddress: try address
        ?? PostalAddress(line: "Hauptstraße 5", city: "Köln", postalCode: "50667", country: country("DE")),
      creditorAccount: try account ?? .iban(IBAN("DE44500105175407324931")), creditorAgent: try BIC(agent),
      remittanceInformation: remittance ?? "Alibaba.com Affiliate Program commission 2026-10 \(id)")
  }

  static func message(_ format: WireFormat, _ transfers: [WireTransfer], messageID: String = "SETTLE-2026-10-0001")
    throws -> WireMessage
  {
    WireMessage(
      format: format, messageID: messageID, createdAt: try Timestamp("2026-11-02T09:00:00Z"),
      executionDate: try Day("2026-11-04"), debtor: try debtor(), transfers: transfers)
  }

  /// The golden message: four currencies given out of order, SEPA and non-SEPA euro accounts, names in
  /// several scripts, characters that need escaping, an address with every part and one with none.
  static func goldenMessage(_ format: WireFormat) throws -> WireMessage {
    try message(
      format,
      [
        transfer(
          "AFF0042-2026-10", "1234.50", "EUR", name: "Zoë Ærøskøbing-Müller",
          account: .iban(IBAN("FR1420041010050500013M02606")), agent: "BNPAFRPPXXX",
          address: PostalAddress(line: "12 Rue de l'Église", city: "Paris", postalCode: "75001", country: country("FR"))
        ),
        transfer(
          "AFF0107-2026-10", "88.00", "USD", name: "Иван Petrov & Co. <Trading>",
          account: .other(accountNumber: "000123456789"), agent: "CHASUS33",
          address: PostalAddress(
            line: "350 Fifth Avenue", city: "New York", postalCode: "NY 10118", country: country("US")),
          remittance: "Alibaba.com Affiliate Program commission 2026-10 AFF0107 \"Q4\" @promo"),
        transfer(
          "AFF0311-2026-10", "19465", "JPY", name: "山田太郎",
          account: .other(accountNumber: "1234567"), agent: "MHCBJPJT",
          address: PostalAddress(country: country("JP"))),
        transfer(
          "AFF0042-BONUS", "0.01", "EUR", name: "Łukasz Żółć",
          account: .iban(IBAN("CH9300762011623852957")), agent: "UBSWCHZH80A",
          address: PostalAddress(line: "Bahnhofstrasse 1", city: "Zürich", postalCode: "8001", country: country("CH"))),
        transfer(
          "AFF0999-2026-10", "310.25", "GBP", name: "O'Brien's Café",
          account: .iban(IBAN("GB29NWBK60161331926819")), agent: "NWBKGB2L",
          address: PostalAddress(line: "1 High St", city: "London", postalCode: "SW1A 1AA", country: country("GB"))),
      ])
  }

  /// What the text says, read with plain string handling: each `<tag>value</tag>` on its own line.
  static func values(_ tag: String, in document: [UInt8]) -> [String] {
    let text = String(decoding: document, as: UTF8.self)
    return text.split(separator: "\n").compactMap { line in
      let trimmed = line.drop { $0 == " " }
      guard trimmed.hasPrefix("<\(tag)>") || trimmed.hasPrefix("<\(tag) "), trimmed.hasSuffix("</\(tag)>") else {
        return nil
      }
      guard let start = trimmed.firstIndex(of: ">") else { return nil }
      return String(trimmed[trimmed.index(after: start)..<trimmed.index(trimmed.endIndex, offsetBy: -(tag.count + 3))])
    }
  }

  /// The lines of the document between each `<tag>` and its `</tag>`, one array per element.
  static func elements(_ tag: String, in document: [UInt8]) -> [[UInt8]] {
    let lines = String(decoding: document, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    var blocks: [[UInt8]] = []
    var current: [Substring]?
    for line in lines {
      let trimmed = line.drop { $0 == " " }
      if trimmed == "<\(tag)>" { current = [] }
      current?.append(line)
      if trimmed == "</\(tag)>", let finished = current {
        blocks.append(Array(finished.joined(separator: "\n").utf8))
        current = nil
      }
    }
    return blocks
  }

  /// A decimal text as an integer count of 10^-`scale`, by digit arithmetic: `"12.5"`, 5 → 1250000.
  static func units(_ text: String, scale: Int) -> Int128? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), let whole = Int128(parts[0]) else { return nil }
    let fraction = parts.count == 2 ? String(parts[1]) : ""
    guard fraction.count <= scale, fraction.allSatisfy(\.isASCII), fraction.allSatisfy(\.isNumber) else { return nil }
    var value = whole
    for _ in 0..<scale { value *= 10 }
    var fractionValue = Int128(0)
    for digit in fraction.padding(scale) { fractionValue = fractionValue * 10 + Int128(digit.wholeNumberValue ?? 0) }
    return parts[0].hasPrefix("-") ? value - fractionValue : value + fractionValue
  }
}

extension String {
  /// The text padded with zeros on the right to `count` characters.
  fileprivate func padding(_ count: Int) -> String {
    self + String(repeating: "0", count: Swift.max(0, count - self.count))
  }
}

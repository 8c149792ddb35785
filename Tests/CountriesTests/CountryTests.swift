import Countries
import Testing

/// Looks a code up through the byte-level hot path that file readers use.
private func lookedUp(_ code: String) -> Country? {
  var code = code
  return code.withUTF8 { Country.lookup($0) }
}

private let capitals = (65...90).map { Character(Unicode.Scalar(UInt8($0))) }

@Suite("Country")
struct CountryTests {
  // MARK: Lookup

  @Test("an assigned code gives its alpha-3 code, numeric code and name")
  func assigned() throws {
    let germany = try Country(code: "DE")
    #expect(germany.code == "DE")
    #expect(germany.alpha3 == "DEU")
    #expect(germany.numericCode == 276)
    #expect(germany.name == "Germany")
    #expect(germany.description == "DE")
    #expect(germany.packedCode == 0x4445)
    #expect(lookedUp("DE") == germany)
    #expect(Country.isAssigned("DE"))
  }

  @Test(
    "first, last and awkward rows of the table",
    arguments: [
      ("AD", "AND", 20, "Andorra"),
      ("ZW", "ZWE", 716, "Zimbabwe"),
      ("US", "USA", 840, "United States"),
      ("NA", "NAM", 516, "Namibia"),
      ("AX", "ALA", 248, "Åland Islands"),
      ("CI", "CIV", 384, "Côte d'Ivoire"),
      ("KR", "KOR", 410, "Korea, Republic of"),
      ("GB", "GBR", 826, "United Kingdom"),
      ("CN", "CHN", 156, "China"),
      ("IN", "IND", 356, "India"),
      ("NG", "NGA", 566, "Nigeria"),
    ] as [(String, String, UInt16, String)])
  func rows(alpha2: String, alpha3: String, numericCode: UInt16, name: String) throws {
    let country = try Country(code: alpha2)
    #expect(country.code == alpha2)
    #expect(country.alpha3 == alpha3)
    #expect(country.numericCode == numericCode)
    #expect(country.name == name)
  }

  @Test(
    "anything that is not two capital letters is refused as such",
    arguments: [
      "usa", "USA", "us", "Us", "uS", "U", "", "U ", " U", "U1", "12", "DE\n", "ÅX", "Ü", "D-", "@A", "[A", "A@", "A[",
    ])
  func notTwoCapitals(code: String) {
    let error = #expect(throws: CountryError.self) { try Country(code: code) }
    #expect(error?.code == code)
    #expect(error?.description == "country \"\(code)\" is not two capital letters")
    #expect(lookedUp(code) == nil)
    #expect(!Country.isAssigned(code))
  }

  @Test(
    "two capital letters that are not an assigned code are refused as such",
    arguments: ["XX", "AA", "ZZ", "UK", "EU", "XK", "EL", "AN", "YU", "CS"])
  func unassigned(code: String) {
    let error = #expect(throws: CountryError.self) { try Country(code: code) }
    #expect(error?.code == code)
    #expect(error?.description == "country \"\(code)\" is not an ISO 3166-1 alpha-2 code")
    #expect(lookedUp(code) == nil)
    #expect(!Country.isAssigned(code))
  }

  @Test("the exact messages")
  func messages() {
    #expect(CountryError(code: "usa").description == "country \"usa\" is not two capital letters")
    #expect(CountryError(code: "XX").description == "country \"XX\" is not an ISO 3166-1 alpha-2 code")
    #expect(throws: CountryError(code: "XX")) { try Country(code: "XX") }
    #expect(throws: CountryError(code: "usa")) { try Country(code: "usa") }
  }

  // MARK: The whole table

  @Test("every one of the 676 two-capital codes: lookup, init and isAssigned agree with all")
  func everyTwoCapitalCode() throws {
    let assigned = Set(Country.all.map(\.code))
    var found = 0
    for first in capitals {
      for second in capitals {
        let code = String([first, second])
        let byBytes = lookedUp(code)
        #expect((byBytes != nil) == assigned.contains(code), "\(code)")
        #expect(Country.isAssigned(code) == assigned.contains(code), "\(code)")
        if let byBytes {
          found += 1
          #expect(try Country(code: code) == byBytes)
          #expect(byBytes.code == code)
        } else {
          #expect(throws: CountryError(code: code)) { try Country(code: code) }
        }
      }
    }
    #expect(found == 249)
  }

  @Test("all holds the 249 assigned codes once each, sorted, with distinct alpha-3 and numeric codes")
  func all() {
    let all = Country.all
    #expect(all.count == 249)
    #expect(all == all.sorted())
    #expect(zip(all, all.dropFirst()).allSatisfy { $0.code < $1.code })
    #expect(Set(all.map(\.alpha3)).count == all.count)
    #expect(Set(all.map(\.numericCode)).count == all.count)
    #expect(all.allSatisfy { $0.alpha3.utf8.count == 3 && $0.alpha3.utf8.allSatisfy { (65...90).contains($0) } })
    #expect(all.allSatisfy { (1...999).contains($0.numericCode) })
    #expect(all.allSatisfy { !$0.name.isEmpty })
  }

  @Test("ordering and equality follow the alpha-2 code")
  func ordering() throws {
    let austria = try Country(code: "AT")
    let australia = try Country(code: "AU")
    #expect(austria < australia)
    #expect(!(australia < austria))
    #expect(austria == (try Country(code: "AT")))
    #expect(austria != australia)
    #expect(Set([austria, australia, try Country(code: "AT")]).count == 2)
  }
}

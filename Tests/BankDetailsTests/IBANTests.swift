import BankDetails
import Countries
import Testing

/// Published example IBANs (the IBAN registry's and the banks' own), one per country, with the country's SEPA
/// membership as the registry gives it. Each is checked against the independent reference before it is used.
private let examples: [(iban: String, isSEPA: Bool)] = [
  ("DE89370400440532013000", true), ("GB29NWBK60161331926819", true), ("FR1420041010050500013M02606", true),
  ("NL91ABNA0417164300", true), ("BE68539007547034", true), ("CH9300762011623852957", true),
  ("ES9121000418450200051332", true), ("IT60X0542811101000000123456", true), ("NO9386011117947", true),
  ("SA0380000000608010167519", false), ("BR1800360305000010009795493C1", false),
  ("MU17BOMM0101101030300200000MUR", false), ("PL61109010140000071219812874", true),
  ("AT611904300234573201", true), ("DK5000400440116243", true), ("FI2112345600000785", true),
  ("SE4550000000058398257466", true), ("PT50000201231234567890154", true), ("IE29AIBK93115212345678", true),
  ("LU280019400644750000", true), ("CZ6508000000192000145399", true), ("HU42117730161111101800000000", true),
  ("RO49AAAA1B31007593840000", true), ("BG80BNBG96611020345678", true), ("HR1210010051863000160", true),
  ("GR1601101250000000012300695", true), ("CY17002001280000001200527600", true),
  ("MT84MALT011000012345MTLCAST001S", true), ("IS140159260076545510730339", true),
  ("LI21088100002324013AA", true), ("TR330006100519786457841326", false), ("IL620108000000099999999", false),
  ("AE070331234567890123456", false), ("QA58DOHB00001234567890ABCDEFG", false),
  ("KW81CBKU0000000000001234560101", false), ("AD1200012030200359100100", true),
  ("SM86U0322509800000000270100", true), ("EG380019000500000000263180002", false),
  ("UA213223130000026007233566001", false), ("KZ86125KZT5004100100", false), ("MK07250120000058984", false),
  ("AZ21NABZ00000000137010001944", false), ("LC55HEMM000100010012001200023015", false),
  ("SC18SSCB11010000000000001497USD", false), ("BY13NBRB3600900000002Z00AB00", false),
  ("RU0304452522540817810538091310419", false),
]

/// The text with every character at an offset replaced, for the mutations.
private func replacing(_ text: String, at offset: Int, with replacement: Character) -> String {
  var characters = Array(text)
  characters[offset] = replacement
  return String(characters)
}

private func refusal(_ text: String) -> BankDetailsError? {
  #expect(throws: BankDetailsError.self) { try IBAN(text) }
}

@Suite("IBAN")
struct IBANTests {
  // MARK: Published examples

  @Test("the examples are valid by the independent reference", arguments: examples)
  func examplesAreValidByReference(iban: String, isSEPA: Bool) {
    #expect(ReferenceCheckDigits.passes(iban))
    let given = Int(String(Array(iban)[2...3]))
    #expect(
      given == ReferenceCheckDigits.expected(countryCode: String(iban.prefix(2)), bban: String(iban.dropFirst(4))))
  }

  @Test("a published example is accepted, with its country, paper format and SEPA membership", arguments: examples)
  func examplesAccepted(iban: String, isSEPA: Bool) throws {
    let parsed = try IBAN(iban)
    #expect(parsed.electronic == iban)
    #expect(parsed.description == iban)
    #expect(parsed.country.code == String(iban.prefix(2)))
    #expect(parsed.isSEPA == isSEPA)
    #expect(parsed.printed.filter { $0 != " " } == iban)
    let groups = parsed.printed.split(separator: Character(" "))
    #expect(groups.dropLast().allSatisfy { $0.count == 4 })
    #expect((1...4).contains(groups.last?.count ?? 0))
  }

  @Test("paper format in small letters, with spaces anywhere, is accepted as the same IBAN", arguments: examples)
  func paperFormatAccepted(iban: String, isSEPA: Bool) throws {
    let parsed = try IBAN(iban)
    #expect(try IBAN(parsed.printed) == parsed)
    #expect(try IBAN(parsed.printed.lowercased()) == parsed)
    var pairs: [String] = []
    var rest = Substring(iban.lowercased())
    while !rest.isEmpty {
      pairs.append(String(rest.prefix(2)))
      rest = rest.dropFirst(2)
    }
    #expect(try IBAN("  " + pairs.joined(separator: " ") + " ") == parsed)
  }

  @Test("any one digit changed is refused, naming the check digits it should have", arguments: examples)
  func oneDigitChanged(iban: String, isSEPA: Bool) {
    for (offset, character) in iban.enumerated() where offset >= 2 {
      guard let digit = character.wholeNumberValue else { continue }
      for other in 0...9 where other != digit {
        let changed = replacing(iban, at: offset, with: Character(String(other)))
        let expected = ReferenceCheckDigits.expected(
          countryCode: String(changed.prefix(2)), bban: String(changed.dropFirst(4)))
        let given = String(Array(changed)[2...3])
        let error = refusal(changed)
        #expect(error?.reason == "has check digits \(given), expected \(ReferenceCheckDigits.twoDigits(expected))")
      }
    }
  }

  /// Mod 97 catches every swap of two adjacent different characters but one kind: a digit and a letter whose
  /// number is eleven times it (1B, 2M, 3X) stand for the same digits either way round ("111", "222", "333"),
  /// so where the format allows both orders the swap is accepted. ISO 7064 has the same blind spot.
  @Test("two adjacent different characters swapped are refused", arguments: examples)
  func adjacentSwapped(iban: String, isSEPA: Bool) {
    let characters = Array(iban)
    for offset in characters.indices.dropLast() where characters[offset] != characters[offset + 1] {
      var swapped = characters
      swapped.swapAt(offset, offset + 1)
      let pair = String(characters[offset...offset + 1])
      if ReferenceCheckDigits.digits(pair) == ReferenceCheckDigits.digits(String(swapped[offset...offset + 1])) {
        continue
      }
      #expect(refusal(String(swapped))?.value == String(swapped))
    }
  }

  @Test("the swap mod 97 cannot see: 1B and B1 both stand for 111")
  func adjacentSwapBlindSpot() throws {
    let swapped = try IBAN("RO49AAAAB131007593840000")
    #expect(swapped.electronic == "RO49AAAAB131007593840000")
    #expect(ReferenceCheckDigits.passes("RO49AAAAB131007593840000"))
  }

  @Test("one character more or one fewer is refused with the country's length", arguments: examples)
  func wrongLength(iban: String, isSEPA: Bool) {
    let code = iban.prefix(2)
    #expect(
      refusal(iban + "0")?.description
        == "IBAN \"\(iban)0\" is \(iban.count + 1) characters, \(code) IBANs have \(iban.count)")
    #expect(
      refusal(String(iban.dropLast()))?.description
        == "IBAN \"\(iban.dropLast())\" is \(iban.count - 1) characters, \(code) IBANs have \(iban.count)")
  }

  // MARK: Exact messages

  @Test("the exact messages")
  func messages() {
    #expect(
      refusal("DE89 3704 0044 0532 0130 01")?.description
        == "IBAN \"DE89 3704 0044 0532 0130 01\" has check digits 89, expected 62")
    #expect(
      refusal("DE89 3704 0044 0532 0130 0")?.description
        == "IBAN \"DE89 3704 0044 0532 0130 0\" is 21 characters, DE IBANs have 22")
    #expect(
      refusal("DE89 3704 0044 A532 0130 00")?.description
        == "IBAN \"DE89 3704 0044 A532 0130 00\" BBAN character 9 is 'A', expected a digit (DE format 8!n10!n)")
    #expect(
      refusal("GB29 1WBK 6016 1331 9268 19")?.description
        == "IBAN \"GB29 1WBK 6016 1331 9268 19\" BBAN character 1 is '1', expected a capital letter (GB format 4!a6!n8!n)"
    )
    #expect(
      refusal("ZZ89370400440532013000")?.description
        == "IBAN \"ZZ89370400440532013000\" has country code ZZ, which is not in the IBAN registry")
    #expect(
      refusal("US64SVBKUS6S3300958879")?.description
        == "IBAN \"US64SVBKUS6S3300958879\" has country code US, which is not in the IBAN registry")
    #expect(
      refusal("DE89-3704-0044-0532-0130-00")?.description
        == "IBAN \"DE89-3704-0044-0532-0130-00\" has '-' at character 5; an IBAN has only letters, digits and spaces")
    #expect(
      refusal("DE8937040044053201300Ü")?.description
        == "IBAN \"DE8937040044053201300Ü\" has 'Ü' at character 22; an IBAN has only letters, digits and spaces")
    #expect(
      refusal("DE89\t370400440532013000")?.description
        == "IBAN \"DE89\\t370400440532013000\" has a tab at character 5; an IBAN has only letters, digits and spaces")
    #expect(
      refusal("8937040044053201300000")?.description
        == "IBAN \"8937040044053201300000\" does not start with two letters and two check digits")
    #expect(
      refusal("DEX9370400440532013000")?.reason == "does not start with two letters and two check digits")
    #expect(refusal("DE8")?.reason == "does not start with two letters and two check digits")
    #expect(refusal("")?.description == "IBAN \"\" is empty")
    #expect(refusal("    ")?.description == "IBAN \"    \" has only spaces")
  }

  @Test("a valid IBAN with the check digits written as another number with the same remainder is refused")
  func checkDigitAliases() {
    // DE IBANs whose check digits are 02, 97 and 98; 99, 00 and 01 leave the same remainder mod 97.
    for (valid, alias) in [
      ("DE02100100100000000031", "DE99100100100000000031"),
      ("DE97100100100000000067", "DE00100100100000000067"),
      ("DE98100100100000000049", "DE01100100100000000049"),
    ] {
      #expect(ReferenceCheckDigits.passes(valid))
      #expect(ReferenceCheckDigits.passes(alias))
      #expect((try? IBAN(valid))?.electronic == valid)
      let given = String(Array(alias)[2...3])
      let expected = String(Array(valid)[2...3])
      #expect(refusal(alias)?.reason == "has check digits \(given), expected \(expected)")
    }
  }

  // MARK: Limits

  @Test("the text is read up to 64 bytes: 64 are read, 65 are refused unread")
  func textBytesMax() throws {
    #expect(IBAN.textBytesMax == 64)
    let padded = "DE89370400440532013000" + String(repeating: " ", count: 42)
    #expect(padded.utf8.count == 64)
    #expect(try IBAN(padded).electronic == "DE89370400440532013000")
    let error = refusal(padded + " ")
    #expect(error?.reason == "is 65 bytes, more than the 64 read for an IBAN")
    #expect(error?.value == padded + " ")
  }

  @Test("an IBAN has at most 34 characters without spaces: 34 reach the country's length check, 35 do not")
  func bytesMax() {
    #expect(IBAN.bytesMax == 34)
    let thirtyFour = "DE89" + String(repeating: "0", count: 30)
    #expect(refusal(thirtyFour)?.reason == "is 34 characters, DE IBANs have 22")
    #expect(refusal(thirtyFour + "0")?.reason == "is 35 characters, longer than the longest IBAN (34)")
  }

  @Test("a long value is cut in the message after 64 characters, and kept whole in the error")
  func longValueCut() {
    let text = String(repeating: "DE", count: 32) + "ABC"
    let error = refusal(text)
    #expect(error?.value == text)
    #expect(
      error?.description
        == "IBAN \"\(String(repeating: "DE", count: 32))\"… is 67 bytes, more than the 64 read for an IBAN")
    let sixtyFour = String(repeating: "D", count: 64)
    #expect(BankDetailsError(kind: "IBAN", value: sixtyFour, reason: "r").description == "IBAN \"\(sixtyFour)\" r")
    #expect(
      BankDetailsError(kind: "IBAN", value: sixtyFour + "D", reason: "r").description == "IBAN \"\(sixtyFour)\"… r")
  }

  // MARK: Kosovo

  @Test("a valid Kosovo IBAN is refused last, because Country holds only ISO 3166-1 codes")
  func kosovo() {
    #expect(ReferenceCheckDigits.passes("XK051212012345678906"))
    #expect(
      refusal("XK05 1212 0123 4567 8906")?.description
        == "IBAN \"XK05 1212 0123 4567 8906\" has country code XK, which the IBAN registry lists but ISO 3166-1 does not assign"
    )
    #expect(refusal("XK06 1212 0123 4567 8906")?.reason == "has check digits 06, expected 05")
    #expect(refusal("XK05 1212 0123 4567 890")?.reason == "is 19 characters, XK IBANs have 20")
  }

  // MARK: Values

  @Test("equal IBANs are equal values however they were written; different ones are not")
  func equality() throws {
    #expect(try IBAN("de89 3704 0044 0532 0130 00") == IBAN("DE89370400440532013000"))
    #expect(try IBAN("de89 3704 0044 0532 0130 00").hashValue == IBAN("DE89370400440532013000").hashValue)
    #expect(try IBAN("DE89370400440532013000") != IBAN("GB29NWBK60161331926819"))
    #expect(try IBAN("GB29NWBK60161331926819").printed == "GB29 NWBK 6016 1331 9268 19")
    #expect(try IBAN("BE68539007547034").printed == "BE68 5390 0754 7034")
    #expect(try IBAN("NO9386011117947").printed == "NO93 8601 1117 947")
    #expect(try IBAN("DE89370400440532013000").country == Country(code: "DE"))
  }

  @Test(
    "SEPA membership comes from the registry", arguments: [("DE", true), ("CH", true), ("GB", true), ("TR", false)])
  func sepa(code: String, isSEPA: Bool) throws {
    let iban = try #require(examples.first { $0.iban.hasPrefix(code) }).iban
    #expect(try IBAN(iban).isSEPA == isSEPA)
  }
}

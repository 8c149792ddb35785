@testable import BankDetails
import Countries
import Testing

/// One run of a BBAN spec in SWIFT notation, read here without the generator: `12!c` is 12, fixed, c.
private struct Run {
  let count: Int
  let isFixed: Bool
  let kind: Character
}

/// Reads a spec such as `4!a6!n8!n` into runs; an independent reading of what the generator compiles.
private func runs(_ spec: String) -> [Run] {
  var result: [Run] = []
  var count = 0
  var isFixed = false
  for character in spec {
    if let digit = character.wholeNumberValue {
      count = count * 10 + digit
    } else if character == "!" {
      isFixed = true
    } else {
      result.append(Run(count: count, isFixed: isFixed, kind: character))
      count = 0
      isFixed = false
    }
  }
  return result
}

/// A BBAN that fills a spec: digits counting up for n, letters for a, and for c letters or digits by choice.
private func filledBBAN(_ spec: String, lettersForC: Bool) -> String {
  var bban = ""
  for run in runs(spec) {
    for index in 0..<run.count {
      let digit = Character(String((bban.count + index) % 10))
      let letter = Character(Unicode.Scalar(UInt8(65 + (bban.count * 7 + index * 3) % 26)))
      switch run.kind {
      case "n": bban.append(digit)
      case "a": bban.append(letter)
      default: bban.append(lettersForC ? letter : digit)
      }
    }
  }
  return bban
}

private func registryIBAN(_ entry: IBANRegistry.Entry, lettersForC: Bool) -> String {
  let code = entry.countryCode.description
  let bban = filledBBAN(entry.bbanFormat.description, lettersForC: lettersForC)
  return code + ReferenceCheckDigits.twoDigits(ReferenceCheckDigits.expected(countryCode: code, bban: bban)) + bban
}

@Suite("IBAN registry")
struct IBANRegistryTests {
  @Test("the table has every row of the registry, sorted and fixed-length")
  func table() {
    let codes = IBANRegistry.entries.map(\.countryCode.description)
    #expect(codes.count == 127)
    #expect(codes == codes.sorted())
    #expect(codes.first == "AD")
    #expect(codes.last == "YT")
    #expect(IBANRegistry.entries.allSatisfy { $0.ibanLength >= 15 && $0.ibanLength <= IBAN.bytesMax })
  }

  @Test(
    "rows as the registry has them",
    arguments: [
      ("DE", 22, "8!n10!n", true), ("GB", 22, "4!a6!n8!n", true), ("NO", 15, "4!n6!n1!n", true),
      ("LC", 32, "4!a24!c", false), ("RU", 33, "9!n5!n15!c", false), ("MU", 30, "4!a2!n2!n12!n3!n3!a", false),
      ("XK", 20, "4!n10!n2!n", false), ("YT", 27, "5!n5!n11!c2!n", true),
    ] as [(String, Int, String, Bool)])
  func rows(code: String, length: Int, format: String, isSEPA: Bool) throws {
    let bytes = Array(code.utf8)
    let entry = try #require(IBANRegistry.entry(bytes[0], bytes[1]))
    #expect(entry.countryCode.description == code)
    #expect(entry.ibanLength == length)
    #expect(entry.bbanFormat.description == format)
    #expect(entry.isSEPA == isSEPA)
  }

  @Test("codes the registry does not have find no row", arguments: ["US", "ZZ", "AA", "de", "D1", "@A", "[A"])
  func noRow(code: String) {
    let bytes = Array(code.utf8)
    #expect(IBANRegistry.entry(bytes[0], bytes[1]) == nil)
  }

  @Test("every row's compiled classes are its spec, one letter a position, and its lengths add up")
  func compiledClasses() {
    for entry in IBANRegistry.entries {
      let spec = entry.bbanFormat.description
      let expanded = runs(spec).map { run in
        String(repeating: run.isFixed ? run.kind : Character(run.kind.uppercased()), count: run.count)
      }.joined()
      #expect(entry.bbanClasses.description == expanded, "\(entry.countryCode)")
      #expect(expanded.count + 4 == entry.ibanLength, "\(entry.countryCode)")
    }
  }

  @Test("every country of the registry: an IBAN that fits its format with the right check digits is accepted")
  func everyCountryAccepted() throws {
    for entry in IBANRegistry.entries where entry.countryCode.description != "XK" {
      for lettersForC in [true, false] {
        let text = registryIBAN(entry, lettersForC: lettersForC)
        #expect(ReferenceCheckDigits.passes(text))
        let iban = try IBAN(text)
        #expect(iban.electronic == text)
        #expect(iban.country.code == entry.countryCode.description)
        #expect(iban.isSEPA == entry.isSEPA)
        #expect(try IBAN(iban.printed.lowercased()) == iban)
      }
    }
  }

  @Test("every country of the registry: the same IBAN with other check digits is refused, naming the right ones")
  func everyCountryWrongCheckDigits() {
    for entry in IBANRegistry.entries {
      let text = registryIBAN(entry, lettersForC: true)
      let right = ReferenceCheckDigits.expected(countryCode: String(text.prefix(2)), bban: String(text.dropFirst(4)))
      let wrong = right == 98 ? 2 : right + 1
      let changed = text.prefix(2) + ReferenceCheckDigits.twoDigits(wrong) + text.dropFirst(4)
      let (given, expected) = (ReferenceCheckDigits.twoDigits(wrong), ReferenceCheckDigits.twoDigits(right))
      let error = #expect(throws: BankDetailsError.self) { try IBAN(String(changed)) }
      #expect(error?.reason == "has check digits \(given), expected \(expected)")
    }
  }

  @Test("every country of the registry: a letter where a digit must be, or a digit where a letter must be, is refused")
  func everyCountryWrongClass() {
    for entry in IBANRegistry.entries {
      let text = Array(registryIBAN(entry, lettersForC: true))
      let classes = Array(entry.bbanClasses.description)
      guard let position = classes.firstIndex(where: { $0 == "n" || $0 == "a" }) else {
        #expect(classes.allSatisfy { $0 == "c" }, "\(entry.countryCode)")
        continue
      }
      var changed = text
      changed[4 + position] = classes[position] == "n" ? "K" : "7"
      let expected = classes[position] == "n" ? "a digit" : "a capital letter"
      let format = "\(entry.countryCode) format \(entry.bbanFormat)"
      let error = #expect(throws: BankDetailsError.self) { try IBAN(String(changed)) }
      #expect(
        error?.reason
          == "BBAN character \(position + 1) is '\(changed[4 + position])', expected \(expected) (\(format))")
    }
  }
}

/// The matcher for formats with up-to runs, which the registry does not use today but the notation allows.
@Suite("BBAN pattern")
struct BBANPatternTests {
  private func mismatch(_ classes: StaticString, _ bban: String) -> BBANPattern.Mismatch? {
    BBANPattern(classes).firstMismatch(in: Array(bban.utf8)[...])
  }

  @Test(
    "BBANs that fit a format with up-to runs",
    arguments: [
      ("NNNNaaaa", "ABCD"), ("NNNNaaaa", "1ABCD"), ("NNNNaaaa", "1234ABCD"),
      ("CCCnn", "12"), ("CCCnn", "A12"), ("CCCnn", "AB12"), ("CCCnn", "A1212"),
      ("nnnNNNNCCC", "123"), ("nnnNNNNCCC", "1234567ABC"), ("nnnNNNNCCC", "123A"), ("nnnNNNNCCC", "12345X9"),
      ("nnNN", "12"), ("nnNN", "1234"), ("", ""), ("NNN", ""),
    ] as [(StaticString, String)])
  func fits(classes: StaticString, bban: String) {
    #expect(mismatch(classes, bban) == nil)
  }

  @Test("BBANs that do not fit, and where")
  func doesNotFit() {
    #expect(mismatch("NNNNaaaa", "12345ABC") == .character(position: 5, byte: 0x35, expected: .capital))
    #expect(mismatch("NNNNaaaa", "ABC") == .end(length: 3, expected: .capital))
    #expect(mismatch("CCCnn", "1") == .end(length: 1, expected: [.capital, .digit]))
    #expect(mismatch("CCCnn", "ABCD12") == .character(position: 4, byte: 0x44, expected: .digit))
    #expect(mismatch("nnNN", "12345") == .character(position: 5, byte: 0x35, expected: .end))
    #expect(mismatch("nnNN", "1") == .end(length: 1, expected: .digit))
    #expect(mismatch("nnNN", "12A") == .character(position: 3, byte: 0x41, expected: [.digit, .end]))
    #expect(mismatch("nnnnnnnnaa", "1234567X9A") == .character(position: 8, byte: 0x58, expected: .digit))
    #expect(mismatch("", "1") == .character(position: 1, byte: 0x31, expected: .end))
  }

  @Test("63 positions, all up-to, take 63 characters and refuse the 64th")
  func positionsMax() {
    let classes: StaticString = "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN"
    #expect(classes.utf8CodeUnitCount == BBANPattern.positionsMax)
    #expect(mismatch(classes, String(repeating: "7", count: 63)) == nil)
    #expect(
      mismatch(classes, String(repeating: "7", count: 64)) == .character(position: 64, byte: 0x37, expected: .end))
  }

  @Test("what could have come, in words")
  func expectedWording() {
    #expect(BBANPattern.Expected.digit.description == "a digit")
    #expect(BBANPattern.Expected.capital.description == "a capital letter")
    #expect(BBANPattern.Expected([.capital, .digit]).description == "a capital letter or a digit")
    #expect(BBANPattern.Expected([.digit, .end]).description == "a digit or the end of the BBAN")
    #expect(BBANPattern.Expected.end.description == "the end of the BBAN")
  }
}

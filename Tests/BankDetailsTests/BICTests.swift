import BankDetails
import Countries
import Testing

private func refusal(_ text: String) -> BankDetailsError? {
  #expect(throws: BankDetailsError.self) { try BIC(text) }
}

@Suite("BIC")
struct BICTests {
  @Test(
    "a BIC of 8 or 11 characters is accepted, upper case, with its country",
    arguments: [
      ("DEUTDEFF", "DEUTDEFF", "DE"), ("DEUTDEFF500", "DEUTDEFF500", "DE"), ("NWBKGB2L", "NWBKGB2L", "GB"),
      ("BNPAFRPPXXX", "BNPAFRPPXXX", "FR"), ("deutdeff", "DEUTDEFF", "DE"), ("  DeutDeff500 ", "DEUTDEFF500", "DE"),
      ("UBSWCHZH80A", "UBSWCHZH80A", "CH"), ("BOFAUS3N", "BOFAUS3N", "US"), ("AAAAAA00", "AAAAAA00", "AA"),
    ] as [(String, String, String)])
  func accepted(text: String, code: String, country: String) throws {
    guard country != "AA" else {
      #expect(refusal(text)?.reason == "has country code AA, which is not an ISO 3166-1 code")
      return
    }
    let bic = try BIC(text)
    #expect(bic.code == code)
    #expect(bic.description == code)
    #expect(bic.country == (try Country(code: country)))
    #expect(try BIC(code) == bic)
  }

  @Test(
    "the wrong number of characters is refused",
    arguments: [
      ("DEUTDEF", 7), ("DEUTDEFF5", 9), ("DEUTDEFF50", 10), ("DEUTDEFF5001", 12), ("D", 1), ("  DEUTDEFF50  ", 10),
    ] as [(String, Int)])
  func wrongLength(text: String, count: Int) {
    #expect(refusal(text)?.description == "BIC \"\(text)\" is \(count) characters, a BIC has 8 or 11")
  }

  @Test("the exact messages")
  func messages() {
    #expect(
      refusal("DEU1DEFF")?.description == "BIC \"DEU1DEFF\" has institution code \"DEU1\", expected four letters")
    #expect(
      refusal("1234DEFF500")?.description
        == "BIC \"1234DEFF500\" has institution code \"1234\", expected four letters")
    #expect(refusal("DEUTD1FF")?.description == "BIC \"DEUTD1FF\" has country code \"D1\", expected two letters")
    #expect(
      refusal("DEUTZZFF")?.description == "BIC \"DEUTZZFF\" has country code ZZ, which is not an ISO 3166-1 code")
    #expect(
      refusal("DEUTUKFF")?.description == "BIC \"DEUTUKFF\" has country code UK, which is not an ISO 3166-1 code")
    #expect(
      refusal("DEUT-DEFF")?.description
        == "BIC \"DEUT-DEFF\" has '-' at character 5; a BIC has only letters and digits")
    #expect(
      refusal("DEUTDEFF.")?.description
        == "BIC \"DEUTDEFF.\" has '.' at character 9; a BIC has only letters and digits")
    #expect(
      refusal("DEUT DEFF")?.description
        == "BIC \"DEUT DEFF\" has a space at character 5; a BIC has only letters and digits")
    #expect(
      refusal("  DEUT DEFF")?.description
        == "BIC \"  DEUT DEFF\" has a space at character 7; a BIC has only letters and digits")
    #expect(
      refusal("\tDEUTDEFF")?.description
        == "BIC \"\\tDEUTDEFF\" has a tab at character 1; a BIC has only letters and digits")
    #expect(
      refusal("DEUTDÉFF")?.description == "BIC \"DEUTDÉFF\" has 'É' at character 6; a BIC has only letters and digits")
    #expect(
      refusal("RBKOXKPR")?.description
        == "BIC \"RBKOXKPR\" has country code XK, which BICs use for Kosovo but ISO 3166-1 does not assign")
    #expect(refusal("")?.description == "BIC \"\" is empty")
    #expect(refusal("   ")?.description == "BIC \"   \" has only spaces")
  }

  @Test("the text is read up to 32 bytes: 32 are read, 33 are refused unread")
  func textBytesMax() throws {
    #expect(BIC.textBytesMax == 32)
    let padded = String(repeating: " ", count: 10) + "DEUTDEFF500" + String(repeating: " ", count: 11)
    #expect(padded.utf8.count == 32)
    #expect(try BIC(padded).code == "DEUTDEFF500")
    #expect(refusal(padded + " ")?.reason == "is 33 bytes, more than the 32 read for a BIC")
  }

  @Test("a BIC with branch XXX is kept as given, a different value from the 8-character code")
  func primaryOffice() throws {
    #expect(try BIC("BNPAFRPPXXX") != BIC("BNPAFRPP"))
    #expect(try BIC("bnpafrpp") == BIC("BNPAFRPP"))
  }
}

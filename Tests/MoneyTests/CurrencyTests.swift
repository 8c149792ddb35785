import Money
import Testing

/// Looks a code up through the byte-level path the file readers use.
private func lookedUp(_ code: String) -> Currency? {
  var code = code
  return code.withUTF8 { Currency.lookup($0) }
}

@Suite("Currency")
struct CurrencyTests {
  @Test(
    "the table's minor units and numeric codes",
    arguments: [
      ("JPY", 392, 0), ("KWD", 414, 3), ("CLF", 990, 4), ("USD", 840, 2), ("EUR", 978, 2),
      ("GBP", 826, 2), ("BHD", 48, 3), ("ISK", 352, 0), ("UYW", 927, 4), ("ALL", 8, 2),
    ] as [(String, UInt16, UInt8)])
  func table(code: String, numericCode: UInt16, minorUnits: UInt8) throws {
    let currency = try Currency(code: code)
    #expect(currency.code == code)
    #expect(currency.description == code)
    #expect(currency.numericCode == numericCode)
    #expect(currency.minorUnits == minorUnits)
    #expect(!currency.isHistoric)
    #expect(currency.codeBytes == Array(code.utf8))
    #expect(lookedUp(code) == currency)
    #expect(Currency.lookup(packedCode: currency.packedCode) == currency)
  }

  @Test(
    "historic codes from the ECB history are kept and marked",
    arguments: ["CYP", "EEK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "TRL", "HRK", "BGN"])
  func historic(code: String) throws {
    let currency = try Currency(code: code)
    #expect(currency.isHistoric)
    #expect(currency.code == code)
    #expect(Currency.all.contains(currency))
  }

  @Test("their successors are active", arguments: ["EUR", "TRY", "RON"])
  func successorsActive(code: String) throws {
    #expect(try !Currency(code: code).isHistoric)
  }

  @Test(
    "a code that is not three capital letters is refused as such",
    arguments: ["usd", "Usd", "US", "USDD", "", "U$D", "ÜSD", " USD", "US "])
  func notThreeCapitals(code: String) {
    let error = #expect(throws: CurrencyError.self) { try Currency(code: code) }
    #expect(error?.code == code)
    #expect(error?.description == "currency \"\(code)\" is not three capital letters")
    #expect(lookedUp(code) == nil)
  }

  @Test(
    "three capital letters that are not an ISO 4217 currency with minor units are refused as such",
    arguments: ["XAU", "XDR", "XXX", "XTS", "ZZZ", "AAA", "SLL", "DEM"])
  func unknownCode(code: String) {
    let error = #expect(throws: CurrencyError.self) { try Currency(code: code) }
    #expect(error?.description == "currency \"\(code)\" is not an ISO 4217 currency with minor units")
    #expect(lookedUp(code) == nil)
  }

  @Test("packed codes outside the letters are not found")
  func packedCodeOutsideLetters() {
    #expect(Currency.lookup(packedCode: 0) == nil)
    #expect(Currency.lookup(packedCode: 0x55_53_64) == nil)  // "USd"
  }

  @Test("every currency round-trips through its code, its bytes and its packed code")
  func everyCurrencyRoundTrips() throws {
    for currency in Currency.all {
      #expect(try Currency(code: currency.code) == currency)
      #expect(lookedUp(currency.code) == currency)
      #expect(Currency.lookup(packedCode: currency.packedCode) == currency)
      #expect(currency.minorUnits <= 4, "\(currency) has \(currency.minorUnits) minor units")
    }
  }

  @Test("the table has no duplicate codes or numeric codes")
  func noDuplicates() {
    let all = Currency.all
    #expect(Set(all.map(\.code)).count == all.count)
    #expect(Set(all.map(\.numericCode)).count == all.count)
    #expect(all.count == 176)
    #expect(all.filter(\.isHistoric).count == 11)
  }

  @Test("all is sorted by code, historic codes in among the active ones")
  func allSorted() {
    let codes = Currency.all.map(\.code)
    #expect(codes == codes.sorted())
    #expect(Currency.all == Currency.all.sorted())
    #expect(codes.first == "AED")
    #expect(codes.last == "ZWG")
  }

  @Test("ordering and hashing follow the code")
  func orderingAndHashing() throws {
    let eur = try Currency(code: "EUR")
    let usd = try Currency(code: "USD")
    #expect(eur < usd)
    #expect(!(usd < eur))
    #expect(!(usd < usd))
    #expect(Set([usd, try Currency(code: "USD"), eur]).count == 2)
  }
}

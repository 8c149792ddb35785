import Payouts
import Testing

@Suite("Payer file")
struct PayerTests {
  func parse(_ text: String) throws -> Payer { try Payer.parse(Array(text.utf8), source: "payer.yaml") }

  func message(_ text: String) -> String? {
    do {
      _ = try parse(text)
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test func aCompletePayerIsRead() throws {
    let payer = try PayoutFixtures.payer()
    #expect(payer.name == "Settle Test Treasury B.V.")
    #expect(payer.iban.electronic == "NL91ABNA0417164300")
    #expect(payer.bic.code == "ABNANL2A")
    #expect(payer.country.code == "NL")
    #expect(payer.currency.code == "USD")
  }

  @Test func aMissingKeyIsRefusedNamingIt() {
    let text = PayoutFixtures.payerYAML.replacingOccurrences(of: "bic: ABNANL2A\n", with: "")
    #expect(message(text) == "payer.yaml: bic: missing (a payer file needs name, iban, bic, country, currency)")
  }

  @Test func anUnknownKeyIsRefusedWithItsLine() {
    #expect(
      message(PayoutFixtures.payerYAML + "\nswift: ABNANL2A")
        == "payer.yaml:6: swift: unknown key (expected one of name, iban, bic, country, currency)")
  }

  @Test func anInvalidValueIsRefusedNamingTheLineAndKey() {
    let badIBAN = PayoutFixtures.payerYAML.replacingOccurrences(of: "NL91ABNA0417164300", with: "NL92ABNA0417164300")
    #expect(message(badIBAN)?.hasPrefix("payer.yaml:2: iban: IBAN \"NL92ABNA0417164300\"") == true)
    let badCountry = PayoutFixtures.payerYAML.replacingOccurrences(of: "country: NL", with: "country: Netherlands")
    #expect(message(badCountry)?.hasPrefix("payer.yaml:4: country: ") == true)
    let badCurrency = PayoutFixtures.payerYAML.replacingOccurrences(of: "currency: USD", with: "currency: CYP")
    #expect(message(badCurrency) == "payer.yaml:5: currency: CYP is no longer an ISO 4217 currency")
    let emptyName = PayoutFixtures.payerYAML.replacingOccurrences(of: "Settle Test Treasury B.V.", with: "''")
    #expect(message(emptyName) == "payer.yaml:1: name: is empty")
  }

  @Test func somethingOtherThanAMappingIsRefused() {
    #expect(message("") == "payer.yaml: the file is empty; expected the keys name, iban, bic, country, currency")
    #expect(message("- a\n- b\n") == "payer.yaml:1: expected a mapping of the keys name, iban, bic, country, currency")
    #expect(message("name: [a, b]\n")?.hasPrefix("payer.yaml:1: name: expected a single value") == true)
  }
}

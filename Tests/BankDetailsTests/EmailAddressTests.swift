import BankDetails
import Testing

private func refusal(_ text: String) -> BankDetailsError? {
  #expect(throws: BankDetailsError.self) { try EmailAddress(text) }
}

private let longestLocalPart = String(repeating: "l", count: EmailAddress.localPartBytesMax)
private let longestLabel = String(repeating: "d", count: EmailAddress.domainLabelBytesMax)
/// 63 + 1 + 63 + 1 + 61 = 189 bytes, so that with a 64-byte local part and the @ the address is 254 bytes.
private let longestDomain = longestLabel + "." + longestLabel + "." + String(repeating: "c", count: 61)

@Suite("E-mail address")
struct EmailAddressTests {
  @Test(
    "plausible addresses are accepted as given",
    arguments: [
      "ann@example.com", "Ann.Smith+payouts@Example.CO.uk", "x@a-b.c", "o'brien@example.ie", "1@2.3",
      "=cmd|'calc'!A0@example.com", "a@xn--bcher-kva.example",
    ])
  func accepted(text: String) throws {
    let address = try EmailAddress(text)
    #expect(address.text == text)
    #expect(address.description == text)
  }

  @Test(
    "shapes that are not an address are refused, with the reason",
    arguments: [
      ("ann", "has no @"),
      ("ann@example@com", "has 2 @ signs, expected one"),
      ("a@@example.com", "has 2 @ signs, expected one"),
      ("@example.com", "has nothing before the @"),
      ("ann@", "has nothing after the @"),
      ("ann smith@example.com", "has a space at character 4; the part before the @ is printable ASCII without spaces"),
      ("änn@example.com", "has 'ä' at character 1; the part before the @ is printable ASCII without spaces"),
      (
        "ann\u{7F}@example.com", "has '\\u{7F}' at character 4; the part before the @ is printable ASCII without spaces"
      ),
      ("ann@example", "has domain \"example\", which has no dot"),
      ("ann@.example.com", "has domain \".example.com\", which has an empty label"),
      ("ann@example..com", "has domain \"example..com\", which has an empty label"),
      ("ann@example.com.", "has domain \"example.com.\", which has an empty label"),
      ("ann@-example.com", "has domain label \"-example\", which starts with a hyphen"),
      ("ann@example-.com", "has domain label \"example-\", which ends with a hyphen"),
      ("ann@example.com-", "has domain label \"com-\", which ends with a hyphen"),
      ("ann@exa_mple.com", "has '_' at character 8; a domain has only letters, digits, hyphens and dots"),
      ("ann@exämple.com", "has 'ä' at character 7; a domain has only letters, digits, hyphens and dots"),
      ("ann@example.com ", "has a space at character 16; a domain has only letters, digits, hyphens and dots"),
      ("ann@example.com\n", "has a line feed at character 16; a domain has only letters, digits, hyphens and dots"),
      ("", "is empty"),
    ] as [(String, String)])
  func refused(text: String, reason: String) {
    let error = refusal(text)
    #expect(error?.kind == "e-mail address")
    #expect(error?.value == text)
    #expect(error?.reason == reason)
  }

  @Test("the exact message")
  func message() {
    #expect(
      refusal("ann@example")?.description == "e-mail address \"ann@example\" has domain \"example\", which has no dot")
  }

  @Test("the limits: at them accepted, one past refused")
  func limits() throws {
    #expect(EmailAddress.bytesMax == 254)
    #expect(EmailAddress.localPartBytesMax == 64)
    #expect(EmailAddress.domainLabelBytesMax == 63)

    let longest = longestLocalPart + "@" + longestDomain
    #expect(longest.utf8.count == 254)
    #expect(try EmailAddress(longest).text == longest)
    #expect(refusal(longest + "c")?.reason == "is 255 bytes, more than the 254 an e-mail address may have")

    #expect(
      refusal(longestLocalPart + "l@example.com")?.reason == "has a local part of 65 bytes, more than 64")
    #expect(refusal("ann@" + longestLabel + "d.com")?.reason == "has a domain label of 64 bytes, more than 63")
  }
}

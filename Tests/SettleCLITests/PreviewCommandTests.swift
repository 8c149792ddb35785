import Foundation
import Testing

/// `settle preview` and `settle tokens`, run as a user would on a ledger made by `settle payouts`
/// (`LedgerCommandTests.smallBatch`: October 2026 closed, ALBA paid 100.00 USD by Payoneer, CARO's
/// 25.00 USD held and carried), at the rates store's latest publication (2026-10-30: USD 1.1172, JPY 175.68).
@Suite struct PreviewCommandTests {
  static func settle(_ arguments: [String], standardInput: String? = nil) throws -> SettleProcess.Result {
    try SettleProcess.run(arguments, standardInput: standardInput, environment: LedgerCommandTests.environment)
  }

  static func preview(_ small: LedgerCommandTests.SmallBatch, _ arguments: [String]) throws -> SettleProcess.Result {
    try settle(
      ["preview"] + arguments + ["--ledger", small.ledger, "--rates-dir", LedgerCommandTests.ratesDirectory])
  }

  // MARK: settle preview

  /// 100.00 USD × 175.68 / 1.1172 = 15,725.0268… JPY, rounded once to ¥15,725.
  @Test func previewPrintsAClosedPeriodInYen() throws {
    let small = try LedgerCommandTests.smallBatch()
    let reference = try LedgerCommandTests.reference("ALBA", out: small.out)
    let result = try PreviewCommandTests.preview(small, ["--affiliate", "ALBA", "--currency", "JPY"])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardError == "")
    #expect(
      result.standardOutput == """
        Affiliate ALBA: earnings in JPY, settled in USD
        2026-10 (closed)
          US: 1 order, commission $100.00 = ¥15,725
          Total: $100.00 = ¥15,725
          Payout \(reference) by payoneer, instructed: $100.00 = ¥15,725 (instructed as $100.00)
        Balance carried: $0.00 = ¥0
        Rate: 1 EUR = 1.1172 USD = 175.68 JPY (ECB publication of 2026-10-30)

        """)
  }

  /// CARO's payout was held: no payout, the 25.00 USD carried; 25.00 / 1.1172 = 22.3773… EUR.
  @Test func previewPrintsAHeldBalanceInGermanEuros() throws {
    let small = try LedgerCommandTests.smallBatch()
    let result = try PreviewCommandTests.preview(
      small, ["--affiliate", "CARO", "--currency", "EUR", "--locale", "de_DE"])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(
      result.standardOutput == """
        Affiliate CARO: earnings in EUR, settled in USD
        2026-10 (closed)
          US: 1 order, commission 25,00\u{A0}$ = 22,38\u{A0}€
          Total: 25,00\u{A0}$ = 22,38\u{A0}€
        Balance carried: 25,00\u{A0}$ = 22,38\u{A0}€
        Rate: 1 EUR = 1.1172 USD (ECB publication of 2026-10-30)

        """)
  }

  /// After `settle ledger confirm` with BECK's payment failed: ALBA's payout is paid, BECK's failed
  /// and its 50.00 USD back in the balance. USD into USD converts at 1: the amounts are the same.
  @Test func previewShowsPaidAndFailedPayouts() throws {
    let small = try LedgerCommandTests.smallBatch()
    let failed = small.directory + "/failed.txt"
    try LedgerCommandTests.write("BECK\n", to: failed)
    let confirmed = try PreviewCommandTests.settle([
      "ledger", "confirm", small.batchID, "--failed", failed, "--ledger", small.ledger,
    ])
    #expect(confirmed.status == 0, "\(confirmed.standardError)")
    let alba = try PreviewCommandTests.preview(small, ["--affiliate", "ALBA", "--currency", "USD"])
    #expect(alba.standardOutput.contains(" by payoneer, paid: $100.00 = $100.00 (instructed as $100.00)\n"))
    let beck = try PreviewCommandTests.preview(small, ["--affiliate", "BECK", "--currency", "USD"])
    let reference = try LedgerCommandTests.reference("BECK", out: small.out)
    #expect(
      beck.standardOutput == """
        Affiliate BECK: earnings in USD, settled in USD
        2026-10 (closed)
          US: 1 order, commission $50.00 = $50.00
          Total: $50.00 = $50.00
          Payout \(reference) by payoneer, failed: $50.00 = $50.00 (instructed as $50.00)
        Balance carried: $50.00 = $50.00
        Rate: 1 EUR = 1.1172 USD (ECB publication of 2026-10-30)

        """)
  }

  @Test func previewOfAnUnknownAffiliate_Fails() throws {
    let small = try LedgerCommandTests.smallBatch()
    let result = try PreviewCommandTests.preview(small, ["--affiliate", "DORA", "--currency", "JPY"])
    #expect(result.status == 1)
    #expect(result.standardOutput == "")
    #expect(
      result.standardError
        == "settle: no earnings for affiliate \"DORA\": the ledger has no commission, payout or balance for it\n")
  }

  @Test func previewInAnUnknownCurrency_Fails() throws {
    let small = try LedgerCommandTests.smallBatch()
    let unknown = try PreviewCommandTests.preview(small, ["--affiliate", "ALBA", "--currency", "XYZ"])
    #expect(unknown.status == 1)
    #expect(unknown.standardError == "settle: currency \"XYZ\" is not an ISO 4217 code\n")
    // KWD is ISO 4217, but the ECB publishes no rate for it.
    let unpublished = try PreviewCommandTests.preview(small, ["--affiliate", "ALBA", "--currency", "KWD"])
    #expect(unpublished.status == 1)
    #expect(unpublished.standardError == "settle: the ECB publication of 2026-10-30 has no rate for KWD\n")
  }

  @Test func previewWithoutALedger_Fails() throws {
    let directory = try CommissionsCommandTests.temporaryDirectory()
    let result = try PreviewCommandTests.settle([
      "preview", "--affiliate", "ALBA", "--currency", "JPY", "--ledger", directory + "/none.db",
    ])
    #expect(result.status == 1)
    #expect(result.standardError.hasPrefix("settle: \(directory)/none.db: no ledger here"))
  }

  @Test func previewWithoutACurrency_Fails() throws {
    let result = try PreviewCommandTests.settle(["preview", "--affiliate", "ALBA"])
    #expect(result.status == 64)
    #expect(result.standardError.contains("Missing expected argument '--currency <currency>'"))
  }

  // MARK: settle tokens

  static func isToken(_ text: Substring) -> Bool {
    text.hasPrefix("stl_") && text.count == 68 && text.dropFirst(4).allSatisfy { "0123456789abcdef".contains($0) }
  }

  @Test func tokensAreIssuedOnceAndRevoked() throws {
    let small = try LedgerCommandTests.smallBatch()
    let issued = try PreviewCommandTests.settle(["tokens", "issue", "--affiliate", "ALBA", "--ledger", small.ledger])
    #expect(issued.status == 0, "\(issued.standardError)")
    let lines = issued.standardOutput.split(separator: "\n")
    #expect(lines.count == 1)
    let token = String(lines.first ?? "")
    #expect(PreviewCommandTests.isToken(token[...]))
    #expect(
      issued.standardError
        == "settle: this token reads affiliate ALBA's earnings; keep it now, it cannot be shown again\n")

    let treasury = try PreviewCommandTests.settle(["tokens", "issue", "--treasury", "--ledger", small.ledger])
    #expect(treasury.status == 0)
    #expect(PreviewCommandTests.isToken(treasury.standardOutput.dropLast()))
    #expect(treasury.standardOutput.dropLast() != token[...])
    #expect(
      treasury.standardError
        == "settle: this token reads every affiliate's earnings; keep it now, it cannot be shown again\n")

    let revoked = try PreviewCommandTests.settle(["tokens", "revoke", token, "--ledger", small.ledger])
    #expect(revoked.status == 0)
    #expect(revoked.standardOutput == "token revoked\n")
    let again = try PreviewCommandTests.settle(["tokens", "revoke", token, "--ledger", small.ledger])
    #expect(again.status == 1)
    #expect(again.standardError == "settle: \(small.ledger): no live token matches\n")

    // Read from standard input, the token stays out of the process list.
    let piped = try PreviewCommandTests.settle(
      ["tokens", "revoke", "-", "--ledger", small.ledger], standardInput: treasury.standardOutput)
    #expect(piped.status == 0, "\(piped.standardError)")
    #expect(piped.standardOutput == "token revoked\n")
  }

  @Test func revokingAnUnknownToken_Fails() throws {
    let small = try LedgerCommandTests.smallBatch()
    let result = try PreviewCommandTests.settle([
      "tokens", "revoke", "stl_" + String(repeating: "0", count: 64), "--ledger", small.ledger,
    ])
    #expect(result.status == 1)
    #expect(result.standardOutput == "")
    #expect(result.standardError == "settle: \(small.ledger): no live token matches\n")
  }

  @Test func issuingForAnUnknownAffiliateOrAmbiguousScope_Fails() throws {
    let small = try LedgerCommandTests.smallBatch()
    let unknown = try PreviewCommandTests.settle(["tokens", "issue", "--affiliate", "DORA", "--ledger", small.ledger])
    #expect(unknown.status == 1)
    #expect(unknown.standardOutput == "")
    #expect(unknown.standardError == "settle: \(small.ledger): no affiliate DORA in the ledger\n")
    for arguments in [["--treasury", "--affiliate", "ALBA"], []] {
      let result = try PreviewCommandTests.settle(["tokens", "issue"] + arguments + ["--ledger", small.ledger])
      #expect(result.status == 64)
      #expect(result.standardOutput == "")
      #expect(result.standardError.contains("Error: give either --affiliate ID or --treasury"))
    }
  }
}

import ArgumentParser
import Ledger

struct TokensCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tokens",
    abstract: "Access tokens for the preview server: the ledger keeps only their SHA-256.",
    subcommands: [TokensIssueCommand.self, TokensRevokeCommand.self])
}

struct TokensIssueCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "issue",
    abstract: "Issue a token and print it once: it cannot be shown again.",
    discussion: """
      The token goes to standard output alone (TOKEN=$(settle tokens issue --affiliate A1)); the
      reminder that it cannot be shown again goes to standard error.
      """)

  @Option(help: "The affiliate whose earnings the token reads (it must be in the ledger).")
  var affiliate: String?
  @Flag(help: "A token that reads every affiliate's earnings.")
  var treasury = false
  @OptionGroup var ledger: LedgerOption

  func validate() throws {
    guard (affiliate != nil) != treasury else { throw ValidationError("give either --affiliate ID or --treasury") }
    if let affiliate, affiliate.isEmpty { throw ValidationError("--affiliate needs an id") }
  }

  func run() throws {
    try reportingErrors {
      let opened = try ledger.existing()
      var scope = Ledger.TokenScope.treasury
      if let affiliate {
        // A token for a mistyped id would read nothing, for ever: refuse it now.
        guard try opened.history(of: affiliate).isKnown else {
          throw LedgerError(path: opened.path, "no affiliate \(affiliate) in the ledger")
        }
        scope = .affiliate(affiliate)
      }
      let token = try opened.issueToken(scope, at: Ledger.now())
      print(token)
      let reader = affiliate.map { "affiliate \($0)'s earnings" } ?? "every affiliate's earnings"
      printError("settle: this token reads \(reader); keep it now, it cannot be shown again")
    }
  }
}

struct TokensRevokeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revoke", abstract: "Revoke a token; exit 1 when no live token matches.")

  @Argument(help: "The token (stl_…); - reads it from standard input, out of the process list.")
  var token: String
  @OptionGroup var ledger: LedgerOption

  func run() throws {
    try reportingErrors {
      var presented = token
      if token == "-" { presented = readLine(strippingNewline: true) ?? "" }
      guard try ledger.existing().revokeToken(presented, at: Ledger.now()) else {
        throw LedgerError(path: ledger.named ?? LedgerOption.defaultPath, "no live token matches")
      }
      print("token revoked")
    }
  }
}

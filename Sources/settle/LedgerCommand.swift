import ArgumentParser
import Dates
import Files
import Ledger
import Money

#if canImport(Glibc)
  import Glibc
#endif

/// `--ledger FILE`, else `SETTLE_LEDGER`, else `settle.db` in the working directory.
///
/// `settle commissions` and `settle payouts` record into the ledger when one is named, or when
/// `settle.db` exists in the working directory (so a treasury that keeps one cannot forget it);
/// `--no-ledger` makes a run that records nothing. The `settle ledger` commands need one.
struct LedgerOption: ParsableArguments {
  static let defaultPath = "settle.db"

  @Option(help: "The ledger (SQLite) file (default: $SETTLE_LEDGER, else settle.db when it exists).")
  var ledger: String?

  /// The named ledger, if any: the option, the environment, then nothing.
  var named: String? {
    if let ledger { return ledger }
    if let environment = getenv("SETTLE_LEDGER"), environment.pointee != 0 { return String(cString: environment) }
    return nil
  }

  /// The ledger a settlement run records into, or nil for none.
  func forRun(disabled: Bool) throws -> Ledger? {
    if disabled {
      guard ledger == nil else { throw ValidationError("--ledger and --no-ledger cannot be used together") }
      return nil
    }
    if let named { return try Ledger(path: named) }
    return FileReader.exists(LedgerOption.defaultPath) ? try Ledger(path: LedgerOption.defaultPath) : nil
  }

  /// The ledger a `settle ledger` command reads; it must exist.
  func existing() throws -> Ledger {
    let path = named ?? LedgerOption.defaultPath
    guard FileReader.exists(path) else {
      throw LedgerError(path: path, "no ledger here (settle payouts --ledger \(path) makes one)")
    }
    return try Ledger(path: path)
  }
}

struct LedgerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ledger",
    abstract: "The ledger: balances carried between periods, payout batches, confirmations, invariants.",
    subcommands: [
      LedgerBalancesCommand.self, LedgerBatchesCommand.self, LedgerShowCommand.self, LedgerConfirmCommand.self,
      LedgerVerifyCommand.self,
    ])
}

struct LedgerBalancesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "balances", abstract: "Payable balances: what each affiliate is owed (negative: owes back).")
  @Option(help: "Only this affiliate (shown even when its balance is zero).")
  var affiliate: String?
  @OptionGroup var ledger: LedgerOption

  func run() throws {
    try reportingErrors {
      let balances = try ledger.existing().balances(affiliateID: affiliate)
      if let affiliate, balances.isEmpty {
        throw LedgerError(path: ledger.named ?? LedgerOption.defaultPath, "no account for \(affiliate)")
      }
      print("affiliate_id,balance,currency")
      for balance in balances {
        print("\(balance.affiliateID),\(balance.amount.amountText),\(balance.amount.currency)")
      }
    }
  }
}

struct LedgerBatchesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "batches", abstract: "Every payout batch, by period.")
  @OptionGroup var ledger: LedgerOption

  func run() throws {
    try reportingErrors {
      print("batch_id,period,created_at,owed,ready,held,currency,instructed,paid,failed")
      for batch in try ledger.existing().batches() {
        let amounts = [batch.owed, batch.ready, batch.held].map {
          Money(minorUnits: $0, currency: batch.currency).amountText
        }
        let states = ["instructed", "paid", "failed"].map { String(batch.states[$0] ?? 0) }
        print(
          ([batch.id, batch.period, batch.createdAt] + amounts + [batch.currency.code] + states).joined(separator: ","))
      }
    }
  }
}

struct LedgerShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "show", abstract: "A batch: its files and payouts.")
  @Argument(help: "The batch id (settle ledger batches lists them).")
  var batch: String
  @OptionGroup var ledger: LedgerOption

  func run() throws {
    try reportingErrors {
      let (summary, files, payouts) = try ledger.existing().batch(batch)
      print("batch \(summary.id), period \(summary.period), created \(summary.createdAt)")
      for (name, sha256, payments, sums) in files {
        print("file \(name) sha256 \(sha256) payments \(payments)" + (sums.isEmpty ? "" : " control sums \(sums)"))
      }
      print("affiliate_id,reference,method,settlement_amount,payout_amount,payout_currency,file,state")
      for payout in payouts {
        print(
          [
            payout.affiliateID, payout.reference, payout.method, payout.settlementAmount.amountText,
            payout.payoutAmount.amountText, payout.payoutAmount.currency.code, payout.file, payout.state,
          ].joined(separator: ","))
      }
    }
  }
}

struct LedgerConfirmCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "confirm",
    abstract: "Mark a batch's payouts paid, except those listed as failed, which return to the balance.")
  @Argument(help: "The batch id.")
  var batch: String
  @Option(help: "A file naming the failed payouts, one affiliate id or payout reference per line.")
  var failed: String?
  @OptionGroup var ledger: LedgerOption
  /// Largest file of failed payouts, in bytes (16 MiB: far more than a million references).
  static let failedFileBytesMax = 16 << 20

  func run() throws {
    try reportingErrors {
      var names: Set<String> = []
      if let failed {
        let text = String(
          decoding: try FileReader.readAll(path: failed, bytesMax: LedgerConfirmCommand.failedFileBytesMax),
          as: UTF8.self)
        for line in text.split(whereSeparator: \.isNewline) {
          let name = line.trimmingCharacters(in: " \t")
          if !name.isEmpty && !name.hasPrefix("#") { names.insert(name) }
        }
      }
      let source = Ledger.RunSource(
        ordersPath: failed ?? "", programSHA256: "", ratesSHA256: "", recordedAt: Ledger.now())
      let counts = try ledger.existing().confirm(batchID: batch, failed: names, source: source)
      print("batch \(batch): \(counts.paid) payouts paid, \(counts.failed) failed (returned to their balances)")
    }
  }
}

struct LedgerVerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify", abstract: "Re-check every invariant; exit 1 listing the violations.")
  @OptionGroup var ledger: LedgerOption

  func run() throws {
    try reportingErrors {
      let opened = try ledger.existing()
      let violations = try opened.verify()
      guard violations.isEmpty else {
        for violation in violations { printError(violation) }
        printError("settle: \(opened.path): \(violations.count) violations")
        throw ExitCode(1)
      }
      print("\(opened.path): every invariant holds")
    }
  }
}

extension Substring {
  /// The text without the given characters at either end.
  func trimmingCharacters(in characters: String) -> String {
    String(drop { characters.contains($0) }.reversed().drop { characters.contains($0) }.reversed())
  }
}

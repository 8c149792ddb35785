import ArgumentParser
import Preview
import Rates

struct PreviewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "preview",
    abstract: "An affiliate's earnings in a currency of its choice, at the latest ECB publication.",
    discussion: """
      Prints each period's commission per market (an open period's figures are provisional), its
      payouts and the balance carried, in the settlement currency and converted exactly into
      CURRENCY at the latest publication in the rates store, rounded once (half-even).
      """)

  @Option(help: "The affiliate id.")
  var affiliate: String
  @Option(help: "The currency to show amounts in (ISO 4217, e.g. JPY).")
  var currency: String
  @Option(help: "The locale amounts are formatted for, e.g. de_DE or ja_JP.")
  var locale = "en_US"
  @OptionGroup var ledger: LedgerOption
  @OptionGroup var store: RatesDirectoryOption

  func run() throws {
    try reportingErrors {
      let opened = try ledger.existing()
      let rates = try RatesStore(directory: store.resolved).load()
      let earnings = try EarningsReport.earnings(
        affiliateID: affiliate, currencyCode: currency, ledger: opened, rates: rates)
      print(EarningsReport.text(earnings, locale: locale), terminator: "")
    }
  }
}

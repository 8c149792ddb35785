import ArgumentParser
import Dates
import Money
import Rates

struct RatesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rates", abstract: "Fetch and show the ECB reference rates in the local store.",
    subcommands: [Fetch.self, Show.self])

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "One line per currency: code, rate per EUR, publication day used.")

    @Option(help: "The day (YYYY-MM-DD); default: the latest publication.")
    var date: String?
    @OptionGroup var store: RatesDirectoryOption

    func run() throws {
      try reportingErrors {
        let table = try RatesStore(directory: store.resolved).load()
        guard let lastDay = table.lastDay else { return }
        let day = try date.map { (text) throws(DayError) in try Day(text) } ?? lastDay
        for currency in table.currencies {
          // Currencies the publication does not list (left the feed, or not yet in it) are not shown.
          guard let answer = try? table.rate(for: currency, on: day) else { continue }
          print("\(currency.code) \(answer.rate) \(answer.publicationDay)")
        }
        if table.publicationIndex(for: day) == nil {
          throw RatesError(
            .noPublicationNear(
              day: day, currency: try Currency(code: "EUR"), lookbackDaysMax: Int(RateTable.lookbackDaysMax)),
            source: table.source)
        }
      }
    }
  }
}

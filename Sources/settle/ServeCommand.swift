import ArgumentParser
import Ledger
import PreviewServer
import Rates

struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve affiliates' earnings: a JSON API and a web page behind access tokens.",
    discussion: "GET /v1/affiliates/ID/earnings?currency=CCY with Authorization: Bearer TOKEN answers JSON; "
      + "/affiliates/ID is the page (sign in at /signin); /healthz answers ok. Tokens come from "
      + "settle tokens issue; a revoked one stops working within seconds. Stops on SIGINT or SIGTERM.")

  @Option(help: "The address to listen on.")
  var host = "127.0.0.1"
  @Option(help: "The port to listen on (0: any free port).")
  var port = 8080
  @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
  var logLevel = "info"
  @Option(
    help: ArgumentHelp(
      "on: keep earnings answers until the ledger changes; off: compute each from the ledger (for load tests).",
      visibility: .hidden))
  var answerCache = "on"
  @OptionGroup var ledger: LedgerOption
  @OptionGroup var rates: RatesDirectoryOption

  func validate() throws {
    guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    guard PreviewServer.logLevels.contains(logLevel) else {
      throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
    }
    guard ["on", "off"].contains(answerCache) else {
      throw ValidationError("--answer-cache must be on or off, not \"\(answerCache)\"")
    }
  }

  func run() throws {
    try reportingErrors {
      let ledger = try self.ledger.existing()
      let rateTable = try RatesStore(directory: rates.resolved).load()
      try PreviewServer.serve(
        ledger: ledger, rates: rateTable,
        configuration: PreviewServer.Configuration(host: host, port: port, cachesAnswers: answerCache == "on"),
        logLevel: logLevel)
    }
  }
}

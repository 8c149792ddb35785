import ArgumentParser

#if canImport(Glibc)
  import Glibc
#endif

@main
struct Settle: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "settle",
    abstract: "Exact multi-currency settlement at the ECB's reference rates.",
    subcommands: [
      RatesCommand.self, ConvertCommand.self, CommissionsCommand.self, PayoutsCommand.self, LedgerCommand.self,
      GenerateCommand.self, ServeCommand.self,
      PreviewCommand.self, TokensCommand.self,
    ])

  /// Ignores SIGPIPE before running: libcurl runs with CURLOPT_NOSIGNAL, and a closed pipe on
  /// standard output (`settle rates show | head`) should end the write, not the process.
  static func main() {
    signal(SIGPIPE, SIG_IGN)
    main(nil)
  }
}

/// `--rates-dir`, else `SETTLE_RATES_DIR`, else `rates/` in the working directory.
struct RatesDirectoryOption: ParsableArguments {
  @Option(name: .customLong("rates-dir"), help: "The rates store directory (default: $SETTLE_RATES_DIR or rates/).")
  var ratesDirectory: String?

  var resolved: String {
    if let ratesDirectory { return ratesDirectory }
    if let environment = getenv("SETTLE_RATES_DIR"), environment.pointee != 0 { return String(cString: environment) }
    return "rates"
  }
}

/// Prints one line naming the problem on standard error and exits non-zero.
func fail(_ error: any Error) -> ExitCode {
  printError("settle: \(error)")
  return ExitCode(1)
}

func printError(_ line: String) {
  var text = line
  text.append("\n")
  text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
}

/// Runs a command body, turning any thrown error into one line on stderr and exit status 1.
func reportingErrors(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let exit as ExitCode {
    throw exit
  } catch {
    throw fail(error)
  }
}

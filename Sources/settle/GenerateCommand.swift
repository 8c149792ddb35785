import ArgumentParser
import Commissions
import Dates
import Files

#if canImport(Glibc)
  import Glibc
#endif

struct GenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate", abstract: "Write synthetic data for trying Settle out.",
    subcommands: [Orders.self])

  struct Orders: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write synthetic orders as CSV on standard output, the same bytes for the same options.",
      usage: "settle generate orders --count N [--seed S] --period YYYY-MM > orders.csv")

    @Option(help: "How many orders (0 to 1000000000).")
    var count: Int
    @Option(help: "The seed; the same seed, count and period give the same file.")
    var seed: UInt64 = 1
    @Option(help: "The month most orders fall in (UTC), YYYY-MM.")
    var period: String

    func run() throws {
      try reportingErrors {
        let generator = try OrderGenerator(count: count, seed: seed, period: try Month(period))
        try generator.write { bytes in try writeToStandardOutput(bytes) }
      }
    }
  }
}

/// Writes all of `bytes` to standard output with POSIX `write`, retrying after a signal and
/// after a partial write. A reader that has gone away (`settle generate orders | head`) ends the
/// command quietly with status 0.
/// - Throws: `FileError` for "standard output" on any other failure, `ExitCode.success` on a closed pipe.
private func writeToStandardOutput(_ bytes: UnsafeRawBufferPointer) throws {
  guard let base = bytes.baseAddress else { return }
  var offset = 0
  while offset < bytes.count {
    let written = write(STDOUT_FILENO, base + offset, bytes.count - offset)
    if written < 0 {
      if errno == EINTR { continue }
      if errno == EPIPE { throw ExitCode.success }
      throw FileError(path: "standard output", operation: "write", reason: String(cString: strerror(errno)))
    }
    offset += written
  }
}

import Commissions
import Dates
import Rates

#if canImport(Glibc)
  import Glibc
#endif

/// Where the workloads find their inputs: the repository (rates, samples) and a cache of generated
/// order files, so that a file of a million orders is written once and not under valgrind.
public struct Inputs: Sendable {
  /// The repository root, found from this file's place in the tree.
  public static let repositoryRoot: String = {
    var components = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
    components.removeLast(3)  // Inputs.swift, Workloads/, Benchmarks/
    return components.joined(separator: "/")
  }()

  /// The folder generated order files are kept in (`SETTLE_BENCH_INPUTS`, or under /tmp).
  public let cacheDirectory: String

  public init(cacheDirectory: String? = nil) {
    self.cacheDirectory =
      cacheDirectory ?? getenv("SETTLE_BENCH_INPUTS").map { String(cString: $0) } ?? "/tmp/settle-bench-inputs"
  }

  public var ratesDirectory: String { Inputs.repositoryRoot + "/rates" }

  public func loadRates() throws -> RateTable {
    try RatesStore(directory: ratesDirectory).load()
  }

  /// The path of `count` generated orders for `period` with `seed`, generated now unless the cache
  /// has them (written to a temporary name, then renamed, so a half-written file is never used).
  public func ordersFile(count: Int, seed: UInt64, period: Month) throws -> String {
    let path = "\(cacheDirectory)/orders-\(period)-\(count)-\(seed).csv"
    if access(path, R_OK) == 0 { return path }
    if mkdir(cacheDirectory, 0o755) != 0 && errno != EEXIST {
      throw ScratchError(path: cacheDirectory, reason: "cannot create the folder")
    }
    let temporary = path + ".partial-\(getpid())"
    let file = try ScratchFile(path: temporary)
    try OrderGenerator(count: count, seed: seed, period: period).write { bytes in try file.write(bytes) }
    try file.close()
    guard rename(temporary, path) == 0 else { throw ScratchError(path: path, reason: "cannot rename into place") }
    return path
  }
}

/// The ECB's full history as the repository ships it.
public let historyPath = Inputs.repositoryRoot + "/rates/eurofxref-hist.xml"

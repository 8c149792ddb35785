/// A ledger operation that cannot be done, in one line naming the ledger file and the reason.
/// Nothing has been written when one is thrown: every change is one SQLite transaction.
public struct LedgerError: Error, Equatable, CustomStringConvertible {
  public let path: String
  public let problem: String

  public init(path: String, _ problem: String) {
    self.path = path
    self.problem = problem
  }

  public var description: String { "\(path): \(problem)" }
}

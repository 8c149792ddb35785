#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file operation that failed, naming the path, what was being done and the system's reason.
public struct FileError: Error, Equatable, CustomStringConvertible {
  public let path: String
  public let operation: String
  public let reason: String

  public init(path: String, operation: String, reason: String) {
    self.path = path
    self.operation = operation
    self.reason = reason
  }

  /// An error for the current `errno`.
  static func system(path: String, operation: String) -> FileError {
    FileError(path: path, operation: operation, reason: String(cString: strerror(errno)))
  }

  public var description: String { "\(path): cannot \(operation): \(reason)" }
}

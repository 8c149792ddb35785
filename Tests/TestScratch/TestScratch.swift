import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Where the tests put their files: one folder per test process, `/tmp/settle-test-run-PID`,
/// removed with everything in it when the process exits.
///
/// A process that crashed or was killed leaves its folder behind; the next test process removes
/// each such folder whose process is gone and which nobody has touched for `staleSecondsMin`.
public enum TestScratch {
  static let rootPrefix = "/tmp/settle-test-run-"
  /// How long a dead process's folder must have been left alone before another run removes it.
  static let staleSecondsMin: TimeInterval = 3600

  private static let madeRoot = Result<String, any Error> {
    let root = rootPrefix + String(getpid())
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    atexit { TestScratch.removeRoot() }
    removeStaleRoots()
    return root
  }

  /// This process's folder, made on first use.
  public static func root() throws -> String { try madeRoot.get() }

  /// A new empty folder in this process's root, its name starting with `label`.
  public static func folder(_ label: String) throws -> String {
    let path = try newPath(label)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    return path
  }

  /// A path in this process's root that nothing uses yet, its name starting with `label`; nothing is
  /// made there.
  public static func newPath(_ label: String) throws -> String {
    "\(try root())/\(label)-\(UInt64.random(in: 0...UInt64.max))"
  }

  static func removeRoot() {
    guard case .success(let root) = madeRoot else { return }
    try? FileManager.default.removeItem(atPath: root)
  }

  /// Removes the folders of earlier test processes that are gone, once left alone long enough.
  static func removeStaleRoots() {
    let manager = FileManager.default
    let names = (try? manager.contentsOfDirectory(atPath: "/tmp")) ?? []
    for path in names.map({ "/tmp/" + $0 }) where path.hasPrefix(rootPrefix) {
      guard let process = pid_t(path.dropFirst(rootPrefix.count)), process != getpid() else { continue }
      guard kill(process, 0) != 0, errno == ESRCH else { continue }
      let modified = (try? manager.attributesOfItem(atPath: path)[.modificationDate]) as? Date
      guard let modified, Date().timeIntervalSince(modified) >= staleSecondsMin else { continue }
      try? manager.removeItem(atPath: path)
    }
  }
}

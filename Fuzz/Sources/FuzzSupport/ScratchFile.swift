#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A per-process scratch directory for readers that take only a path: on a RAM file system when there
/// is one (`/dev/shm`), since a run writes and fsyncs files for every input.
public enum ScratchFile {
  /// The directory, made once per process.
  public static let directory: String = {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    let path = "\(base)/settle-fuzz-\(getpid())"
    guard mkdir(path, 0o700) == 0 || errno == EEXIST else { fatalError("cannot make \(path): errno \(errno)") }
    return path
  }()

  /// Writes `bytes` to `name` in the scratch directory, replacing it, and returns its path.
  public static func store(_ bytes: [UInt8], name: String) -> String {
    let path = directory + "/" + name
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { fatalError("cannot open \(path): errno \(errno)") }
    defer { close(descriptor) }
    var written = 0
    while written < bytes.count {
      let count = bytes.withUnsafeBytes { buffer in
        write(descriptor, buffer.baseAddress.map { $0 + written }, bytes.count - written)
      }
      guard count > 0 else { fatalError("cannot write \(path): errno \(errno)") }
      written += count
    }
    return path
  }

  /// The bytes of a file the run wrote, or nil when there is none.
  public static func contents(_ path: String) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      guard count > 0 else { break }
      bytes.append(contentsOf: chunk[0..<count])
    }
    return bytes
  }

  /// Where a file of the fuzz package's own sources is, from this file's path: fixtures the targets load once.
  public static func fuzzPackagePath(_ relative: String) -> String {
    var path = #filePath
    for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
    return path + "/" + relative
  }
}

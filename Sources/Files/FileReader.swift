#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads whole files, bounded in size.
public enum FileReader {
  /// The bytes of the file at `path` (or standard input for `-`), refusing files over `bytesMax`.
  /// - Throws: `FileError` naming the path and the reason (missing, unreadable, over the limit).
  public static func readAll(path: String, bytesMax: Int) throws(FileError) -> [UInt8] {
    let descriptor = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .system(path: path, operation: "open") }
    defer { if descriptor != STDIN_FILENO { close(descriptor) } }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw .system(path: path, operation: "read")
      }
      if count == 0 { return bytes }
      guard bytes.count + count <= bytesMax else {
        throw FileError(path: path, operation: "read", reason: "larger than the limit of \(bytesMax) bytes")
      }
      bytes.append(contentsOf: chunk[0..<count])
    }
  }

  /// Whether a file exists at `path`.
  public static func exists(_ path: String) -> Bool {
    access(path, F_OK) == 0
  }

  /// Creates the directory (and its parents) if missing.
  public static func createDirectory(_ path: String) throws(FileError) {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
      prefix += component + "/"
      if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
        throw .system(path: prefix, operation: "create directory")
      }
    }
  }
}

extension FileReader {
  /// Removes a file if it exists; a missing file is not an error.
  public static func remove(_ path: String) {
    unlink(path)
  }

  /// The size of the file at `path` in bytes, or nil when it cannot be read (standard input, a pipe).
  public static func size(_ path: String) -> Int? {
    var status = stat()
    guard path != "-", stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int(status.st_size)
  }
}

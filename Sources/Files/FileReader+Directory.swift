#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension FileReader {
  /// Most entries listed from one directory.
  public static let directoryEntriesMax = 100_000

  /// The names in a directory (not `.` or `..`), sorted by bytes.
  /// - Throws: `FileError` naming the directory when it cannot be opened, or holds more than
  ///   `directoryEntriesMax` entries.
  public static func names(inDirectory path: String) throws(FileError) -> [String] {
    guard let directory = opendir(path) else { throw .system(path: path, operation: "open directory") }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard name != ".", name != ".." else { continue }
      guard names.count < directoryEntriesMax else {
        throw FileError(path: path, operation: "list", reason: "more than \(directoryEntriesMax) entries")
      }
      names.append(name)
    }
    return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }
}

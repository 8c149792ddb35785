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
    var bytes: [UInt8] = []
    do {
      try readPieces(path: path, bytesMax: bytesMax) { piece in
        bytes.append(contentsOf: piece)
        return true
      }
    } catch let error as FileError {
      throw error
    } catch {
      preconditionFailure("appending bytes throws nothing: \(error)")
    }
    return bytes
  }

  /// Reads the file at `path` (or standard input for `-`) front to back, handing `body` each
  /// piece as it is read (64 KiB at most), so the file is never held whole, until `body` returns
  /// false: what follows that piece is not read.
  /// - Throws: `FileError` naming the path and the reason (missing, unreadable, over `bytesMax`),
  ///   or what `body` throws; reading stops there.
  public static func readPieces(
    path: String, bytesMax: Int, while body: (UnsafeBufferPointer<UInt8>) throws -> Bool
  ) throws {
    let descriptor = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw FileError.system(path: path, operation: "open") }
    defer { if descriptor != STDIN_FILENO { close(descriptor) } }
    var piece = [UInt8](repeating: 0, count: 1 << 16)
    var total = 0
    while true {
      let count = piece.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw FileError.system(path: path, operation: "read")
      }
      if count == 0 { return }
      total += count
      guard total <= bytesMax else {
        throw FileError(path: path, operation: "read", reason: "larger than the limit of \(bytesMax) bytes")
      }
      let goesOn = try piece.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<count])) }
      if !goesOn { return }
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
    guard path != "-", let identity = FileIdentity(path: path) else { return nil }
    return Int(identity.bytes)
  }
}

extension FileReader {
  /// How many line feeds `bytes` holds, counted 32 bytes at a time: each lane of a byte vector
  /// counts the line feeds in its position, up to 255 vectors between two sums.
  static func lineFeeds(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
    guard let base = bytes.baseAddress else { return 0 }
    let raw = UnsafeRawPointer(base)
    let lineFeed = SIMD32<UInt8>(repeating: 10)
    var count = 0
    var position = 0
    while bytes.count - position >= 32 {
      // A mask lane is all ones (-1) where the byte is a line feed: subtracting it counts one.
      var lanes = SIMD32<Int8>()
      let vectors = min((bytes.count - position) / 32, 255)
      for _ in 0..<vectors {
        let vector = raw.loadUnaligned(fromByteOffset: position, as: SIMD32<UInt8>.self)
        lanes &-= unsafeBitCast(vector .== lineFeed, to: SIMD32<Int8>.self)
        position += 32
      }
      count += Int(SIMD32<UInt16>(truncatingIfNeeded: SIMD32<UInt8>(truncatingIfNeeded: lanes)).wrappedSum())
    }
    while position < bytes.count {
      if bytes[position] == 10 { count += 1 }
      position += 1
    }
    return count
  }
}

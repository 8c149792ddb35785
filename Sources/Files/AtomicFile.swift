#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes whole files so that a crash at any moment leaves either the old file or the new one.
///
/// The bytes go to a temporary file in the same directory, which is fsynced, renamed over the
/// destination, and then the directory is fsynced so that the rename itself is durable.
public enum AtomicFile {
  /// Replaces the file at `path` with `bytes`, atomically and durably.
  /// - Throws: `FileError` naming the path; the destination is then untouched and no temporary file is left.
  public static func write(_ bytes: [UInt8], to path: String) throws(FileError) {
    do {
      try write(to: path) { writer in try writer.write(bytes) }
    } catch let error as FileError {
      throw error
    } catch {
      preconditionFailure("writing bytes throws only FileError: \(error)")
    }
  }

  /// Replaces the file at `path` with what `produce` writes, atomically and durably.
  ///
  /// If `produce` throws, its error is rethrown, the destination is untouched and the temporary
  /// file is removed. File system failures throw `FileError`.
  public static func write(to path: String, _ produce: (AtomicFileWriter) throws -> Void) throws {
    let writer = try AtomicFileWriter(path: path)
    do {
      try produce(writer)
    } catch {
      writer.abandon()
      throw error
    }
    try writer.commit()
  }

  static func temporaryPath(for path: String) -> String {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    return "\(directory).\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  }

  /// Makes a rename durable. A directory that cannot be opened for fsync (some file systems) is not an error.
  static func syncDirectory(containing path: String) {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[..<$0]) } ?? "."
    let descriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    _ = fsync(descriptor)
    close(descriptor)
  }
}

/// A buffered writer into an open file, used inside `AtomicFile.write(to:_:)`.
///
/// With `direct` (a file opened with `O_DIRECT`) the bytes bypass the page cache through
/// `DirectWrites`, one staging buffer written in the background while the next fills.
public struct FileSink {
  var descriptor: Int32
  let path: String
  private var buffer: [UInt8] = []
  private var direct: DirectWrites?
  /// Bytes buffered before a write system call.
  public static let bufferBytesMax = 1 << 20

  init(descriptor: Int32, path: String, direct: Bool = false) {
    self.descriptor = descriptor
    self.path = path
    if direct {
      self.direct = DirectWrites(descriptor: descriptor, path: path)
    } else {
      buffer.reserveCapacity(FileSink.bufferBytesMax)
    }
  }

  /// Appends bytes. A write that would fill the buffer goes straight to the file after what is
  /// buffered, when the bytes are contiguous, instead of being copied into the buffer first.
  public mutating func write(_ bytes: some Collection<UInt8>) throws(FileError) {
    if let direct {
      let staged: Result<Void, FileError>? = bytes.withContiguousStorageIfAvailable { contiguous in
        Result { () throws(FileError) in try direct.stage(UnsafeRawBufferPointer(contiguous)) }
      }
      if let staged { return try staged.get() }
      return try Array(bytes).withUnsafeBytes { raw in Result { () throws(FileError) in try direct.stage(raw) } }.get()
    }
    if buffer.count + bytes.count >= FileSink.bufferBytesMax {
      try flush()
      let written: Result<Void, FileError>? = bytes.withContiguousStorageIfAvailable { contiguous in
        Result { () throws(FileError) in try FileSink.writeAll(UnsafeRawBufferPointer(contiguous), descriptor, path) }
      }
      if let written { return try written.get() }
    }
    buffer.append(contentsOf: bytes)
    if buffer.count >= FileSink.bufferBytesMax { try flush() }
  }

  /// Appends the UTF-8 of a string.
  public mutating func write(_ text: String) throws(FileError) {
    try write(text.utf8)
  }

  /// Writes everything held to the file; a direct sink writes buffered from then on.
  mutating func flush() throws(FileError) {
    if let direct {
      self.direct = nil
      return try direct.finish()
    }
    let written = buffer.withUnsafeBytes { raw in
      Result { () throws(FileError) in try FileSink.writeAll(raw, descriptor, path) }
    }
    try written.get()
    buffer.removeAll(keepingCapacity: true)
  }

  /// Waits for a write under way in the background, before the descriptor is closed unflushed.
  func waitForWrites() {
    direct?.waitForWrite()
  }

  /// `O_DIRECT`, which Swift's Glibc module does not import: the kernel's value on each
  /// architecture, nil where it is not known (writes then go through the page cache).
  static var directFlag: Int32? {
    #if os(Linux) && arch(x86_64)
      return 0o40000
    #elseif os(Linux) && arch(arm64)
      return 0o200000
    #else
      return nil
    #endif
  }

  /// Writes every byte of `raw`, past short writes and interruptions.
  static func writeAll(_ raw: UnsafeRawBufferPointer, _ descriptor: Int32, _ path: String) throws(FileError) {
    var offset = 0
    while offset < raw.count {
      let written = Glibc.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        throw .system(path: path, operation: "write")
      }
      offset += written
    }
  }
}

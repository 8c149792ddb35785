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
/// With `staging` (a file opened with `O_DIRECT`) the bytes bypass the page cache: they are copied
/// into page-aligned staging and go to the file a whole staging buffer at a time, straight to the
/// device; `flush()` writes the last whole blocks the same way and the tail under a block through
/// the page cache. A file system that refuses direct writes gets buffered ones instead.
public struct FileSink {
  var descriptor: Int32
  let path: String
  private var buffer: [UInt8] = []
  private var staging: AlignedStaging?
  /// Bytes buffered before a write system call.
  public static let bufferBytesMax = 1 << 20

  init(descriptor: Int32, path: String, direct: Bool = false) {
    self.descriptor = descriptor
    self.path = path
    if direct {
      staging = AlignedStaging(bytes: FileSink.stagingBytes)
    } else {
      buffer.reserveCapacity(FileSink.bufferBytesMax)
    }
  }

  /// Bytes of staging for direct writes, a whole number of blocks: each write moves this many.
  static let stagingBytes = 2 << 20

  /// Appends bytes. A write that would fill the buffer goes straight to the file after what is
  /// buffered, when the bytes are contiguous, instead of being copied into the buffer first.
  public mutating func write(_ bytes: some Collection<UInt8>) throws(FileError) {
    if staging != nil {
      let staged: Result<Void, FileError>? = bytes.withContiguousStorageIfAvailable { contiguous in
        Result { () throws(FileError) in try stage(UnsafeRawBufferPointer(contiguous)) }
      }
      if let staged { return try staged.get() }
      return try Array(bytes).withUnsafeBytes { raw in Result { () throws(FileError) in try stage(raw) } }.get()
    }
    if buffer.count + bytes.count >= FileSink.bufferBytesMax {
      try flush()
      let direct: Result<Void, FileError>? = bytes.withContiguousStorageIfAvailable { contiguous in
        Result { () throws(FileError) in try writeAll(UnsafeRawBufferPointer(contiguous)) }
      }
      if let direct { return try direct.get() }
    }
    buffer.append(contentsOf: bytes)
    if buffer.count >= FileSink.bufferBytesMax { try flush() }
  }

  /// Appends the UTF-8 of a string.
  public mutating func write(_ text: String) throws(FileError) {
    try write(text.utf8)
  }

  mutating func flush() throws(FileError) {
    if let staging {
      // The whole blocks directly; the tail, which a direct write cannot take, through the page cache.
      let blocks = staging.count / AlignedStaging.blockBytes * AlignedStaging.blockBytes
      try writeDirectly(UnsafeRawBufferPointer(start: staging.base, count: blocks))
      try endDirectWrites()
      try writeAll(UnsafeRawBufferPointer(start: staging.base + blocks, count: staging.count - blocks))
      self.staging = nil
      return
    }
    let written = buffer.withUnsafeBytes { raw in Result { () throws(FileError) in try writeAll(raw) } }
    try written.get()
    buffer.removeAll(keepingCapacity: true)
  }

  /// Copies `raw` into the staging, writing it to the file each time it is full.
  private mutating func stage(_ raw: UnsafeRawBufferPointer) throws(FileError) {
    var offset = 0
    while offset < raw.count, let staging {
      let taken = min(raw.count - offset, staging.bytes - staging.count)
      if let source = raw.baseAddress {
        (staging.base + staging.count).copyMemory(from: source + offset, byteCount: taken)
      }
      staging.count += taken
      offset += taken
      if staging.count == staging.bytes {
        try writeDirectly(UnsafeRawBufferPointer(start: staging.base, count: staging.count))
        staging.count = 0
      }
    }
    // Direct writes were refused and the staging written out: the rest goes the buffered way.
    if offset < raw.count, let base = raw.baseAddress {
      try writeAll(UnsafeRawBufferPointer(start: base + offset, count: raw.count - offset))
    }
  }

  /// Writes whole blocks from the staging bypassing the page cache; where the file system refuses
  /// (`EINVAL`) or writes part of a block, the rest goes through the page cache and so does every
  /// later write.
  private mutating func writeDirectly(_ raw: UnsafeRawBufferPointer) throws(FileError) {
    var offset = 0
    while offset < raw.count, staging != nil {
      let written = Glibc.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        guard errno == EINVAL else { throw .system(path: path, operation: "write") }
        try endDirectWrites()
        staging = nil
      } else {
        offset += written
        if offset % AlignedStaging.blockBytes != 0 {
          try endDirectWrites()
          staging = nil
        }
      }
    }
    if offset < raw.count, let base = raw.baseAddress {
      try writeAll(UnsafeRawBufferPointer(start: base + offset, count: raw.count - offset))
    }
  }

  /// Clears `O_DIRECT` on the descriptor: the writes after this go through the page cache.
  private func endDirectWrites() throws(FileError) {
    guard let flag = FileSink.directFlag else { return }
    let flags = fcntl(descriptor, F_GETFL)
    guard flags >= 0, fcntl(descriptor, F_SETFL, flags & ~flag) == 0 else {
      throw .system(path: path, operation: "clear O_DIRECT on")
    }
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
  private func writeAll(_ raw: UnsafeRawBufferPointer) throws(FileError) {
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

/// Page-aligned memory for direct writes, owned by one `FileSink`.
final class AlignedStaging {
  /// What a direct write's address, length and file offset must be multiples of.
  static let blockBytes = 4_096
  let bytes: Int
  let base: UnsafeMutableRawPointer
  /// Bytes staged, not yet written.
  var count = 0

  init(bytes: Int) {
    precondition(bytes > 0 && bytes % AlignedStaging.blockBytes == 0, "whole blocks of staging, not \(bytes) bytes")
    self.bytes = bytes
    base = .allocate(byteCount: bytes, alignment: AlignedStaging.blockBytes)
  }

  deinit { base.deallocate() }
}

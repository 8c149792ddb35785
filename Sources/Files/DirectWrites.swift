import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes that bypass the page cache (`O_DIRECT`), for a `FileSink` whose file was opened so.
///
/// Bytes are copied into page-aligned staging; a full staging buffer is written in the background
/// while the other one fills, so the caller waits for the device only when both are full. Writes
/// go one at a time, in order (the file offset is the descriptor's). `finish` writes the last
/// whole blocks directly and the tail under a block through the page cache. Where the file
/// system refuses a direct write (`EINVAL`) or writes part of a block, that write and every later
/// one go through the page cache instead: the file's bytes are the same either way.
///
/// Unchecked: the background write touches the descriptor and the buffer it was given, and
/// records its error, only between `dispatch` and the `wait` that every later use of either makes.
final class DirectWrites: @unchecked Sendable {
  /// What a direct write's address, length and file offset must be multiples of.
  static let blockBytes = 4_096
  /// Bytes of one staging buffer, a whole number of blocks: each write moves this many.
  static let stagingBytes = 2 << 20

  private let descriptor: Int32
  private let path: String
  /// The buffer being filled, and the one being written (or free).
  private var filling: UnsafeMutableRawPointer
  private var other: UnsafeMutableRawPointer
  private var filled = 0
  private let inFlight = DispatchGroup()
  private var writeError: FileError?
  /// Whether writes still bypass the page cache: false after a refusal.
  private var isDirect = true

  init(descriptor: Int32, path: String) {
    self.descriptor = descriptor
    self.path = path
    filling = .allocate(byteCount: DirectWrites.stagingBytes, alignment: DirectWrites.blockBytes)
    other = .allocate(byteCount: DirectWrites.stagingBytes, alignment: DirectWrites.blockBytes)
  }

  deinit {
    inFlight.wait()
    filling.deallocate()
    other.deallocate()
  }

  /// Copies `raw` into the staging, handing each full buffer to a background write.
  func stage(_ raw: UnsafeRawBufferPointer) throws(FileError) {
    var offset = 0
    while offset < raw.count, let source = raw.baseAddress {
      let taken = min(raw.count - offset, DirectWrites.stagingBytes - filled)
      (filling + filled).copyMemory(from: source + offset, byteCount: taken)
      filled += taken
      offset += taken
      if filled == DirectWrites.stagingBytes { try dispatchFull() }
    }
  }

  /// Waits for the write under way, if any (its error is thrown by the next `stage` or `finish`).
  func waitForWrite() {
    inFlight.wait()
  }

  /// Writes what is staged (the whole blocks directly, the tail through the page cache) once the
  /// write under way is done; the descriptor then writes through the page cache.
  func finish() throws(FileError) {
    inFlight.wait()
    if let writeError { throw writeError }
    let blocks = filled / DirectWrites.blockBytes * DirectWrites.blockBytes
    try write(UnsafeRawBufferPointer(start: filling, count: blocks))
    try endDirectWrites()
    try FileSink.writeAll(UnsafeRawBufferPointer(start: filling + blocks, count: filled - blocks), descriptor, path)
    filled = 0
  }

  /// Hands the full buffer to a background write, after the one before it, and fills the other.
  private func dispatchFull() throws(FileError) {
    inFlight.wait()
    if let writeError { throw writeError }
    swap(&filling, &other)
    filled = 0
    inFlight.enter()
    DispatchQueue.global(qos: .userInitiated).async { [self] in
      do throws(FileError) {
        // `other` stays this buffer until the next `dispatchFull`, which waits for this write.
        try write(UnsafeRawBufferPointer(start: other, count: DirectWrites.stagingBytes))
      } catch {
        writeError = error
      }
      inFlight.leave()
    }
  }

  /// Writes whole blocks bypassing the page cache while the file system allows it, the rest through it.
  private func write(_ raw: UnsafeRawBufferPointer) throws(FileError) {
    var offset = 0
    while offset < raw.count, isDirect {
      let written = Glibc.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        guard errno == EINVAL else { throw .system(path: path, operation: "write") }
        try endDirectWrites()
      } else {
        offset += written
        if offset % DirectWrites.blockBytes != 0 { try endDirectWrites() }
      }
    }
    if offset < raw.count, let base = raw.baseAddress {
      try FileSink.writeAll(UnsafeRawBufferPointer(start: base + offset, count: raw.count - offset), descriptor, path)
    }
  }

  /// Clears `O_DIRECT` on the descriptor: the writes after this go through the page cache.
  private func endDirectWrites() throws(FileError) {
    guard isDirect else { return }
    isDirect = false
    guard let flag = FileSink.directFlag else { return }
    let flags = fcntl(descriptor, F_GETFL)
    guard flags >= 0, fcntl(descriptor, F_SETFL, flags & ~flag) == 0 else {
      throw .system(path: path, operation: "clear O_DIRECT on")
    }
  }
}

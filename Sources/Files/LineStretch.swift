#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file read a stretch of whole lines at a time, each stretch into memory of its caller's
/// (`LineStretch`), so one read of the file both finds where the stretch ends and brings its
/// bytes in: a stretch starting at `start` holds at least `bytesMin` bytes (fewer at the end of
/// the file), through the first line feed from `start + bytesMin - 1` on.
///
/// `pread` only: one reader may fill stretches for several threads, each read being whole.
public final class LineStretchReader: @unchecked Sendable {
  public let path: String
  private let descriptor: Int32
  /// Bytes read per system call past a stretch's least length, while looking for its line feed.
  static let searchReadBytes = 64 << 10

  /// Opens `path` for reading.
  /// - Throws: `FileError` naming the path when it cannot be opened.
  public init(path: String) throws(FileError) {
    self.path = path
    descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .system(path: path, operation: "open") }
  }

  deinit { close(descriptor) }

  /// Reads the stretch starting at `start` into `stretch`, growing its memory when a line near the
  /// stretch's least length runs past it.
  /// - Throws: `FileError` naming the path when a read fails.
  public func read(from start: Int, bytesMin: Int, into stretch: LineStretch) throws(FileError) {
    precondition(start >= 0 && bytesMin > 0, "a stretch of at least one byte, from an offset in the file")
    stretch.start = start
    stretch.count = 0
    stretch.reachesEndOfFile = false
    var searchFrom = bytesMin - 1
    while true {
      let wanted = stretch.count < bytesMin ? bytesMin - stretch.count : LineStretchReader.searchReadBytes
      stretch.reserve(stretch.count + wanted)
      let got = try readSome(into: stretch.storage + stretch.count, count: wanted, at: start + stretch.count)
      if got == 0 {
        stretch.reachesEndOfFile = true
        break
      }
      stretch.count += got
      guard stretch.count > searchFrom else { continue }
      let found = UnsafeBufferPointer(start: stretch.storage, count: stretch.count)[searchFrom...].firstIndex(of: 10)
      if let lineFeed = found {
        stretch.count = lineFeed + 1
        break
      }
      searchFrom = stretch.count
    }
    stretch.lineFeeds = FileReader.lineFeeds(in: stretch.bytes)
  }

  /// One `pread` of at most `count` bytes at `offset`, retried when interrupted; 0 at the end of the file.
  private func readSome(into target: UnsafeMutablePointer<UInt8>, count: Int, at offset: Int) throws(FileError) -> Int {
    while true {
      let got = pread(descriptor, target, count, off_t(offset))
      if got >= 0 { return got }
      if errno != EINTR { throw .system(path: path, operation: "read") }
    }
  }
}

/// Memory for one stretch of whole lines of a file (see `LineStretchReader`), reused from one
/// stretch to the next and grown only for a long line near a stretch's end.
public final class LineStretch: @unchecked Sendable {
  fileprivate var storage: UnsafeMutablePointer<UInt8>
  fileprivate var capacity: Int
  /// Where the stretch starts in the file.
  public fileprivate(set) var start = 0
  /// Bytes in the stretch.
  public fileprivate(set) var count = 0
  /// Line feeds in the stretch: one per line, but for a last line without one.
  public fileprivate(set) var lineFeeds = 0
  /// Whether the stretch runs to the end of the file (whose last line may lack its line feed).
  public fileprivate(set) var reachesEndOfFile = false

  /// Memory for stretches of about `capacity` bytes.
  public init(capacity: Int) {
    precondition(capacity > 0, "a stretch holds at least a byte")
    self.capacity = capacity
    storage = .allocate(capacity: capacity)
  }

  deinit { storage.deallocate() }

  /// Where the stretch ends in the file.
  public var end: Int { start + count }

  /// The stretch's bytes, valid until the next read into it.
  public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }

  fileprivate func reserve(_ bytes: Int) {
    guard bytes > capacity else { return }
    let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes, 2 * capacity))
    larger.update(from: storage, count: count)
    storage.deallocate()
    storage = larger
    capacity = max(bytes, 2 * capacity)
  }
}

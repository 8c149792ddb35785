#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file with no name, for data a run spills and reads back before it ends.
///
/// Made with `open(directory, O_TMPFILE)` on Linux, else (or where the file system refuses it)
/// with `mkstemp` and an immediate `unlink`: the file has no name from the start, so a crash
/// leaves nothing behind, and its space is freed when the descriptor is closed in `deinit`.
/// Nothing is fsynced: the data lives only as long as the run.
public final class ScratchFile {
  /// The directory the file is made in: what errors name, since the file itself has no path.
  public let directory: String
  /// Most bytes the file may hold; an append past it throws.
  public let bytesMax: Int
  /// Bytes appended so far: the file's size and the offset of the next append.
  public private(set) var count = 0
  private let descriptor: Int32

  /// Makes the file in `directory`, which must exist.
  /// - Throws: `FileError` naming the directory when neither `O_TMPFILE` nor `mkstemp` can make it.
  public init(directory: String, bytesMax: Int) throws(FileError) {
    precondition(bytesMax >= 0, "a scratch file's bytesMax is \(bytesMax)")
    self.directory = directory
    self.bytesMax = bytesMax
    descriptor = try ScratchFile.openAnonymous(in: directory)
  }

  deinit { close(descriptor) }

  private static func openAnonymous(in directory: String) throws(FileError) -> Int32 {
    #if os(Linux)
      let anonymous = open(directory, __O_TMPFILE | O_DIRECTORY | O_RDWR | O_CLOEXEC, 0o600)
      if anonymous >= 0 { return anonymous }
    #endif
    var template = Array((directory + "/.settle-scratch-XXXXXX").utf8CString)
    let named = template.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress.map { mkstemp($0) } ?? -1
    }
    guard named >= 0 else { throw .system(path: directory, operation: "create a scratch file here") }
    let path = template.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.map { String(cString: $0) } ?? ""
    }
    guard unlink(path) == 0 else {
      let error = FileError.system(path: path, operation: "unlink the new scratch file")
      close(named)
      throw error
    }
    return named
  }

  /// Writes `bytes` at the end of the file, past short writes and interruptions.
  /// - Returns: the offset the bytes start at.
  /// - Throws: `FileError` naming the directory when the write fails or would pass `bytesMax`.
  @discardableResult
  public func append(_ bytes: UnsafeRawBufferPointer) throws(FileError) -> Int {
    let start = count
    guard bytes.count <= bytesMax - start else {
      throw FileError(
        path: directory, operation: "append \(bytes.count) bytes to a scratch file of \(start) bytes here",
        reason: "larger than the limit of \(bytesMax) bytes")
    }
    var written = 0
    while written < bytes.count {
      let result = pwrite(
        descriptor, bytes.baseAddress.map { $0 + written }, bytes.count - written, off_t(start + written))
      if result < 0 {
        if errno == EINTR { continue }
        throw .system(
          path: directory, operation: "write \(bytes.count) bytes at offset \(start) of a scratch file here")
      }
      written += result
    }
    count = start + bytes.count
    return start
  }

  /// Fills `buffer` with the bytes at `offset`, past short reads and interruptions.
  /// - Throws: `FileError` naming the directory when the read fails or the range passes what was appended.
  public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(FileError) {
    guard offset >= 0, buffer.count <= count - offset else {
      throw FileError(
        path: directory, operation: "read \(buffer.count) bytes at offset \(offset) of a scratch file here",
        reason: "past its end at \(count) bytes")
    }
    var done = 0
    while done < buffer.count {
      let result = pread(descriptor, buffer.baseAddress.map { $0 + done }, buffer.count - done, off_t(offset + done))
      if result < 0 {
        if errno == EINTR { continue }
        throw .system(
          path: directory, operation: "read \(buffer.count) bytes at offset \(offset) of a scratch file here")
      }
      guard result > 0 else {
        throw FileError(
          path: directory, operation: "read \(buffer.count) bytes at offset \(offset) of a scratch file here",
          reason: "it ended after \(offset + done) bytes")
      }
      done += result
    }
  }
}

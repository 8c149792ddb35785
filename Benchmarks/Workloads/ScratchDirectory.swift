#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why a scratch file could not be made or written, naming it.
public struct ScratchError: Error, CustomStringConvertible {
  public let path: String
  let reason: String
  public var description: String { "\(path): \(reason) (errno \(errno))" }
}

/// A fresh directory under `/tmp` (`mkdtemp`) for one benchmark's generated input and outputs.
///
/// `remove()` deletes the files the benchmark put there (it knows their names: no recursive
/// walk), then the directory itself.
public struct ScratchDirectory: Sendable {
  public let path: String

  public init(prefix: String) throws {
    var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
    guard made != nil else { throw ScratchError(path: "/tmp/\(prefix)-XXXXXX", reason: "mkdtemp failed") }
    path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Deletes `files` (paths relative to the directory), then the directories named in
  /// `directories`, innermost first, then the scratch directory. Missing entries are skipped.
  public func remove(files: [String], directories: [String]) {
    for file in files { unlink(path + "/" + file) }
    for directory in directories { rmdir(path + "/" + directory) }
    rmdir(path)
  }
}

/// A file written from start to end with POSIX `write`, closed on `close()` or `deinit`.
public final class ScratchFile {
  public let path: String
  private var descriptor: Int32

  public init(path: String) throws {
    self.path = path
    descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else { throw ScratchError(path: path, reason: "cannot create") }
  }

  /// Writes all of `bytes`, retrying partial writes and signals.
  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard let base = bytes.baseAddress else { return }
    var offset = 0
    while offset < bytes.count {
      let written = posixWrite(descriptor, base + offset, bytes.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        throw ScratchError(path: path, reason: "write failed")
      }
      offset += written
    }
  }

  public func close() throws {
    guard descriptor >= 0 else { return }
    defer { descriptor = -1 }
    guard posixClose(descriptor) == 0 else { throw ScratchError(path: path, reason: "close failed") }
  }

  deinit { if descriptor >= 0 { _ = posixClose(descriptor) } }
}

// The C library's `write` and `close`, under names a type's own `write` and `close` do not hide.
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}

private func posixClose(_ descriptor: Int32) -> Int32 { close(descriptor) }

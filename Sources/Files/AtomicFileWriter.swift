import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file being written for atomic replacement: bytes go to a temporary file next to the
/// destination; `commit()` fsyncs and renames it into place, `abandon()` (or deinit without a
/// commit) removes it. Several writers can be committed one after another once all succeeded.
public final class AtomicFileWriter {
  public let path: String
  let temporaryPath: String
  private var sink: FileSink
  private var isOpen = true
  /// With `syncInBackground(everyBytes:)`: bytes written, and where the last background sync began.
  private var bytesWritten = 0
  private var syncedUpTo = 0
  private var syncEveryBytes = Int.max
  /// The background sync under way, if any.
  private let syncs = DispatchGroup()

  /// Whether the bytes go to the device without the page cache (`O_DIRECT`), as asked and where
  /// the file system takes it.
  public let bypassesPageCache: Bool

  /// Creates the temporary file.
  /// - Parameter bypassingPageCache: write with `O_DIRECT` where the file system allows it, for a
  ///   large file written once: the copy into the page cache and its write-back cost more than
  ///   the write itself (624 MB on this project's VM: 1.5 s through the page cache, 0.25 s direct,
  ///   each with its fdatasync). The file's contents and durability are the same either way.
  /// - Throws: `FileError` naming the temporary path.
  public init(path: String, bypassingPageCache: Bool = false) throws(FileError) {
    self.path = path
    temporaryPath = AtomicFile.temporaryPath(for: path)
    let flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC
    var descriptor: Int32 = -1
    if bypassingPageCache, let direct = FileSink.directFlag {
      descriptor = open(temporaryPath, flags | direct, 0o644)
      // Some file systems refuse O_DIRECT at open (EINVAL): the file is then written buffered.
      if descriptor < 0 && errno != EINVAL { throw .system(path: temporaryPath, operation: "create") }
    }
    bypassesPageCache = descriptor >= 0
    if descriptor < 0 { descriptor = open(temporaryPath, flags, 0o644) }
    guard descriptor >= 0 else { throw .system(path: temporaryPath, operation: "create") }
    sink = FileSink(descriptor: descriptor, path: temporaryPath, direct: bypassesPageCache)
  }

  deinit {
    if isOpen { abandon() }
  }

  public func write(_ bytes: some Collection<UInt8>) throws(FileError) {
    precondition(isOpen, "write after commit or abandon of \(path)")
    try sink.write(bytes)
    bytesWritten += bytes.count
    if bytesWritten - syncedUpTo >= syncEveryBytes { startBackgroundSync() }
  }

  /// Has the file's pages written to disk on another thread each time `everyBytes` more were
  /// written, so that a large file's `commit()` waits only for what came after the last one
  /// instead of its whole length: the kernel holds dirty pages back until the fsync otherwise.
  /// Nothing to do for a file that bypasses the page cache.
  public func syncInBackground(everyBytes: Int) {
    precondition(everyBytes > 0, "a positive interval")
    guard !bypassesPageCache else { return }
    syncEveryBytes = everyBytes
  }

  /// Starts an `fdatasync` on another thread unless one is under way. Its failure is not lost:
  /// the kernel reports a write-back error again to the `fsync` of `commit()`.
  private func startBackgroundSync() {
    guard syncs.wait(timeout: .now()) == .success else { return }
    syncedUpTo = bytesWritten
    let descriptor = sink.descriptor
    syncs.enter()
    DispatchQueue.global(qos: .utility).async { [syncs] in
      _ = fdatasync(descriptor)
      syncs.leave()
    }
  }

  public func write(_ text: String) throws(FileError) {
    try write(text.utf8)
  }

  /// Flushes, fsyncs, and renames the temporary file over the destination, then fsyncs the directory.
  public func commit() throws(FileError) {
    precondition(isOpen, "commit twice of \(path)")
    isOpen = false
    syncs.wait()
    do {
      try sink.flush()
      guard fsync(sink.descriptor) == 0 else { throw FileError.system(path: temporaryPath, operation: "fsync") }
      let descriptor = sink.descriptor
      sink.descriptor = -1
      guard close(descriptor) == 0 else { throw FileError.system(path: temporaryPath, operation: "close") }
      guard rename(temporaryPath, path) == 0 else {
        throw FileError.system(path: path, operation: "rename \(temporaryPath) to")
      }
    } catch let error as FileError {
      if sink.descriptor >= 0 { close(sink.descriptor) }
      unlink(temporaryPath)
      throw error
    } catch {
      preconditionFailure("commit throws only FileError: \(error)")
    }
    AtomicFile.syncDirectory(containing: path)
  }

  /// Removes the temporary file; the destination is untouched.
  public func abandon() {
    guard isOpen else { return }
    isOpen = false
    // The descriptor is closed below: no background sync may still use it (or a file given its number).
    syncs.wait()
    sink.waitForWrites()
    if sink.descriptor >= 0 { close(sink.descriptor) }
    unlink(temporaryPath)
  }
}

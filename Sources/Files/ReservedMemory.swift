#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A stretch of address space reserved whole and backed by memory only where it is written:
/// an anonymous private mapping (`MAP_NORESERVE` where there is one), so a table can grow into it
/// without ever being moved or copied, and its resident size is what it has touched.
///
/// Its pages read as zeros until written. Unmapped in `deinit`.
public final class ReservedMemory: @unchecked Sendable {
  /// The first byte.
  public let base: UnsafeMutableRawPointer
  /// Bytes reserved.
  public let bytes: Int

  /// Reserves `bytes` bytes of address space; nil when the system will not (a limit on address
  /// space, or strict overcommit accounting without room for them).
  public init?(bytes: Int) {
    precondition(bytes > 0, "a reservation of \(bytes) bytes")
    #if os(Linux)
      let flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE
    #else
      let flags = MAP_PRIVATE | MAP_ANON
    #endif
    guard let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, flags, -1, 0), mapped != MAP_FAILED else {
      return nil
    }
    base = mapped
    self.bytes = bytes
  }

  deinit {
    munmap(base, bytes)
  }
}

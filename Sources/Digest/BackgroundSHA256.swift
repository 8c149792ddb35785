import Dispatch

/// A SHA-256 computed on a thread of its own while its caller goes on: each piece is copied and
/// hashed, in order, on a serial queue, so that parsing a file need not wait for its hash (the
/// rates store's 9 MB took about 40 ms to hash, as long as parsing it).
///
/// Unchecked: `hasher` is touched only on `queue`.
public final class BackgroundSHA256: @unchecked Sendable {
  private var hasher = SHA256()
  private let queue = DispatchQueue(label: "settle.digest.sha256")

  public init() {}

  /// Queues a copy of `bytes` to be hashed after the pieces queued before it.
  public func update(_ bytes: UnsafeRawBufferPointer) {
    let piece = [UInt8](bytes)
    queue.async { self.hasher.update(piece) }
  }

  /// The digest of every piece queued, once they are hashed.
  public func finalize() -> [UInt8] {
    queue.sync {
      let finished = hasher
      return finished.finalize()
    }
  }
}

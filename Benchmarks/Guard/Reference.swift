/// The yardstick every throughput is divided by: FNV-1a over a fixed buffer, a loop over bytes and
/// integers like Settle's hot paths, but code that no change to Settle touches. Timed next to each
/// workload, it turns "orders per second", which moves with whatever else the machine is doing,
/// into "orders per megabyte hashed", which moves much less.
struct Reference {
  static let bufferBytes = 4 << 20
  private let buffer: [UInt8]

  init() {
    // Bytes from a 64-bit linear congruential sequence (Knuth's MMIX constants), its top byte each.
    var state: UInt64 = 0x5E77_1E00
    buffer = (0..<Reference.bufferBytes).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 56)
    }
  }

  /// One pass over the buffer; returns the hash so that the work cannot be dropped.
  @inline(never)
  func pass() -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    buffer.withUnsafeBufferPointer { bytes in
      for byte in bytes {
        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
      }
    }
    return hash
  }
}

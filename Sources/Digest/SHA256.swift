/// SHA-256 as FIPS 180-4 (August 2015) specifies it, in pure Swift.
///
/// Feed bytes with `update` in pieces of any size, then `finalize` once for the 32-byte digest.
/// Used to fingerprint the inputs and outputs of a settlement, not for passwords or MACs.
/// The hasher never allocates: the unfinished block lives inline in the value.
public struct SHA256: Sendable {
  /// Bytes in a digest.
  public static let digestBytes = 32
  /// Bytes in one message block (512 bits, FIPS 180-4 §5.2.1).
  public static let blockBytes = 64
  /// The longest message: FIPS 180-4 counts the length in 64 bits, in bits.
  public static let messageBytesMax: UInt64 = UInt64.max / 8

  /// H(i), the intermediate hash value (§6.2.2); starts as H(0) from §5.3.3.
  private var hash: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
  )
  /// The bytes of a block not yet complete; only the first `pendingCount` matter.
  private var pendingBlock: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
  private var pendingCount = 0
  /// Message bytes seen so far.
  private var messageBytes: UInt64 = 0

  public init() {}

  /// Hashes more of the message.
  ///
  /// A precondition stops a message longer than `messageBytesMax`, whose bit length would not fit the padding.
  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    let (total, overflow) = messageBytes.addingReportingOverflow(UInt64(bytes.count))
    precondition(!overflow && total <= SHA256.messageBytesMax, "a SHA-256 message holds at most 2^64 - 1 bits")
    messageBytes = total
    var offset = 0
    if pendingCount > 0 {
      let taken = min(SHA256.blockBytes - pendingCount, bytes.count)
      let filled = pendingCount
      withUnsafeMutableBytes(of: &pendingBlock) { block in
        block.baseAddress?.advanced(by: filled).copyMemory(from: base, byteCount: taken)
      }
      pendingCount += taken
      offset = taken
      guard pendingCount == SHA256.blockBytes else { return }
      compressPendingBlock()
    }
    while bytes.count - offset >= SHA256.blockBytes {
      SHA256.compress(&hash, block: base + offset)
      offset += SHA256.blockBytes
    }
    let remaining = bytes.count - offset
    if remaining > 0 {
      withUnsafeMutableBytes(of: &pendingBlock) { block in
        block.baseAddress?.copyMemory(from: base + offset, byteCount: remaining)
      }
      pendingCount = remaining
    }
  }

  /// Hashes more of the message.
  public mutating func update(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { update($0) }
  }

  /// Pads the message (§5.1.1: a 1 bit, zeros, the length in bits as 64 bits big-endian) and returns
  /// the 32-byte digest, H(N) big-endian (§6.2.2 step 4).
  public consuming func finalize() -> [UInt8] {
    let messageBits = messageBytes * 8
    appendPadding(byte: 0x80)
    if pendingCount > SHA256.blockBytes - 8 {
      while pendingCount < SHA256.blockBytes { appendPadding(byte: 0) }
      compressPendingBlock()
    }
    while pendingCount < SHA256.blockBytes - 8 { appendPadding(byte: 0) }
    pendingBlock.7 = messageBits.bigEndian  // bytes 56…63 of the block, whatever the host's byte order
    pendingCount = SHA256.blockBytes
    compressPendingBlock()
    let words = [hash.0, hash.1, hash.2, hash.3, hash.4, hash.5, hash.6, hash.7]
    var digest: [UInt8] = []
    digest.reserveCapacity(SHA256.digestBytes)
    for word in words {
      for shift in stride(from: 24, through: 0, by: -8) { digest.append(UInt8(truncatingIfNeeded: word >> shift)) }
    }
    return digest
  }

  /// The digest of `bytes` in one call.
  public static func digest(of bytes: [UInt8]) -> [UInt8] {
    var hasher = SHA256()
    hasher.update(bytes)
    return hasher.finalize()
  }

  /// The digest of `bytes` as 64 lowercase hexadecimal digits, as `sha256sum` prints it.
  public static func hexDigest(of bytes: [UInt8]) -> String {
    lowercaseHex(digest(of: bytes))
  }

  /// Two lowercase hexadecimal digits per byte, e.g. for a digest from `finalize()`.
  public static func lowercaseHex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
  }

  /// Appends one padding byte to the pending block, which must have room for it.
  private mutating func appendPadding(byte: UInt8) {
    precondition(pendingCount < SHA256.blockBytes, "padding goes into a block with room")
    let position = pendingCount
    withUnsafeMutableBytes(of: &pendingBlock) { block in block[position] = byte }
    pendingCount += 1
  }

  private mutating func compressPendingBlock() {
    precondition(pendingCount == SHA256.blockBytes, "only a full block is compressed")
    let block = pendingBlock
    withUnsafeBytes(of: block) { raw in
      guard let base = raw.baseAddress else { preconditionFailure("a tuple has an address") }
      SHA256.compress(&hash, block: base)
    }
    pendingCount = 0
  }
}

extension SHA256 {
  /// K, the 64 constants of §4.2.2: the first 32 bits of the fractional parts of the cube roots of
  /// the first 64 primes.
  static let roundConstants: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
  ]

  /// The SHA-256 hash computation for one 64-byte block (§6.2.2 steps 1–4).
  private static func compress(
    _ hash: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32), block: UnsafeRawPointer
  ) {
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
      // Step 1: the message schedule W0…W63, the block read as sixteen big-endian words.
      for t in 0..<16 {
        schedule[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self))
      }
      for t in 16..<64 {
        schedule[t] =
          smallSigma1(schedule[t - 2]) &+ schedule[t - 7] &+ smallSigma0(schedule[t - 15]) &+ schedule[t - 16]
      }
      // Steps 2–3: the eight working variables through 64 rounds, eight at a time: each round's
      // variables are the last one's renamed (h ← g … b ← a), so naming them in turn, rather than
      // moving seven of them each round, leaves only the two that change (a and e) to compute.
      var (a, b, c, d, e, f, g, h) = hash
      roundConstants.withUnsafeBufferPointer { constants in
        for t in stride(from: 0, to: 64, by: 8) {
          round(a, b, c, &d, e, f, g, &h, constants[t] &+ schedule[t])
          round(h, a, b, &c, d, e, f, &g, constants[t + 1] &+ schedule[t + 1])
          round(g, h, a, &b, c, d, e, &f, constants[t + 2] &+ schedule[t + 2])
          round(f, g, h, &a, b, c, d, &e, constants[t + 3] &+ schedule[t + 3])
          round(e, f, g, &h, a, b, c, &d, constants[t + 4] &+ schedule[t + 4])
          round(d, e, f, &g, h, a, b, &c, constants[t + 5] &+ schedule[t + 5])
          round(c, d, e, &f, g, h, a, &b, constants[t + 6] &+ schedule[t + 6])
          round(b, c, d, &e, f, g, h, &a, constants[t + 7] &+ schedule[t + 7])
        }
      }
      // Step 4: the next intermediate hash value.
      hash = (
        hash.0 &+ a, hash.1 &+ b, hash.2 &+ c, hash.3 &+ d, hash.4 &+ e, hash.5 &+ f, hash.6 &+ g, hash.7 &+ h
      )
    }
  }

  /// One round of §6.2.2 step 3 on variables named in turn: `d` becomes the next round's `e`
  /// (d + T1) and `h` its `a` (T1 + T2); `constantAndWord` is K(t) + W(t).
  @inline(__always)
  private static func round(
    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32, _ g: UInt32,
    _ h: inout UInt32, _ constantAndWord: UInt32
  ) {
    let t1 = h &+ bigSigma1(e) &+ choose(e, f, g) &+ constantAndWord
    d = d &+ t1
    h = t1 &+ bigSigma0(a) &+ majority(a, b, c)
  }

  // The six logical functions of §4.1.2, each in a form with fewer operations that gives the same
  // bits; ROTR is §3.2's circular right shift.

  @inline(__always) private static func rotateRight(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
  /// (x ∧ y) ⊕ (¬x ∧ z): where x is 1, y's bit, else z's.
  @inline(__always) private static func choose(_ x: UInt32, _ y: UInt32, _ z: UInt32) -> UInt32 { z ^ (x & (y ^ z)) }
  /// (x ∧ y) ⊕ (x ∧ z) ⊕ (y ∧ z): the bit most of the three have.
  @inline(__always) private static func majority(_ x: UInt32, _ y: UInt32, _ z: UInt32) -> UInt32 {
    (x & y) | (z & (x | y))
  }
  @inline(__always) private static func bigSigma0(_ x: UInt32) -> UInt32 {
    rotateRight(x, 2) ^ rotateRight(x, 13) ^ rotateRight(x, 22)
  }
  @inline(__always) private static func bigSigma1(_ x: UInt32) -> UInt32 {
    rotateRight(x, 6) ^ rotateRight(x, 11) ^ rotateRight(x, 25)
  }
  @inline(__always) private static func smallSigma0(_ x: UInt32) -> UInt32 {
    rotateRight(x, 7) ^ rotateRight(x, 18) ^ (x >> 3)
  }
  @inline(__always) private static func smallSigma1(_ x: UInt32) -> UInt32 {
    rotateRight(x, 17) ^ rotateRight(x, 19) ^ (x >> 10)
  }
}

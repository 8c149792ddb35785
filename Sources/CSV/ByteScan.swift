/// Tests over short byte strings (ids, fields) eight bytes at a time: the last word overlaps the
/// one before it, so no byte outside the string is read; a string of four to seven bytes is one
/// word of two overlapping halves, a shorter one goes a byte at a time. The row loop asks these
/// of two ids a row, where byte loops took 350 instructions.
public enum ByteScan {
  /// Whether any byte of `bytes` is below 45: a comma (44), a quote (34), a line feed or a
  /// carriage return, and every other control character or space. Bytes of 128 and up are not.
  @inlinable @inline(__always)
  public static func containsByteBelow45(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    anyWord(bytes, { word in bytesBelow45(word) != 0 }) { $0 < 45 }
  }

  /// The top bit of each byte of `word` below 45, and possibly of the byte after such a byte: a
  /// borrow climbs only from a byte under 45, and `~word` drops bytes of 128 and up. So the word
  /// has a byte below 45 exactly when the result is not 0, and the lowest bit set is the first.
  @inlinable @inline(__always)
  public static func bytesBelow45(_ word: UInt64) -> UInt64 {
    (word &- 0x2D2D_2D2D_2D2D_2D2D) & ~word & 0x8080_8080_8080_8080
  }

  /// `bytesBelow45` of a 4-byte word.
  @inlinable @inline(__always)
  public static func bytesBelow45(_ word: UInt32) -> UInt32 {
    (word &- 0x2D2D_2D2D) & ~word & 0x8080_8080
  }

  /// Whether `count` bytes at `first` and at `second` are equal, compared a word at a time: the
  /// last word overlaps the one before it, so no byte past either is read (ids are mostly 5 to
  /// 16 bytes: one or two comparisons, not a loop per byte).
  @inlinable @inline(__always)
  public static func equalBytes(_ first: UnsafeRawPointer, _ second: UnsafeRawPointer, count: Int) -> Bool {
    if count >= 8 {
      var offset = 0
      while count &- offset > 8 {
        if first.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
          != second.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        {
          return false
        }
        offset &+= 8
      }
      return first.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        == second.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
    }
    if count >= 4 {
      return first.loadUnaligned(as: UInt32.self) == second.loadUnaligned(as: UInt32.self)
        && first.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
          == second.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
    }
    for offset in 0..<count
    where first.load(fromByteOffset: offset, as: UInt8.self) != second.load(fromByteOffset: offset, as: UInt8.self) {
      return false
    }
    return true
  }

  /// Whether any byte of `bytes` is 0 or 128 and up: whether the bytes are not plain ASCII text.
  @inlinable @inline(__always)
  public static func containsZeroOrHighByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    // Zero bytes, found as above with 1 for 45, or bytes with their own top bit set.
    anyWord(bytes, { word in ((word &- 0x0101_0101_0101_0101) & ~word | word) & 0x8080_8080_8080_8080 != 0 }) {
      $0 == 0 || $0 >= 0x80
    }
  }

  @inlinable @inline(__always)
  static func anyWord(
    _ bytes: UnsafeBufferPointer<UInt8>, _ wordTest: (UInt64) -> Bool, _ byteTest: (UInt8) -> Bool
  ) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    let count = bytes.count
    let raw = UnsafeRawPointer(base)
    guard count >= 8 else {
      guard count >= 4 else {
        for byte in bytes where byteTest(byte) { return true }
        return false
      }
      let low = UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self))
      let high = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
      return wordTest(UInt64(low) | UInt64(high) << 32)
    }
    var offset = 0
    while offset < count - 8 {
      if wordTest(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))) { return true }
      offset += 8
    }
    return wordTest(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)))
  }
}

/// Writes bytes into a buffer the caller has sized, with no capacity check per byte.
///
/// The hot loop of a generator or report writer makes room once per row (`rowBytesMax`), then
/// appends fields through a cursor. Each append checks the end in debug builds only; the caller's
/// per-row room check is what keeps release builds in bounds.
struct ByteCursor {
  let base: UnsafeMutablePointer<UInt8>
  let capacity: Int
  private(set) var count = 0

  init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
    self.base = base
    self.capacity = capacity
  }

  var remaining: Int { capacity - count }

  mutating func reset() { count = 0 }

  /// Counts `bytes` already in place at the end as written.
  mutating func skip(_ bytes: Int) {
    precondition(count + bytes <= capacity, "skipping within the buffer")
    count += bytes
  }

  @inline(__always)
  mutating func append(_ byte: UInt8) {
    assert(count < capacity, "the row fits the room made for it")
    base[count] = byte
    count += 1
  }

  /// Appends the bytes as they are.
  @inline(__always)
  mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    assert(count + bytes.count <= capacity, "the bytes fit the room made for them")
    guard let source = bytes.baseAddress else { return }
    (base + count).update(from: source, count: bytes.count)
    count += bytes.count
  }

  /// Appends a token. Writes all 16 bytes of its storage and keeps only its length, so there must be
  /// 16 bytes of room whatever its length.
  @inline(__always)
  mutating func append(_ token: Token) {
    assert(count + 16 <= capacity, "a token writes 16 bytes")
    let raw = UnsafeMutableRawPointer(base + count)
    raw.storeBytes(of: token.first.littleEndian, as: UInt64.self)
    raw.storeBytes(of: token.second.littleEndian, toByteOffset: 8, as: UInt64.self)
    count += token.count
  }

  /// Appends `value` in exactly `width` decimal digits, zero-padded on the left.
  /// The value must fit: `value < 10^width`.
  @inline(__always)
  mutating func appendDigits(_ value: UInt64, width: Int) {
    assert(count + width <= capacity, "the digits fit the room made for them")
    var rest = value
    var position = count + width
    while position > count {
      position -= 1
      base[position] = UInt8(truncatingIfNeeded: rest % 10) &+ UInt8(ascii: "0")
      rest /= 10
    }
    assert(rest == 0, "\(value) has more than \(width) digits")
    count += width
  }

  /// Appends `value` in as many decimal digits as it needs (at least one).
  @inline(__always)
  mutating func appendDecimal(_ value: UInt64) {
    appendDigits(value, width: ByteCursor.decimalDigitCount(value))
  }

  /// Digits needed to write `value` in decimal; 1 for 0.
  @inline(__always)
  static func decimalDigitCount(_ value: UInt64) -> Int {
    var digits = 1
    var limit: UInt64 = 10
    while digits < 20, value >= limit {
      digits += 1
      limit = limit &* 10
    }
    return digits
  }

  /// A short ASCII text held in two words, written with two stores.
  struct Token {
    /// The longest text a token holds.
    static let bytesMax = 16

    let first: UInt64
    let second: UInt64
    let count: Int

    init(_ text: String) {
      let bytes = Array(text.utf8)
      precondition(bytes.count <= Token.bytesMax, "token \"\(text)\" is longer than \(Token.bytesMax) bytes")
      var words: [UInt64] = [0, 0]
      for (position, byte) in bytes.enumerated() {
        words[position / 8] |= UInt64(byte) << (8 * UInt64(position % 8))
      }
      self.first = words[0]
      self.second = words[1]
      self.count = bytes.count
    }
  }
}

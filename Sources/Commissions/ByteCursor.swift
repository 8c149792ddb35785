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

  /// Appends 8 to 16 bytes given as their first and last eight (overlapping when fewer than 16).
  @inline(__always)
  mutating func appendTwoWords(_ first: UInt64, _ last: UInt64, count bytes: Int) {
    assert(bytes >= 8 && bytes <= 16 && count + bytes <= capacity, "8 to 16 bytes that fit")
    let raw = UnsafeMutableRawPointer(base + count)
    raw.storeBytes(of: first, as: UInt64.self)
    raw.storeBytes(of: last, toByteOffset: bytes &- 8, as: UInt64.self)
    count += bytes
  }

  /// Appends the first `bytes` (1 to 8) bytes of `word` (its lowest byte first), storing all eight:
  /// the room after them must be there, and is written over by what comes next.
  @inline(__always)
  mutating func appendWord(_ word: UInt64, count bytes: Int) {
    assert(bytes >= 1 && bytes <= 8 && count + 8 <= capacity, "1 to 8 bytes, with room for a word")
    UnsafeMutableRawPointer(base + count).storeBytes(of: word, as: UInt64.self)
    count += bytes
  }

  /// The eight bytes from `start` (an offset already written, with room after it) as a word.
  @inline(__always)
  func word(at start: Int) -> UInt64 {
    assert(start + 8 <= capacity, "a word within the buffer")
    return UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self)
  }

  /// Appends 4 to 7 bytes given as their first and last four (overlapping).
  @inline(__always)
  mutating func appendTwoHalfWords(_ first: UInt32, _ last: UInt32, count bytes: Int) {
    assert(bytes >= 4 && bytes < 8 && count + bytes <= capacity, "4 to 7 bytes that fit")
    let raw = UnsafeMutableRawPointer(base + count)
    raw.storeBytes(of: first, as: UInt32.self)
    raw.storeBytes(of: last, toByteOffset: bytes &- 4, as: UInt32.self)
    count += bytes
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
    let rest = ByteCursor.writeDigits(value, endingAt: base + count + width, width: width)
    assert(rest == 0, "\(value) has more than \(width) digits")
    count += width
  }

  /// Appends `value` in as many decimal digits as it needs (at least one).
  @inline(__always)
  mutating func appendDecimal(_ value: UInt64) {
    appendDigits(value, width: ByteCursor.decimalDigitCount(value))
  }

  /// Appends `minorUnits × 10^-scale` with exactly `scale` fraction digits: `-12.50`, `19465`.
  /// At most 21 bytes for a scale up to 4. The digits are written from the last, two at a time,
  /// each pair one division by the constant 100 (not by `10^scale`, a division by a variable).
  @inline(__always)
  mutating func appendMinorUnits(_ minorUnits: Int64, scale: Int) {
    if minorUnits < 0 { append(UInt8(ascii: "-")) }
    let magnitude = minorUnits.magnitude
    guard scale > 0 else { return appendDecimal(magnitude) }
    let integerDigits = max(1, ByteCursor.decimalDigitCount(magnitude) - scale)
    let end = base + count + integerDigits + 1 + scale
    assert(count + integerDigits + 1 + scale <= capacity, "the amount fits the room made for it")
    let integerPart = ByteCursor.writeDigits(magnitude, endingAt: end, width: scale)
    (end - scale - 1).pointee = UInt8(ascii: ".")
    let rest = ByteCursor.writeDigits(integerPart, endingAt: end - scale - 1, width: integerDigits)
    assert(rest == 0, "\(magnitude) has at most \(integerDigits + scale) digits")
    count += integerDigits + 1 + scale
  }

  /// Writes the last `width` decimal digits of `value` into the `width` bytes before `end`, two at
  /// a time from a table of pairs; returns what is left of `value` (0 when it had at most `width`).
  @inline(__always)
  static func writeDigits(_ value: UInt64, endingAt end: UnsafeMutablePointer<UInt8>, width: Int) -> UInt64 {
    var rest = value
    var position = end
    let stop = end - width
    let pairs = UnsafeRawPointer(ByteCursor.digitPairs.utf8Start)
    while position - stop >= 2 {
      let pair = Int(truncatingIfNeeded: rest % 100)
      rest /= 100
      position -= 2
      UnsafeMutableRawPointer(position).storeBytes(
        of: pairs.loadUnaligned(fromByteOffset: pair &* 2, as: UInt16.self), as: UInt16.self)
    }
    if position > stop {
      position -= 1
      position.pointee = UInt8(truncatingIfNeeded: rest % 10) &+ UInt8(ascii: "0")
      rest /= 10
    }
    return rest
  }

  /// "00", "01", … "99": a computed literal, so reading it needs no lazily made global.
  static var digitPairs: StaticString {
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
  }

  /// Digits needed to write `value` in decimal; 1 for 0. Up to eight digits (line numbers, most
  /// amounts) by at most three comparisons with constants.
  @inline(__always)
  static func decimalDigitCount(_ value: UInt64) -> Int {
    if value < 10_000 { return value < 100 ? (value < 10 ? 1 : 2) : (value < 1_000 ? 3 : 4) }
    if value < 100_000_000 {
      return value < 1_000_000 ? (value < 100_000 ? 5 : 6) : (value < 10_000_000 ? 7 : 8)
    }
    var digits = 9
    var limit: UInt64 = 1_000_000_000
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

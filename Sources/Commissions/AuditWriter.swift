import CSV
import Files
import Money

/// Writes the audit file: one line per input data row.
///
/// Lines are formatted straight into one buffer through a `ByteCursor`: each line first makes
/// room for the longest text it can take (`lineBytesMax`), then appends without further checks.
/// The buffer goes to the file whenever it holds `flushBytes`. A writer made without a file keeps
/// its lines instead, its buffer growing to hold them, until `handOverLines` hands them over with
/// their buffer (one chunk of a parallel read), to be written from where they were formatted.
final class AuditWriter {
  let file: AtomicFileWriter?
  let settlementCurrency: Currency
  /// Commissions per qualified line: one per tier level.
  let tierCount: Int
  private var cursor: ByteCursor
  /// Bytes buffered before they go to the file.
  static let flushBytes = 1 << 20

  init(file: AtomicFileWriter?, settlementCurrency: Currency, tierCount: Int) {
    self.file = file
    self.settlementCurrency = settlementCurrency
    self.tierCount = tierCount
    let memory = AuditLines.newMemory()
    cursor = ByteCursor(base: memory.base, capacity: memory.capacity)
  }

  deinit { cursor.base.deallocate() }

  /// A line of a row that does not qualify: out of period (no reason), or rejected with its reason.
  func row(
    line: Int, orderID: UnsafeBufferPointer<UInt8>, affiliateID: UnsafeBufferPointer<UInt8>, outcome: OrderOutcome,
    reason: String
  ) throws {
    var reason = reason
    try reason.withUTF8 { reason in
      try makeRoom(orderID: orderID, affiliateID: affiliateID, reasonBytes: reason.count)
      prefix(line: line, orderID: orderID, affiliateID: affiliateID, outcome: outcome)
      cursor.appendEscaped(reason)
      cursor.append(emptyFigures)
    }
  }

  /// A line of an in-period row that does not qualify under the program's rules.
  func notQualifiedRow(
    line: Int, orderID: UnsafeBufferPointer<UInt8>, affiliateID: UnsafeBufferPointer<UInt8>,
    reason: NotQualifiedReason
  ) throws {
    try notQualifiedTexts.withUnsafeBufferPointer { texts in
      let start = reason.position == 0 ? 0 : notQualifiedTextEnds[reason.position - 1]
      let text = UnsafeBufferPointer(rebasing: texts[start..<notQualifiedTextEnds[reason.position]])
      try makeRoom(orderID: orderID, affiliateID: affiliateID, reasonBytes: text.count)
      prefix(line: line, orderID: orderID, affiliateID: affiliateID, outcome: .notQualified)
      cursor.append(text)
      cursor.append(emptyFigures)
    }
  }

  /// A qualified row's line: the rate's publication day, the sales and each tier level's
  /// commission (`c0|c1|…` when the program has tiers).
  func qualifiedRow(
    line: Int, orderID: UnsafeBufferPointer<UInt8>, affiliateID: UnsafeBufferPointer<UInt8>,
    rateDayText: ByteCursor.Token, sales: Int64, commissions: UnsafeBufferPointer<Int64>
  ) throws {
    try makeRoom(orderID: orderID, affiliateID: affiliateID, reasonBytes: ByteCursor.Token.bytesMax)
    prefix(line: line, orderID: orderID, affiliateID: affiliateID, outcome: .qualified)
    cursor.append(UInt8(ascii: ","))
    cursor.append(rateDayText)
    cursor.append(UInt8(ascii: ","))
    let scale = Int(settlementCurrency.minorUnits)
    cursor.appendMinorUnits(sales, scale: scale)
    cursor.append(UInt8(ascii: ","))
    for (index, commission) in commissions.enumerated() {
      if index > 0 { cursor.append(UInt8(ascii: "|")) }
      cursor.appendMinorUnits(commission, scale: scale)
    }
    cursor.append(UInt8(ascii: "\n"))
  }

  /// Writes what is buffered to the file; a writer without a file keeps it.
  func flushRows() throws {
    guard let file else { return }
    try file.write(UnsafeBufferPointer(start: cursor.base, count: cursor.count))
    cursor.reset()
  }

  /// The lines written since the last call, for a writer without a file, handed over with the
  /// memory that holds them; the writer goes on in `spare`'s memory, or in new memory.
  func handOverLines(goingOnIn spare: AuditLines?) -> AuditLines {
    precondition(file == nil, "a writer with a file writes its lines there")
    let lines = AuditLines(holding: cursor.base, capacity: cursor.capacity, count: cursor.count)
    let next = spare?.release() ?? AuditLines.newMemory()
    cursor = ByteCursor(base: next.base, capacity: next.capacity)
    return lines
  }

  /// `line,order_id,affiliate_id,outcome,`.
  private func prefix(
    line: Int, orderID: UnsafeBufferPointer<UInt8>, affiliateID: UnsafeBufferPointer<UInt8>, outcome: OrderOutcome
  ) {
    appendLineNumber(line)
    cursor.append(UInt8(ascii: ","))
    cursor.appendEscaped(orderID)
    cursor.append(UInt8(ascii: ","))
    cursor.appendEscaped(affiliateID)
    cursor.append(UInt8(ascii: ","))
    cursor.append(outcomeTokens[outcome.position])
    cursor.append(UInt8(ascii: ","))
  }

  /// The line number last written and its digits (the first in the lowest byte), when it had at
  /// most eight: the next line's is most often one more, made from these by adding one to the
  /// last digit (and carrying past nines) rather than by dividing by 100 four times.
  private var lastLine = -2
  private var lastLineDigits: UInt64 = 0
  private var lastLineDigitCount = 0

  @inline(__always)
  private func appendLineNumber(_ line: Int) {
    if line == lastLine &+ 1, let next = AuditWriter.incremented(lastLineDigits, count: lastLineDigitCount) {
      lastLine = line
      lastLineDigits = next
      cursor.appendWord(next, count: lastLineDigitCount)
      return
    }
    let start = cursor.count
    cursor.appendDecimal(UInt64(line))
    let digits = cursor.count - start
    guard digits <= 8 else {
      lastLine = -2
      return
    }
    lastLine = line
    lastLineDigitCount = digits
    lastLineDigits = cursor.word(at: start) & (digits == 8 ? .max : (1 << (8 * UInt64(digits))) - 1)
  }

  /// `count` decimal digits (the first in the lowest byte) plus one; nil when they are all nines
  /// (the number gains a digit).
  @inline(__always)
  static func incremented(_ digits: UInt64, count: Int) -> UInt64? {
    var word = digits
    var position = count &- 1
    while position >= 0 {
      let shift = UInt64(position &* 8)
      if (word >> shift) & 0xFF != UInt64(UInt8(ascii: "9")) { return word &+ (1 << shift) }
      // A nine becomes a zero, and the one carries to the digit before.
      word = word &- (9 << shift)
      position &-= 1
    }
    return nil
  }

  /// Flushes when the longest line these fields can make might not fit, and grows the buffer for
  /// a line longer than it (a rejected row may quote a long value).
  @inline(__always)
  private func makeRoom(
    orderID: UnsafeBufferPointer<UInt8>, affiliateID: UnsafeBufferPointer<UInt8>, reasonBytes: Int
  ) throws {
    // Each escaped field at most doubles and gains two quotes; the line number and each figure
    // take at most 21 bytes, the outcome a 16-byte token, and the separators a few more.
    let lineBytesMax =
      2 * (orderID.count + affiliateID.count + reasonBytes) + 6 + 21 * (2 + tierCount) + ByteCursor.Token.bytesMax
      + 16
    if file != nil, cursor.count >= AuditWriter.flushBytes || cursor.remaining < lineBytesMax {
      try flushRows()
    }
    if cursor.remaining < lineBytesMax {
      // Without a file, or a line longer than the buffer: a buffer twice as large, keeping what it holds.
      let capacity = max(2 * cursor.capacity, cursor.count + lineBytesMax)
      let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
      larger.update(from: cursor.base, count: cursor.count)
      let count = cursor.count
      cursor.base.deallocate()
      cursor = ByteCursor(base: larger, capacity: capacity)
      cursor.skip(count)
    }
  }

  // The texts every line may take, kept by each writer rather than in globals, so writing one
  // retains nothing and checks no global's lazy initialisation.
  private let outcomeTokens = OrderOutcome.allCases.map { ByteCursor.Token($0.rawValue) }
  /// The not-qualified reasons' texts one after another, and where each ends, by `position`.
  private let notQualifiedTexts = NotQualifiedReason.allCases.flatMap { Array($0.rawValue.utf8) }
  private let notQualifiedTextEnds = NotQualifiedReason.allCases.indices.map { index in
    NotQualifiedReason.allCases[...index].reduce(0) { $0 + $1.rawValue.utf8.count }
  }
  private let emptyFigures = ByteCursor.Token(",,,\n")
}

extension ByteCursor {
  /// Appends one CSV field (RFC 4180): quoted, with quotes doubled, only when it holds a comma, a
  /// quote or a line break. At most `2 × count + 2` bytes. The fast paths are inlined where an
  /// id is written; any other field goes to `appendEscapedInGeneral`.
  @inline(__always)
  mutating func appendEscaped(_ field: UnsafeBufferPointer<UInt8>) {
    // An id of 4 to 16 bytes (most are) is two overlapping words: both tested for a byte below 45
    // and, when there is none, stored as they are, without a call to copy the bytes.
    if field.count >= 8 && field.count <= 16, let source = field.baseAddress {
      let raw = UnsafeRawPointer(source)
      let first = raw.loadUnaligned(as: UInt64.self)
      let last = raw.loadUnaligned(fromByteOffset: field.count &- 8, as: UInt64.self)
      if ByteScan.bytesBelow45(first) | ByteScan.bytesBelow45(last) == 0 {
        return appendTwoWords(first, last, count: field.count)
      }
    } else if field.count >= 4 && field.count < 8, let source = field.baseAddress {
      // 4 to 7 bytes: the same with two overlapping 4-byte words.
      let raw = UnsafeRawPointer(source)
      let first = raw.loadUnaligned(as: UInt32.self)
      let last = raw.loadUnaligned(fromByteOffset: field.count &- 4, as: UInt32.self)
      if ByteScan.bytesBelow45(first) | ByteScan.bytesBelow45(last) == 0 {
        return appendTwoHalfWords(first, last, count: field.count)
      }
    }
    appendEscapedInGeneral(field)
  }

  /// `appendEscaped` for a field of any length and bytes.
  @inline(never)
  mutating func appendEscapedInGeneral(_ field: UnsafeBufferPointer<UInt8>) {
    // Commas, quotes and line breaks are all below 45: a field with no such byte is copied as it is.
    guard ByteScan.containsByteBelow45(field) else { return append(field) }
    var needsQuotes = false
    for byte in field where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 10 || byte == 13 {
      needsQuotes = true
      break
    }
    guard needsQuotes else { return append(field) }
    append(UInt8(ascii: "\""))
    for byte in field {
      if byte == UInt8(ascii: "\"") { append(byte) }
      append(byte)
    }
    append(UInt8(ascii: "\""))
  }
}

/// Audit lines handed over by an `AuditWriter` without a file, in the memory they were formatted
/// in, which this owns until it is written and given back as a spare (`release`).
///
/// Unchecked: one thread at a time holds it: the one whose writer formatted the lines, then
/// (handed over under `ChunkedRun`'s lock) the one that appends them and passes it on as a spare.
final class AuditLines: @unchecked Sendable {
  private var base: UnsafeMutablePointer<UInt8>?
  private let capacity: Int
  /// Bytes of lines.
  let count: Int

  /// Memory for one buffer of lines: `AuditWriter.flushBytes` and room for a last line.
  static func newMemory() -> (base: UnsafeMutablePointer<UInt8>, capacity: Int) {
    let capacity = AuditWriter.flushBytes + 4096
    return (UnsafeMutablePointer<UInt8>.allocate(capacity: capacity), capacity)
  }

  init(holding base: UnsafeMutablePointer<UInt8>, capacity: Int, count: Int) {
    precondition(count <= capacity, "\(count) bytes of lines in \(capacity) bytes")
    self.base = base
    self.capacity = capacity
    self.count = count
  }

  deinit { base?.deallocate() }

  /// The lines, until `release`.
  var bytes: UnsafeBufferPointer<UInt8> {
    guard let base else { preconditionFailure("the lines are read before their memory is released") }
    return UnsafeBufferPointer(start: base, count: count)
  }

  /// Gives the memory up to a writer that goes on in it.
  func release() -> (base: UnsafeMutablePointer<UInt8>, capacity: Int) {
    guard let base else { preconditionFailure("lines' memory is released once") }
    self.base = nil
    return (base, capacity)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
public import Files

/// A streaming RFC 4180 reader: comma-separated fields, CRLF or LF line ends, double-quoted
/// fields with `""` for a quote (and commas or line breaks inside).
///
/// Memory stays bounded whatever the file size: bytes are read in chunks into one buffer, and a
/// record must fit in `lineBytesMax`. Fields are handed out as byte views valid only inside the
/// callback, so the hot loop allocates nothing per row. The file itself is bounded by the
/// `fileBytesMax` its caller gives (at most `CSVReader.fileBytesMax`).
public final class CSVReader {
  /// Longest record accepted, in bytes, its line end (LF or CRLF) not counted. A longer one is
  /// handed over as `.malformed` and reading goes on after it.
  public static let lineBytesMax = 1 << 20
  /// Largest file any reader reads, in bytes (64 GiB); readers of smaller files pass their own limit.
  public static let fileBytesMax = 1 << 36
  /// Most fields a record may have.
  public static let fieldsMax = 256
  /// Bytes read from the file per system call.
  static let chunkBytes = 1 << 20

  private let descriptor: Int32
  private let ownsDescriptor: Bool
  /// Whether `buffer` is the reader's own (else bytes its caller read, which it only reads).
  private let ownsBuffer: Bool
  /// Whether the bytes given end before the end of the file: a record running past them stops the read.
  private let endsInsideFile: Bool
  /// The file name for messages (`-` is standard input).
  public let path: String
  /// `bufferBytes` bytes read from the file, owned by the reader.
  private let buffer: UnsafeMutablePointer<UInt8>
  private let bufferBytes: Int
  /// Where each field of the current record starts and ends (`fieldsMax + 1` each), owned by the reader.
  private let fieldStarts: UnsafeMutablePointer<Int>
  private let fieldEnds: UnsafeMutablePointer<Int>
  private var start = 0
  private var end = 0
  private var isAtEnd = false
  private var line = 1
  /// Bytes consumed so far (from the start of the range read), for progress and for splitting.
  public private(set) var bytesRead = 0
  /// Records starting at or after this many bytes into the range are left to another reader.
  private var recordStartLimit = Int.max
  /// Largest file this reader reads, in bytes.
  public let fileBytesMax: Int
  /// Longest record this reader accepts, in bytes, its line end not counted.
  public let lineBytesMax: Int
  /// Bytes read from the file so far, counted from its start (a range's first byte included).
  private var fileBytesSeen = 0

  /// Opens `path` (or standard input for `-`), which may have at most `fileBytesMax` bytes.
  ///
  /// `lineBytesMax` is `CSVReader.lineBytesMax` for every file a user gives; a reader of a file
  /// Settle wrote itself may need longer records (an audit line quotes the values it rejects).
  /// - Throws: `FileError` when the file cannot be opened or a regular file is larger than
  ///   `fileBytesMax` (checked before any record is read; a pipe is checked as it is read).
  public init(
    path: String, fileBytesMax: Int = CSVReader.fileBytesMax, lineBytesMax: Int = CSVReader.lineBytesMax
  ) throws(FileError) {
    precondition(
      fileBytesMax >= 0 && fileBytesMax <= CSVReader.fileBytesMax,
      "a file limit of \(fileBytesMax) bytes is not between 0 and \(CSVReader.fileBytesMax)")
    precondition(
      lineBytesMax >= 1 && lineBytesMax <= 64 * CSVReader.lineBytesMax,
      "a record limit of \(lineBytesMax) bytes is not between 1 and \(64 * CSVReader.lineBytesMax)")
    if path == "-" {
      descriptor = STDIN_FILENO
      ownsDescriptor = false
    } else {
      descriptor = open(path, O_RDONLY | O_CLOEXEC)
      guard descriptor >= 0 else {
        throw FileError(path: path, operation: "open", reason: String(cString: strerror(errno)))
      }
      ownsDescriptor = true
    }
    self.path = path
    self.fileBytesMax = fileBytesMax
    self.lineBytesMax = lineBytesMax
    bufferBytes = lineBytesMax + CSVReader.chunkBytes
    var status = stat()
    if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, Int(status.st_size) > fileBytesMax {
      if ownsDescriptor { close(descriptor) }
      throw CSVReader.tooLarge(path: path, fileBytesMax: fileBytesMax, size: Int(status.st_size))
    }
    buffer = .allocate(capacity: bufferBytes)
    ownsBuffer = true
    endsInsideFile = false
    fieldStarts = .allocate(capacity: CSVReader.fieldsMax + 1)
    fieldEnds = .allocate(capacity: CSVReader.fieldsMax + 1)
  }

  /// Reads the records of `bytes`: whole lines of `path` its caller has read (a `LineStretch`),
  /// numbered from `firstLine`. The bytes must stay unchanged while the reader reads them; it
  /// never writes to them.
  ///
  /// When `endsInsideFile`, the bytes end just past a line feed before the end of the file, and a
  /// record running past them (a quoted field holding a line break) stops the read: `bytesRead`
  /// then falls short of `bytes.count`, so the caller can read the file another way.
  public init(bytes: UnsafeBufferPointer<UInt8>, path: String, firstLine: Int, endsInsideFile: Bool) {
    descriptor = -1
    ownsDescriptor = false
    self.path = path
    fileBytesMax = CSVReader.fileBytesMax
    lineBytesMax = CSVReader.lineBytesMax
    bufferBytes = bytes.count
    if let base = bytes.baseAddress {
      buffer = UnsafeMutablePointer(mutating: base)
      ownsBuffer = false
    } else {
      buffer = .allocate(capacity: 1)
      ownsBuffer = true
    }
    self.endsInsideFile = endsInsideFile
    end = bytes.count
    isAtEnd = true
    line = firstLine
    fieldStarts = .allocate(capacity: CSVReader.fieldsMax + 1)
    fieldEnds = .allocate(capacity: CSVReader.fieldsMax + 1)
  }

  /// Opens `path` to read the records that start in `byteRange`, numbering lines from `firstLine`.
  ///
  /// The last record may run past the range's end (it is read whole); the next reader of the
  /// file starts at `byteRange.upperBound`. After reading, `bytesRead` says where the last record
  /// ended, so a caller can check that the split fell between records.
  public convenience init(
    path: String, byteRange: Range<Int>, firstLine: Int, fileBytesMax: Int = CSVReader.fileBytesMax
  ) throws(FileError) {
    try self.init(path: path, fileBytesMax: fileBytesMax)
    guard lseek(descriptor, off_t(byteRange.lowerBound), SEEK_SET) == off_t(byteRange.lowerBound) else {
      throw FileError(path: path, operation: "seek", reason: String(cString: strerror(errno)))
    }
    recordStartLimit = byteRange.count
    fileBytesSeen = byteRange.lowerBound
    line = firstLine
  }

  /// The error for a file past its limit; `size` when it is known before reading.
  static func tooLarge(path: String, fileBytesMax: Int, size: Int?) -> FileError {
    let sizeText = size.map { "is \($0) bytes, " } ?? ""
    return FileError(path: path, operation: "read", reason: "\(sizeText)more than the limit of \(fileBytesMax) bytes")
  }

  deinit {
    if ownsDescriptor { close(descriptor) }
    if ownsBuffer { buffer.deallocate() }
    fieldStarts.deallocate()
    fieldEnds.deallocate()
  }

  /// Calls `body` for each record in order, the header included, with its starting line number.
  /// A record that breaks RFC 4180 is handed over as `.malformed` and reading goes on at the next line.
  /// - Throws: `FileError` for read failures; whatever `body` throws.
  public func forEachRecord(_ body: (CSVRecord) throws -> Void) throws {
    var scratch: [UInt8] = []
    while bytesRead < recordStartLimit {
      if start >= end {
        if isAtEnd { return }
        try refill()
        continue
      }
      let recordLine = line
      let outcome = scan(scratch: &scratch)
      switch outcome {
      case .needMore:
        if endsInsideFile { return }
        // Past `lineBytesMax` bytes and a line end's first byte (a CR waiting for its LF), the
        // record is too long whatever follows.
        if isAtEnd || end - start > lineBytesMax + 1 {
          let reason =
            isAtEnd
            ? "a quoted field is not closed before the end of the file" : "longer than \(lineBytesMax) bytes"
          try skipLine()
          try body(.malformed(line: recordLine, reason: reason))
        } else {
          try refill()
        }
      case .malformed(let reason):
        try skipLine()
        try body(.malformed(line: recordLine, reason: reason))
      case .record(let count, let next, let lines):
        if recordBytes(from: start, to: next) > lineBytesMax {
          // The record was read whole (a quoted field may span lines): go on after all of it.
          bytesRead += next - start
          start = next
          line += lines
          try body(.malformed(line: recordLine, reason: "longer than \(lineBytesMax) bytes"))
          continue
        }
        if scratch.isEmpty {
          try body(
            .record(
              CSVRow(
                line: recordLine, count: count, bytes: buffer, unquoted: .empty, starts: fieldStarts, ends: fieldEnds)))
        } else {
          try scratch.withUnsafeBufferPointer { unquoted in
            try body(
              .record(
                CSVRow(
                  line: recordLine, count: count, bytes: buffer, unquoted: unquoted, starts: fieldStarts,
                  ends: fieldEnds)))
          }
        }
        bytesRead += next - start
        start = next
        line += lines
      }
    }
  }

  private enum ScanOutcome {
    case record(fieldCount: Int, next: Int, lines: Int)
    case malformed(String)
    case needMore
  }

  /// Scans one record from `start`. Unquoted fields point into the buffer; a quoted field with
  /// escaped quotes is copied, unescaped, into `scratch` (marked by a negative start).
  private func scan(scratch: inout [UInt8]) -> ScanOutcome {
    if !scratch.isEmpty { scratch.removeAll(keepingCapacity: true) }
    if let plain = scanPlainLine() { return plain }
    let bytes = buffer
    let end = self.end
    let isAtEnd = self.isAtEnd
    let fieldStarts = self.fieldStarts
    let fieldEnds = self.fieldEnds
    do {
      var index = start
      var fieldCount = 0
      var lines = 1
      while true {
        guard fieldCount < CSVReader.fieldsMax else { return .malformed("more than \(CSVReader.fieldsMax) fields") }
        if index < end && bytes[index] == UInt8(ascii: "\"") {
          index += 1
          let contentStart = index
          var hasEscapes = false
          while true {
            guard index < end else { return .needMore }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
              guard index + 1 < end || isAtEnd else { return .needMore }
              if index + 1 < end && bytes[index + 1] == UInt8(ascii: "\"") {
                hasEscapes = true
                index += 2
                continue
              }
              break
            }
            if byte == UInt8(ascii: "\n") { lines += 1 }
            index += 1
          }
          if hasEscapes {
            let scratchStart = scratch.count
            var position = contentStart
            while position < index {
              scratch.append(bytes[position])
              position += bytes[position] == UInt8(ascii: "\"") ? 2 : 1
            }
            fieldStarts[fieldCount] = -1 - scratchStart
            fieldEnds[fieldCount] = scratch.count
          } else {
            fieldStarts[fieldCount] = contentStart
            fieldEnds[fieldCount] = index
          }
          fieldCount += 1
          index += 1  // the closing quote
          if index >= end {
            guard isAtEnd else { return .needMore }
            return .record(fieldCount: fieldCount, next: index, lines: lines)
          }
          switch bytes[index] {
          case UInt8(ascii: ","): index += 1; continue
          case UInt8(ascii: "\n"): return .record(fieldCount: fieldCount, next: index + 1, lines: lines)
          case UInt8(ascii: "\r") where index + 1 >= end && !isAtEnd:
            return .needMore  // the line feed may be in the next read
          case UInt8(ascii: "\r") where index + 1 < end && bytes[index + 1] == UInt8(ascii: "\n"):
            return .record(fieldCount: fieldCount, next: index + 2, lines: lines)
          default: return .malformed("characters after a closing quote")
          }
        }
        let fieldStart = index
        while index < end {
          // Comma (44), quote (34) and line feed (10) are all below 45: eight bytes at a time, a
          // word without such a byte is passed whole, else the first one is found.
          if end - index >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self))
            let below = ByteScan.bytesBelow45(word)
            if below == 0 {
              index += 8
              continue
            }
            index += below.trailingZeroBitCount >> 3
          }
          let byte = bytes[index]
          if byte <= UInt8(ascii: ",") {
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") { break }
            if byte == UInt8(ascii: "\"") { return .malformed("a quote inside an unquoted field") }
          }
          index += 1
        }
        if index >= end && !isAtEnd { return .needMore }
        var fieldEnd = index
        let isLineEnd = index >= end || bytes[index] == UInt8(ascii: "\n")
        if isLineEnd && fieldEnd > fieldStart && bytes[fieldEnd - 1] == UInt8(ascii: "\r") { fieldEnd -= 1 }
        fieldStarts[fieldCount] = fieldStart
        fieldEnds[fieldCount] = fieldEnd
        fieldCount += 1
        if isLineEnd { return .record(fieldCount: fieldCount, next: min(index + 1, end), lines: lines) }
        index += 1
      }
    }
  }

  /// The record at `start` when it is one line without a quote whose line feed lies in the bytes
  /// read, at least 8 bytes before their end; nil for any other, which `scan` then reads field by
  /// field (and explains when it is malformed).
  ///
  /// The line is read eight bytes at a time, and only its bytes below 45 are looked at: a comma
  /// (44) ends a field, a line feed (10) the record, a quote (34) sends the record to `scan`, and
  /// any other such byte is part of its field. A byte after one below 45 may be marked too
  /// (`ByteScan.bytesBelow45`): it is looked at and passed over.
  @inline(__always)
  private func scanPlainLine() -> ScanOutcome? {
    let bytes = buffer
    let fieldStarts = self.fieldStarts
    let fieldEnds = self.fieldEnds
    let end = self.end
    var index = start
    var fieldStart = start
    var fieldCount = 0
    while end - index >= 8 {
      let word = UInt64(littleEndian: UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self))
      var below = ByteScan.bytesBelow45(word)
      while below != 0 {
        let position = index &+ below.trailingZeroBitCount &>> 3
        below &= below &- 1
        let byte = bytes[position]
        if byte == UInt8(ascii: ",") {
          guard fieldCount < CSVReader.fieldsMax else { return nil }
          fieldStarts[fieldCount] = fieldStart
          fieldEnds[fieldCount] = position
          fieldCount &+= 1
          fieldStart = position &+ 1
        } else if byte == UInt8(ascii: "\n") {
          guard fieldCount < CSVReader.fieldsMax else { return nil }
          var fieldEnd = position
          if fieldEnd > fieldStart && bytes[fieldEnd &- 1] == UInt8(ascii: "\r") { fieldEnd &-= 1 }
          fieldStarts[fieldCount] = fieldStart
          fieldEnds[fieldCount] = fieldEnd
          return .record(fieldCount: fieldCount &+ 1, next: position &+ 1, lines: 1)
        } else if byte == UInt8(ascii: "\"") {
          return nil
        }
      }
      index &+= 8
    }
    return nil
  }

  /// A record's bytes between `recordStart` and `next` (just past it), its line end not counted.
  private func recordBytes(from recordStart: Int, to next: Int) -> Int {
    var contentEnd = next
    if contentEnd > recordStart && buffer[contentEnd - 1] == UInt8(ascii: "\n") {
      contentEnd -= 1
      if contentEnd > recordStart && buffer[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
    }
    return contentEnd - recordStart
  }

  /// Moves past the rest of the current physical line after a malformed record.
  /// - Throws: `FileError` when the rest cannot be read, so no record after it is silently lost.
  private func skipLine() throws(FileError) {
    while true {
      while start < end {
        let byte = buffer[start]
        start += 1
        bytesRead += 1
        if byte == UInt8(ascii: "\n") {
          line += 1
          return
        }
      }
      if isAtEnd { return }
      try refill()
    }
  }

  private func refill() throws(FileError) {
    if start > 0 {
      let remaining = end - start
      buffer.update(from: buffer + start, count: remaining)
      start = 0
      end = remaining
    }
    while !isAtEnd && end < bufferBytes {
      let count = read(descriptor, buffer + end, bufferBytes - end)
      if count < 0 {
        if errno == EINTR { continue }
        throw FileError(path: path, operation: "read", reason: String(cString: strerror(errno)))
      }
      if count == 0 { isAtEnd = true }
      fileBytesSeen += count
      guard fileBytesSeen <= fileBytesMax else {
        throw CSVReader.tooLarge(path: path, fileBytesMax: fileBytesMax, size: nil)
      }
      end += count
      if end - start >= CSVReader.chunkBytes { break }
    }
  }
}

/// One record, or why a stretch of input is not one.
public enum CSVRecord {
  case record(CSVRow)
  case malformed(line: Int, reason: String)
}

/// A record's fields, as byte views valid only inside the `forEachRecord` callback.
public struct CSVRow {
  /// The line the record starts on (the header is line 1).
  public let line: Int
  public let count: Int
  /// The reader's buffer, the fields' unescaped copies, and where each field starts and ends
  /// (a negative start `-1 - i` means offset `i` in `unquoted`): all owned by the reader.
  /// Inlinable, as `field` is: the row loop reads ten fields a row, and a call each cost 4 % of a
  /// settlement.
  @usableFromInline let bytes: UnsafePointer<UInt8>
  @usableFromInline let unquoted: UnsafeBufferPointer<UInt8>
  @usableFromInline let starts: UnsafePointer<Int>
  @usableFromInline let ends: UnsafePointer<Int>

  init(
    line: Int, count: Int, bytes: UnsafeMutablePointer<UInt8>, unquoted: UnsafeBufferPointer<UInt8>,
    starts: UnsafeMutablePointer<Int>, ends: UnsafeMutablePointer<Int>
  ) {
    self.line = line
    self.count = count
    self.bytes = UnsafePointer(bytes)
    self.unquoted = unquoted
    self.starts = UnsafePointer(starts)
    self.ends = UnsafePointer(ends)
  }

  /// The bytes of field `index` (unquoted, escapes resolved).
  @inlinable @inline(__always)
  public func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
    precondition(index >= 0 && index < count, "a field index within the record")
    let fieldStart = starts[index]
    if fieldStart < 0 {
      return UnsafeBufferPointer(rebasing: unquoted[(-1 - fieldStart)..<ends[index]])
    }
    return UnsafeBufferPointer(start: bytes + fieldStart, count: ends[index] - fieldStart)
  }

  /// Whether field `index` is empty, without making its view: its start and end are equal (a
  /// field copied unescaped holds at least a quote, and its start is negative).
  @inlinable @inline(__always)
  public func fieldIsEmpty(_ index: Int) -> Bool {
    precondition(index >= 0 && index < count, "a field index within the record")
    return starts[index] == ends[index]
  }

  /// Field `index` as a string.
  public func string(_ index: Int) -> String {
    String(decoding: field(index), as: UTF8.self)
  }
}

extension UnsafeBufferPointer where Element == UInt8 {
  /// No bytes.
  fileprivate static var empty: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: nil, count: 0) }
}

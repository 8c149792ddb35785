/// Whether a field's bytes are text that can be carried into other files: UTF-8 without a NUL.
///
/// `CSVRow.string` decodes what is not UTF-8 as U+FFFD, so two different ids could become one;
/// a NUL ends the text early wherever it is handed to C (libxml2, SQLite) and is text in none of
/// the formats Settle writes. Other control characters are carried, quoted or escaped by each
/// writer. Readers check the fields they carry and refuse the row naming the column.
public enum FieldText {
  /// Why `bytes` of `column` are not text (`affiliate_id is not valid UTF-8`, `name holds a NUL
  /// byte`), or nil when they are.
  /// Inlinable, so that the plain ASCII of almost every id costs a word test where it is read.
  @inlinable @inline(__always)
  public static func problem(_ bytes: UnsafeBufferPointer<UInt8>, column: String) -> String? {
    guard ByteScan.containsZeroOrHighByte(bytes) else { return nil }
    return problemOfNonASCII(bytes, column: column)
  }

  /// `problem` for bytes with a NUL or a byte of 128 and up.
  @usableFromInline
  static func problemOfNonASCII(_ bytes: UnsafeBufferPointer<UInt8>, column: String) -> String? {
    if bytes.contains(0) { return "\(column) holds a NUL byte" }
    if String(validating: bytes, as: UTF8.self) == nil { return "\(column) is not valid UTF-8" }
    return nil
  }
}

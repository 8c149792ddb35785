/// Stops the run when an invariant of the code under test breaks: libFuzzer reports the trap as a
/// crash and saves the input that caused it.
///
/// Not `precondition`: the message must survive every optimisation level, since it is all a reader
/// of the crash report has to go on.
public func invariant(
  _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID,
  line: UInt = #line
) {
  guard condition() else { fatalError("invariant broken: \(message())", file: file, line: line) }
}

/// The fuzzer's input as a byte array.
public func inputBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
  guard let data, size > 0 else { return [] }
  return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Splits the input at its first line feed: the head chooses what to do (a currency, a mode), the
/// rest is the text under test. No line feed: an empty head and the whole input.
public func splitAtFirstLineFeed(_ bytes: [UInt8]) -> (head: [UInt8], rest: [UInt8]) {
  guard let lineFeed = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return ([], bytes) }
  return (Array(bytes[..<lineFeed]), Array(bytes[(lineFeed + 1)...]))
}

import CRatesShims
import CZlib

/// gzip decompression with zlib. Every zlib call of the module is in this file.
enum GzipInflater {
  /// Bytes of output produced per call of `inflate`.
  static let chunkBytes = 1 << 18

  /// Inflates a gzip stream, handing each chunk of output to `consume` as it is produced.
  /// - Throws: `RatesError.notGzip` for corrupt or truncated input; whatever `consume` throws.
  static func inflate(
    _ compressed: [UInt8], source: String,
    consume: (UnsafeBufferPointer<UInt8>) throws(RatesError) -> Void
  ) throws(RatesError) {
    var stream = z_stream()
    guard settle_zlib_inflate_init_gzip(&stream) == Z_OK else {
      throw RatesError(.notGzip(message: "zlib could not start"), source: source)
    }
    defer { inflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: chunkBytes)
    var input = compressed
    try input.withUnsafeMutableBufferPointer { (inputBuffer) throws(RatesError) in
      stream.next_in = inputBuffer.baseAddress
      stream.avail_in = UInt32(inputBuffer.count)
      var status = Z_OK
      while status != Z_STREAM_END {
        let produced: Int = output.withUnsafeMutableBufferPointer { outputBuffer in
          stream.next_out = outputBuffer.baseAddress
          stream.avail_out = UInt32(outputBuffer.count)
          status = CZlib.inflate(&stream, Z_NO_FLUSH)
          return outputBuffer.count - Int(stream.avail_out)
        }
        guard status == Z_OK || status == Z_STREAM_END else {
          let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
          throw RatesError(.notGzip(message: status == Z_BUF_ERROR ? "truncated" : message), source: source)
        }
        if produced > 0 {
          try output.withUnsafeBufferPointer { (buffer) throws(RatesError) in
            try consume(UnsafeBufferPointer(rebasing: buffer[0..<produced]))
          }
        } else if stream.avail_in == 0 && status != Z_STREAM_END {
          throw RatesError(.notGzip(message: "truncated"), source: source)
        }
      }
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why a benchmark input file could not be read, naming the file.
public struct FileBytesError: Error, CustomStringConvertible {
  let path: String
  let reason: String
  public var description: String { "\(path): \(reason)" }
}

/// Reads a whole file with POSIX `open` and `read`, refusing one larger than `bytesMax`.
public func readWholeFile(_ path: String, bytesMax: Int) throws -> [UInt8] {
  let descriptor = open(path, O_RDONLY)
  guard descriptor >= 0 else { throw FileBytesError(path: path, reason: "cannot open (errno \(errno))") }
  defer { close(descriptor) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 1 << 20)
  while true {
    let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    guard count >= 0 else { throw FileBytesError(path: path, reason: "read failed (errno \(errno))") }
    if count == 0 { return bytes }
    guard bytes.count + count <= bytesMax else {
      throw FileBytesError(path: path, reason: "larger than \(bytesMax) bytes")
    }
    bytes.append(contentsOf: chunk[0..<count])
  }
}

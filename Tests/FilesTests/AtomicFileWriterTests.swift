import Foundation
import Testing

@testable import Files

/// The writer's faster paths (a large write straight to the file, syncs in the background) keep
/// every byte, in order.
struct AtomicFileWriterTests {
  let folder: String

  init() throws {
    folder = try FilesFixtures.folder("files")
  }

  func contents(_ path: String) throws -> [UInt8] {
    try FileReader.readAll(path: path, bytesMax: 64 << 20)
  }

  func leftovers() throws -> [String] {
    try FileReader.names(inDirectory: folder).filter { $0.contains(".tmp-") }
  }

  @Test func smallWritesAroundALargeOneStayInOrder() throws {
    let path = folder + "/mixed"
    let writer = try AtomicFileWriter(path: path)
    let small = FilesFixtures.pattern(count: 1000, seed: 1)
    let large = FilesFixtures.pattern(count: 3 * FileSink.bufferBytesMax + 17, seed: 2)
    let tail = FilesFixtures.pattern(count: 5, seed: 3)
    try writer.write(small)
    try writer.write(large)
    try writer.write(large[0..<(FileSink.bufferBytesMax - 1)])
    try writer.write(tail)
    try writer.commit()
    #expect(try contents(path) == small + large + Array(large[0..<(FileSink.bufferBytesMax - 1)]) + tail)
    #expect(try leftovers().isEmpty)
  }

  @Test func backgroundSyncsKeepEveryByte() throws {
    let path = folder + "/synced"
    let writer = try AtomicFileWriter(path: path)
    writer.syncInBackground(everyBytes: 4096)
    var expected: [UInt8] = []
    for piece in 0..<3000 {
      let bytes = FilesFixtures.pattern(count: 1 + piece % 977, seed: piece)
      try writer.write(bytes)
      expected += bytes
    }
    try writer.commit()
    #expect(try contents(path) == expected)
    #expect(try leftovers().isEmpty)
  }

  @Test func abandoningWhileSyncingLeavesNothing() throws {
    let path = folder + "/abandoned"
    let writer = try AtomicFileWriter(path: path)
    writer.syncInBackground(everyBytes: 1)
    for piece in 0..<200 { try writer.write(FilesFixtures.pattern(count: 5000, seed: piece)) }
    writer.abandon()
    #expect(!FileReader.exists(path))
    #expect(try leftovers().isEmpty)
  }

  @Test func lineFeedsCountedWordAtATimeMatchAByteLoop() {
    var generator = SystemRandomNumberGenerator()
    for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000] {
      for _ in 0..<20 {
        let bytes = (0..<length).map { _ -> UInt8 in
          // Line feeds, their neighbours 9 and 11, the top-bit byte 0x8A, and anything.
          [10, 10, 9, 11, 0x8A, 0, 255, UInt8.random(in: 0...255, using: &generator)].randomElement(
            using: &generator) ?? 0
        }
        let counted = bytes.withUnsafeBufferPointer { FileReader.lineFeeds(in: $0) }
        #expect(counted == bytes.filter { $0 == 10 }.count, "\(bytes)")
      }
    }
  }

  @Test func lineStretchesEndAfterALineFeedAndCountTheirs() throws {
    let path = folder + "/stretches"
    var text: [UInt8] = []
    for line in 0..<30_000 { text += Array("r\(line)\(String(repeating: "x", count: line % 13))\n".utf8) }
    text += Array("last line without a line feed".utf8)
    try AtomicFile.write(text, to: path)
    for bytesMin in [1, 2, 100, 4096, 1 << 20, 1 << 30] {
      var start = 0
      var stretches = 0
      while start < text.count {
        let stretch = try FileReader.lineStretch(in: path, from: start, bytesMin: bytesMin)
        #expect(stretch.end > start)
        #expect(stretch.end == text.count || text[stretch.end - 1] == 10, "ends after a line feed")
        #expect(stretch.end - start >= min(bytesMin, text.count - start))
        // No line feed between the least length and the end but the last byte.
        let searchFrom = start + min(bytesMin, stretch.end - start) - 1
        #expect(!text[searchFrom..<max(searchFrom, stretch.end - 1)].contains(10))
        #expect(stretch.lineFeeds == text[start..<stretch.end].filter { $0 == 10 }.count)
        start = stretch.end
        stretches += 1
      }
      #expect(start == text.count)
      if bytesMin == 1 { #expect(stretches == 30_001) }
    }
  }
}

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

  /// Pieces of every size around the staging and block sizes, and a last piece under a block.
  func writeAroundTheBlocks(_ writer: AtomicFileWriter) throws -> [UInt8] {
    var expected: [UInt8] = []
    let sizes = [
      1, 4_095, 4_096, 4_097, DirectWrites.stagingBytes - 1, DirectWrites.stagingBytes, DirectWrites.stagingBytes + 1,
      3 * DirectWrites.stagingBytes + 12_345, 0, 7, 2 * DirectWrites.stagingBytes - 4_096, 100_001,
    ]
    for (piece, size) in sizes.enumerated() {
      let bytes = FilesFixtures.pattern(count: size, seed: 100 + piece)
      try writer.write(bytes)
      expected += bytes
    }
    try writer.write("and a string")
    expected += Array("and a string".utf8)
    return expected
  }

  @Test func bypassingThePageCacheKeepsEveryByte() throws {
    let path = folder + "/direct"
    let writer = try AtomicFileWriter(path: path, bypassingPageCache: true)
    // The folder is under /tmp, on the machine's disk here: ext4 takes O_DIRECT.
    #expect(writer.bypassesPageCache == (FileSink.directFlag != nil && !FilesFixtures.isTmpfs(folder)))
    writer.syncInBackground(everyBytes: 4096)
    let expected = try writeAroundTheBlocks(writer)
    try writer.commit()
    #expect(try contents(path) == expected)
    #expect(try leftovers().isEmpty)
  }

  @Test func aDirectWriteRefusedGoesThroughThePageCache() throws {
    // A direct write at an offset that is not a whole number of blocks fails with EINVAL, as one
    // on a file system without direct writes does: the sink writes it, and the rest, buffered.
    guard let direct = FileSink.directFlag else { return }
    let path = folder + "/refused"
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    #expect(descriptor >= 0)
    #expect(write(descriptor, "!", 1) == 1)
    #expect(fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | direct) == 0)
    var sink = FileSink(descriptor: descriptor, path: path, direct: true)
    var expected: [UInt8] = Array("!".utf8)
    for piece in 0..<5 {
      let bytes = FilesFixtures.pattern(count: DirectWrites.stagingBytes + 999 * piece, seed: 50 + piece)
      try sink.write(bytes)
      expected += bytes
    }
    #expect(fcntl(descriptor, F_GETFL) & direct == 0, "direct writes end at the first refusal")
    try sink.flush()
    close(descriptor)
    #expect(try contents(path) == expected)
  }

  @Test func abandoningADirectWriteLeavesNothing() throws {
    let path = folder + "/direct-abandoned"
    let writer = try AtomicFileWriter(path: path, bypassingPageCache: true)
    try writer.write(FilesFixtures.pattern(count: 3 * DirectWrites.stagingBytes + 5, seed: 9))
    writer.abandon()
    #expect(!FileReader.exists(path))
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

  @Test func lineFeedsCountedVectorAtATimeMatchAByteLoop() {
    var generator = SystemRandomNumberGenerator()
    // Around a vector (32 bytes) and a run of 255 vectors between two sums.
    let block = 255 * 32
    for length in [0, 1, 7, 31, 32, 33, 63, 64, 65, 1000, block - 1, block, block + 1, 2 * block + 45] {
      for _ in 0..<20 {
        let bytes = (0..<length).map { _ -> UInt8 in
          // Line feeds, their neighbours 9 and 11, the top-bit byte 0x8A, and anything.
          [10, 10, 9, 11, 0x8A, 0, 255, UInt8.random(in: 0...255, using: &generator)].randomElement(
            using: &generator) ?? 0
        }
        let counted = bytes.withUnsafeBufferPointer { FileReader.lineFeeds(in: $0) }
        #expect(counted == bytes.filter { $0 == 10 }.count, "\(length) bytes")
      }
    }
    // Every byte a line feed: each lane counts 255 before its sum, and never wraps.
    let lineFeeds = [UInt8](repeating: 10, count: 3 * block + 7)
    #expect(lineFeeds.withUnsafeBufferPointer { FileReader.lineFeeds(in: $0) } == lineFeeds.count)
  }

  @Test func lineStretchesEndAfterALineFeedAndCountTheirs() throws {
    let path = folder + "/stretches"
    var text: [UInt8] = []
    for line in 0..<30_000 { text += Array("r\(line)\(String(repeating: "x", count: line % 13))\n".utf8) }
    // A line longer than a stretch's first memory, which the stretch grows to hold.
    text += Array(repeating: UInt8(ascii: "y"), count: 300_000) + [10]
    text += Array("last line without a line feed".utf8)
    try AtomicFile.write(text, to: path)
    let reader = try LineStretchReader(path: path)
    for bytesMin in [1, 2, 100, 4096, 1 << 20, 1 << 30] {
      // Memory smaller than most stretches, so that reading grows it.
      let stretch = LineStretch(capacity: 64)
      var start = 0
      var stretches = 0
      while start < text.count {
        try reader.read(from: start, bytesMin: bytesMin, into: stretch)
        #expect(stretch.start == start)
        #expect(stretch.end > start)
        #expect(Array(stretch.bytes) == Array(text[start..<stretch.end]), "the stretch's bytes are the file's")
        #expect(stretch.end == text.count || text[stretch.end - 1] == 10, "ends after a line feed")
        #expect(stretch.reachesEndOfFile == (stretch.end == text.count && text.last != 10))
        #expect(stretch.end - start >= min(bytesMin, text.count - start))
        // No line feed between the least length and the end but the last byte.
        let searchFrom = start + min(bytesMin, stretch.end - start) - 1
        #expect(!text[searchFrom..<max(searchFrom, stretch.end - 1)].contains(10))
        #expect(stretch.lineFeeds == text[start..<stretch.end].filter { $0 == 10 }.count)
        start = stretch.end
        stretches += 1
      }
      #expect(start == text.count)
      if bytesMin == 1 { #expect(stretches == 30_002) }
    }
    let stretch = LineStretch(capacity: 16)
    try reader.read(from: text.count, bytesMin: 10, into: stretch)
    #expect(stretch.count == 0 && stretch.reachesEndOfFile)
  }

  @Test func aMissingFileIsNamed() {
    #expect(throws: FileError.self) { try LineStretchReader(path: folder + "/missing") }
  }
}

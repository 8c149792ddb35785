import Testing

@testable import Files

/// A scratch file gives back what was appended at the offsets it returned, has no name in its
/// directory, and refuses to pass its limit or its end, naming the directory.
struct ScratchFileTests {
  let folder: String

  init() throws {
    folder = try FilesFixtures.folder("scratch")
  }

  func read(_ file: ScratchFile, count: Int, at offset: Int) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    try bytes.withUnsafeMutableBytes { raw in try file.read(into: raw, at: offset) }
    return bytes
  }

  @Test func appendsReadBackAtTheirOffsets() throws {
    let file = try ScratchFile(directory: folder, bytesMax: 4 << 20)
    let first = FilesFixtures.pattern(count: 1000, seed: 1)
    let large = FilesFixtures.pattern(count: (2 << 20) + 3, seed: 2)
    let empty: [UInt8] = []
    #expect(try first.withUnsafeBytes { try file.append($0) } == 0)
    #expect(try empty.withUnsafeBytes { try file.append($0) } == 1000)
    #expect(try large.withUnsafeBytes { try file.append($0) } == 1000)
    #expect(file.count == 1000 + (2 << 20) + 3)
    #expect(try read(file, count: 1000, at: 0) == first)
    #expect(try read(file, count: large.count, at: 1000) == large)
    #expect(try read(file, count: 10, at: 995) == Array(first[995...]) + Array(large[0..<5]))
    #expect(try read(file, count: 0, at: file.count) == [])
  }

  @Test func leavesNoNameInItsDirectory() throws {
    var files: [ScratchFile] = []
    for seed in 0..<3 {
      let file = try ScratchFile(directory: folder, bytesMax: 1 << 16)
      try FilesFixtures.pattern(count: 5000, seed: seed).withUnsafeBytes { _ = try file.append($0) }
      files.append(file)
    }
    #expect(try FileReader.names(inDirectory: folder) == [])
    // Each is a file of its own.
    for (seed, file) in files.enumerated() {
      #expect(try read(file, count: 5000, at: 0) == FilesFixtures.pattern(count: 5000, seed: seed))
    }
  }

  @Test func appendsUpToTheLimit() throws {
    let file = try ScratchFile(directory: folder, bytesMax: 100)
    try FilesFixtures.pattern(count: 60, seed: 0).withUnsafeBytes { _ = try file.append($0) }
    try FilesFixtures.pattern(count: 40, seed: 60).withUnsafeBytes { _ = try file.append($0) }
    #expect(try read(file, count: 100, at: 0) == FilesFixtures.pattern(count: 100, seed: 0))
  }

  @Test func appendsOnePastTheLimit_Fails() throws {
    let file = try ScratchFile(directory: folder, bytesMax: 100)
    try FilesFixtures.pattern(count: 60, seed: 0).withUnsafeBytes { _ = try file.append($0) }
    #expect(
      throws: FileError(
        path: folder, operation: "append 41 bytes to a scratch file of 60 bytes here",
        reason: "larger than the limit of 100 bytes")
    ) {
      try FilesFixtures.pattern(count: 41, seed: 60).withUnsafeBytes { _ = try file.append($0) }
    }
    #expect(file.count == 60)
  }

  @Test func readsPastTheEnd_Fails() throws {
    let file = try ScratchFile(directory: folder, bytesMax: 100)
    try FilesFixtures.pattern(count: 60, seed: 0).withUnsafeBytes { _ = try file.append($0) }
    let expected = FileError(
      path: folder, operation: "read 2 bytes at offset 59 of a scratch file here", reason: "past its end at 60 bytes")
    #expect(throws: expected) { _ = try read(file, count: 2, at: 59) }
    #expect(throws: FileError.self) { _ = try read(file, count: 1, at: -1) }
  }

  @Test func makesNoFileInAMissingDirectory_Fails() throws {
    let missing = folder + "/missing"
    let error = #expect(throws: FileError.self) { _ = try ScratchFile(directory: missing, bytesMax: 100) }
    #expect(error?.description == "\(missing): cannot create a scratch file here: No such file or directory")
  }
}

import Files

/// What the file-layer tests share: a fresh folder, and bytes in which a misplaced stretch shows.
enum FilesFixtures {
  /// A new empty folder under /tmp, named for the suite.
  static func folder(_ suite: String) throws -> String {
    let path = "/tmp/settle-\(suite)-tests-\(UInt64.random(in: 0...UInt64.max))"
    try FileReader.createDirectory(path)
    return path
  }

  /// Bytes 0…250 repeating from `seed`, so a misplaced or lost stretch shows.
  static func pattern(count: Int, seed: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: ($0 &+ seed) % 251) }
  }
}

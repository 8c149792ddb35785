import Files
import TestScratch

/// What the file-layer tests share: a fresh folder, and bytes in which a misplaced stretch shows.
enum FilesFixtures {
  /// A new empty folder in the test process's scratch folder, named for the suite.
  static func folder(_ suite: String) throws -> String { try TestScratch.folder(suite) }

  /// Whether `path` lies on a tmpfs mount, by the longest mount point in /proc/mounts that holds it.
  static func isTmpfs(_ path: String) -> Bool {
    guard let mounts = try? FileReader.readAll(path: "/proc/mounts", bytesMax: 1 << 20) else { return false }
    var best: (point: String, type: String) = ("", "")
    for line in String(decoding: mounts, as: UTF8.self).split(separator: "\n") {
      let fields = line.split(separator: " ")
      guard fields.count > 2 else { continue }
      let point = String(fields[1])
      let holds = path == point || path.hasPrefix(point == "/" ? "/" : point + "/")
      if holds, point.count > best.point.count { best = (point, String(fields[2])) }
    }
    return best.type == "tmpfs"
  }

  /// Bytes 0…250 repeating from `seed`, so a misplaced or lost stretch shows.
  static func pattern(count: Int, seed: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: ($0 &+ seed) % 251) }
  }
}

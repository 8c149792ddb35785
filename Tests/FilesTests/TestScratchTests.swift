import Foundation
import Testing

@testable import TestScratch

#if canImport(Glibc)
  import Glibc
#endif

/// The tests' own scratch space: folders made under this process's root, and the folders that
/// crashed runs left behind removed only once their process is gone and they were left an hour.
@Suite(.serialized) struct TestScratchTests {
  /// A folder named as a test process's root, holding one file, last changed `ageSeconds` ago.
  static func leftRoot(process: Int64, ageSeconds: TimeInterval) throws -> String {
    let path = TestScratch.rootPrefix + String(process)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    try #require(FileManager.default.createFile(atPath: path + "/left.csv", contents: Data("order_id\n".utf8)))
    try FileManager.default.setAttributes(
      [.modificationDate: Date().addingTimeInterval(-ageSeconds)], ofItemAtPath: path)
    return path
  }

  @Test func foldersAreMadeUnderThisProcesssRoot() throws {
    let first = try TestScratch.folder("scratch-tests")
    let second = try TestScratch.folder("scratch-tests")
    #expect(first != second)
    #expect(first.hasPrefix(TestScratch.rootPrefix + String(getpid()) + "/scratch-tests-"))
    var isDirectory: ObjCBool = false
    #expect(FileManager.default.fileExists(atPath: first, isDirectory: &isDirectory) && isDirectory.boolValue)
    #expect(!FileManager.default.fileExists(atPath: try TestScratch.newPath("scratch-tests")))
  }

  @Test func aDeadProcesssOldFolderGoesAndTheOthersStay() throws {
    // Process numbers above Linux's largest (2²²) belong to no process.
    let deadAndOld = try Self.leftRoot(process: 2_000_000_001, ageSeconds: 2 * 3600)
    let deadAndRecent = try Self.leftRoot(process: 2_000_000_002, ageSeconds: 60)
    let aliveAndOld = try Self.leftRoot(process: 1, ageSeconds: 2 * 3600)  // init, always there
    defer {
      for path in [deadAndOld, deadAndRecent, aliveAndOld] { try? FileManager.default.removeItem(atPath: path) }
    }
    TestScratch.removeStaleRoots()
    #expect(!FileManager.default.fileExists(atPath: deadAndOld))
    #expect(FileManager.default.fileExists(atPath: deadAndRecent + "/left.csv"))
    #expect(FileManager.default.fileExists(atPath: aliveAndOld + "/left.csv"))
    #expect(FileManager.default.fileExists(atPath: try TestScratch.root()))
  }
}

import Digest
import Foundation
import Testing

private func hex(_ text: String) -> String { SHA256.hexDigest(of: Array(text.utf8)) }

/// A message of `length` bytes that walks through every byte value, 0x00 and 0x80 included.
private func message(length: Int) -> [UInt8] {
  (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 167 &+ length &* 13) }
}

/// Hashes `bytes` in chunks of the given sizes, cycling through them.
private func streamed(_ bytes: [UInt8], chunkSizes: [Int]) -> [UInt8] {
  var hasher = SHA256()
  var offset = 0
  var turn = 0
  while offset < bytes.count {
    let end = min(offset + chunkSizes[turn % chunkSizes.count], bytes.count)
    hasher.update(Array(bytes[offset..<end]))
    offset = end
    turn += 1
  }
  return hasher.finalize()
}

/// The digests the system's `sha256sum` prints for each file, keyed by file name.
private func systemDigests(of files: [String: [UInt8]]) throws -> [String: String] {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("DigestTests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  for (name, bytes) in files {
    try Data(bytes).write(to: directory.appendingPathComponent(name))
  }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["sha256sum"] + files.keys.sorted()
  process.currentDirectoryURL = directory
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  let printed = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  #expect(process.terminationStatus == 0)
  var digests: [String: String] = [:]
  for line in String(decoding: printed, as: UTF8.self).split(separator: "\n") {
    let parts = line.split(separator: " ", maxSplits: 1)
    guard parts.count == 2 else { continue }
    digests[String(parts[1].drop { $0 == " " || $0 == "*" })] = String(parts[0])
  }
  return digests
}

@Suite("SHA256")
struct SHA256Tests {
  // MARK: FIPS 180-4 examples

  @Test("the FIPS 180-4 example messages")
  func fipsExamples() {
    #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    let message896Bits =
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
      + "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
    #expect(hex(message896Bits) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
  }

  @Test("one million times \"a\", one-shot and streamed")
  func millionA() {
    let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    #expect(SHA256.hexDigest(of: bytes) == expected)
    #expect(SHA256.lowercaseHex(streamed(bytes, chunkSizes: [997, 1, 4096])) == expected)
  }

  @Test("hashed in the background, piece by piece, the digest is the same")
  func background() {
    let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    let hasher = BackgroundSHA256()
    var offset = 0
    for size in [0, 1, 63, 64, 65, 997, 4096, 100_000] + Array(repeating: 65_536, count: 20) where offset < bytes.count
    {
      let end = min(offset + size, bytes.count)
      bytes[offset..<end].withUnsafeBytes { hasher.update($0) }
      offset = end
    }
    bytes[offset...].withUnsafeBytes { hasher.update($0) }
    #expect(SHA256.lowercaseHex(hasher.finalize()) == expected)
    #expect(SHA256.lowercaseHex(BackgroundSHA256().finalize()) == SHA256.hexDigest(of: []))
  }

  @Test("flipping any one bit of \"abc\" gives a different digest each time")
  func oneBitFlips() {
    let original = Array("abc".utf8)
    var digests: Set<[UInt8]> = [SHA256.digest(of: original)]
    for bit in 0..<(original.count * 8) {
      var flipped = original
      flipped[bit / 8] ^= 1 << (bit % 8)
      digests.insert(SHA256.digest(of: flipped))
    }
    #expect(digests.count == 25)
    #expect(hex("abd") != hex("abc"))
  }

  // MARK: Padding boundaries against the system's sha256sum

  @Test("every length from 0 to 130 bytes agrees with sha256sum")
  func everyLengthAgainstSystem() throws {
    let lengths = Array(0...130)
    let files = Dictionary(uniqueKeysWithValues: lengths.map { ("message-\($0)", message(length: $0)) })
    let expected = try systemDigests(of: files)
    #expect(expected.count == lengths.count)
    for length in lengths {
      let bytes = message(length: length)
      #expect(SHA256.hexDigest(of: bytes) == expected["message-\(length)"], "length \(length)")
    }
  }

  @Test("the length is hashed, not only the content: zeros of every length 0…130 have distinct digests")
  func lengthMatters() {
    let digests = Set((0...130).map { SHA256.digest(of: [UInt8](repeating: 0, count: $0)) })
    #expect(digests.count == 131)
  }

  // MARK: Streaming

  @Test(
    "streaming in any chunk sizes equals one-shot",
    arguments: [
      [1], [3], [7], [55], [56], [63], [64], [65], [127], [129], [1, 2, 3, 5, 8, 13, 21, 34, 55, 89], [1000],
    ])
  func streaming(chunkSizes: [Int]) {
    for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000] {
      let bytes = message(length: length)
      #expect(streamed(bytes, chunkSizes: chunkSizes) == SHA256.digest(of: bytes), "length \(length)")
    }
  }

  @Test("streaming the same chunks in another order gives another digest")
  func streamingOrderMatters() {
    var forward = SHA256()
    forward.update(Array("ab".utf8))
    forward.update(Array("c".utf8))
    var backward = SHA256()
    backward.update(Array("c".utf8))
    backward.update(Array("ab".utf8))
    #expect(forward.finalize() != backward.finalize())
  }

  @Test("empty updates and raw buffers change nothing")
  func emptyAndRawUpdates() {
    var hasher = SHA256()
    hasher.update([])
    Array("abc".utf8).withUnsafeBytes { hasher.update($0) }
    hasher.update(UnsafeRawBufferPointer(start: nil, count: 0))
    let digest = hasher.finalize()
    #expect(SHA256.lowercaseHex(digest) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(digest.count == SHA256.digestBytes)
  }

  @Test("finalizing a copy gives the prefix's digest and leaves the original hashing on")
  func copyIsIndependent() {
    var hasher = SHA256()
    hasher.update(Array("ab".utf8))
    let copy = hasher
    #expect(SHA256.lowercaseHex(copy.finalize()) == hex("ab"))
    hasher.update(Array("c".utf8))
    #expect(SHA256.lowercaseHex(hasher.finalize()) == hex("abc"))
  }

  @Test("hex is two lowercase digits per byte")
  func lowercaseHex() {
    #expect(SHA256.lowercaseHex([]) == "")
    #expect(SHA256.lowercaseHex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    #expect(SHA256.lowercaseHex([0xAB]) != "AB")
  }
}

import Files

/// 64-bit order id hashes, spilled by partition to a scratch file so that memory stays bounded.
///
/// A hash goes to the partition named by its top bits (after a few thousand have gathered, see
/// `append`), into that partition's block in memory
/// (`blockBytes`). A full block is copied into a staging buffer, which is appended to an anonymous
/// `ScratchFile` when it holds `spillWriteBytes`; the block numbers of each partition are kept.
/// Memory: the recent hashes, a block per partition, the staging buffer, and 4 bytes per spilled block. There are
/// enough partitions that one partition of the largest file these bytes could hold (every row as
/// short as a row can be) fits in `partitionBytesMax`, which `OrderIDCheck.repeatedHashes` then
/// reads back and checks on its own.
///
/// Appending cannot throw (the row loop would carry every error): the first failure to spill is
/// kept, nothing more is written, and `finishSpilling` throws it.
final class OrderIDHashes: @unchecked Sendable {
  /// How many partitions the hashes are split into: a power of two.
  let partitionCount: Int
  /// Hashes in one block, the unit written to and read from the scratch file.
  let blockHashCount: Int
  /// Hashes moved to their partitions so far: every one appended, after `finishSpilling`.
  private(set) var count = 0
  /// Hashes appended since the last were moved to their partitions.
  private let recent: UnsafeMutablePointer<UInt64>
  private var recentCount = 0
  /// Recent hashes gathered before they go to their partitions: 64 KiB.
  static let recentHashesMax = 8_192
  /// The top bits of a hash name its partition: shifting right by this leaves them.
  private let partitionShift: UInt64
  /// A block per partition, `blockHashCount` hashes each, and how many each holds.
  private let blocks: UnsafeMutablePointer<UInt64>
  private let blockFill: UnsafeMutablePointer<Int>
  /// Full blocks waiting to be appended to the file together, in block-number order.
  private let staging: UnsafeMutablePointer<UInt64>
  private let stagingBlocksMax: Int
  private var stagedBlocks = 0
  /// Blocks spilled so far (written or staged); block `n` lies at `n * blockBytes` in the file.
  private var spilledBlocks = 0
  /// The spilled blocks of each partition, by block number, ascending.
  private var blockNumbersOfPartition: [[UInt32]]
  private let file: ScratchFile
  private var spillError: FileError?

  /// The fewest bytes a row that reaches the order id check can take: ten non-empty fields and
  /// nine commas (the last line may lack its line feed).
  static let rowBytesMin = 19
  /// Largest partition read back into memory at once, in bytes, for a file of the worst case.
  static let partitionBytesMax = 4 << 20
  /// Partitions at most: 2,048 suffice for a 16 GiB file of the shortest rows.
  static let partitionCountMax = 4_096
  /// Bytes of one block: a page.
  static let blockBytes = 4_096
  /// Bytes of full blocks gathered before one write to the scratch file.
  static let spillWriteBytes = 1 << 20

  /// The most rows `bytes` bytes of orders can hold.
  static func rowCountMax(forBytes bytes: Int) -> Int { bytes / rowBytesMin + 1 }

  /// Hashes for the rows of `bytes` bytes of orders, spilled to an anonymous file in `scratchDirectory`.
  /// - Parameters:
  ///   - bytes: the size of the whole file, which sets the number of partitions (so every part of
  ///     one read has the same); `bytesMax` bounds the scratch file (the largest file read).
  ///   - partitionBytesMax, blockBytes, spillWriteBytes: the defaults unless a test makes them small.
  /// - Throws: `FileError` naming the directory when the scratch file cannot be made.
  init(
    scratchDirectory: String, bytes: Int, bytesMax: Int, partitionBytesMax: Int = OrderIDHashes.partitionBytesMax,
    blockBytes: Int = OrderIDHashes.blockBytes, spillWriteBytes: Int = OrderIDHashes.spillWriteBytes
  ) throws(FileError) {
    precondition(blockBytes >= 8 && blockBytes % 8 == 0, "a block holds whole hashes, not \(blockBytes) bytes")
    precondition(spillWriteBytes >= blockBytes, "a spill write holds at least a block")
    precondition(partitionBytesMax >= blockBytes, "a partition holds at least a block")
    let hashBytesMax = OrderIDHashes.rowCountMax(forBytes: max(bytes, bytesMax)) * 8
    let hashBytesWorst = OrderIDHashes.rowCountMax(forBytes: bytes) * 8
    var partitionCount = 1
    while partitionCount < OrderIDHashes.partitionCountMax && hashBytesWorst / partitionCount > partitionBytesMax {
      partitionCount *= 2
    }
    precondition(
      hashBytesMax / blockBytes < Int(UInt32.max), "block numbers of \(hashBytesMax) bytes of hashes fit in 32 bits")
    self.partitionCount = partitionCount
    partitionShift = UInt64(64 - partitionCount.trailingZeroBitCount)
    blockHashCount = blockBytes / 8
    stagingBlocksMax = spillWriteBytes / blockBytes
    file = try ScratchFile(directory: scratchDirectory, bytesMax: hashBytesMax)
    blocks = UnsafeMutablePointer<UInt64>.allocate(capacity: partitionCount * blockHashCount)
    blockFill = UnsafeMutablePointer<Int>.allocate(capacity: partitionCount)
    recent = UnsafeMutablePointer<UInt64>.allocate(capacity: OrderIDHashes.recentHashesMax)
    blockFill.initialize(repeating: 0, count: partitionCount)
    staging = UnsafeMutablePointer<UInt64>.allocate(capacity: stagingBlocksMax * blockHashCount)
    blockNumbersOfPartition = Array(repeating: [], count: partitionCount)
  }

  deinit {
    blocks.deallocate()
    blockFill.deallocate()
    recent.deallocate()
    staging.deallocate()
  }

  /// Appends a hash to the recent ones, which go to their partitions' blocks together when
  /// `recentHashesMax` have gathered. (Stored straight into its partition's block, between the
  /// rest of a row's work, each hash took 11 ns of 10 M orders; gathered, they go to the blocks
  /// in one loop whose stores overlap, and the run took 3 % less CPU.)
  @inline(__always)
  func append(_ hash: UInt64) {
    recent[recentCount] = hash
    recentCount &+= 1
    if recentCount == OrderIDHashes.recentHashesMax { distributeRecent() }
  }

  /// Moves the recent hashes to their partitions' blocks, spilling the blocks that fill.
  private func distributeRecent() {
    let shift = partitionShift
    let blockHashCount = blockHashCount
    for index in 0..<recentCount {
      let hash = recent[index]
      let partition = Int(truncatingIfNeeded: hash >> shift)
      let fill = blockFill[partition]
      blocks[partition &* blockHashCount &+ fill] = hash
      if fill &+ 1 == blockHashCount {
        spill(partition)
      } else {
        blockFill[partition] = fill &+ 1
      }
    }
    count &+= recentCount
    recentCount = 0
  }

  /// Moves a partition's full block to the staging buffer, and the staging buffer to the file when full.
  private func spill(_ partition: Int) {
    (staging + stagedBlocks * blockHashCount).update(from: blocks + partition * blockHashCount, count: blockHashCount)
    blockNumbersOfPartition[partition].append(UInt32(spilledBlocks))
    stagedBlocks += 1
    spilledBlocks += 1
    blockFill[partition] = 0
    if stagedBlocks == stagingBlocksMax { writeStaging() }
  }

  private func writeStaging() {
    defer { stagedBlocks = 0 }
    guard stagedBlocks > 0, spillError == nil else { return }
    let firstBlock = spilledBlocks - stagedBlocks
    do {
      let offset = try file.append(UnsafeRawBufferPointer(start: staging, count: stagedBlocks * blockHashCount * 8))
      assert(offset == firstBlock * blockHashCount * 8, "block \(firstBlock) lies at offset \(offset)")
    } catch {
      spillError = error
    }
  }

  /// Writes what is staged, so that every spilled block can be read back.
  /// - Throws: the first `FileError` met while spilling.
  func finishSpilling() throws(FileError) {
    distributeRecent()
    writeStaging()
    if let spillError { throw spillError }
    assert(file.count == spilledBlocks * blockHashCount * 8, "every spilled block is in the file")
  }

  /// How many hashes fell into `partition`: its spilled blocks and what its block holds.
  func count(inPartition partition: Int) -> Int {
    blockNumbersOfPartition[partition].count * blockHashCount + blockFill[partition]
  }

  /// Copies the hashes of `partition` into `destination` from index `start`, after `finishSpilling`.
  /// - Returns: the index after the last hash copied.
  /// - Throws: `FileError` naming the scratch directory when a block cannot be read back.
  func load(partition: Int, into destination: UnsafeMutableBufferPointer<UInt64>, from start: Int) throws(FileError)
    -> Int
  {
    precondition(start + count(inPartition: partition) <= destination.count, "the destination holds the partition")
    var next = start
    for blockNumber in blockNumbersOfPartition[partition] {
      let target = UnsafeMutableRawBufferPointer(
        UnsafeMutableBufferPointer(rebasing: destination[next..<next + blockHashCount]))
      try file.read(into: target, at: Int(blockNumber) * blockHashCount * 8)
      next += blockHashCount
    }
    let buffered = blockFill[partition]
    if buffered > 0, let base = destination.baseAddress {
      (base + next).update(from: blocks + partition * blockHashCount, count: buffered)
    }
    return next + buffered
  }
}

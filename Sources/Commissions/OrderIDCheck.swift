import Dispatch
import Files

/// Finds order ids seen on an earlier line, with memory that does not grow with the file.
///
/// A run over a file that can be read again first `collect`s a 64-bit hash per order into
/// `OrderIDHashes`, which spills them to a scratch file, and treats every order as new; once the
/// file is read, the hashes are checked a partition at a time and any hash that appears twice is a
/// suspect (a repeated id, or two ids whose hashes collide). With no suspect the run stands as it
/// is, the same as one that compared every id. With suspects it is read again, comparing exactly
/// (`ByteStringTable`) the ids whose hash is a suspect, and only those. Standard input cannot be
/// read twice: it compares every id `exactly`, as before.
struct OrderIDCheck {
  enum Mode {
    case collect(OrderIDHashes)
    case exactly
    case suspects(Set<UInt64>)
  }

  /// What the row loop does, without the mode's payload: switching over `Mode` itself copied the
  /// payload, a retain and a release of the hashes (or the suspects) on every row.
  private enum Check { case collect, exactly, suspects }

  private let check: Check
  /// The hashes collected, in reading order (`collect` only).
  let hashes: OrderIDHashes?
  /// The row loop's reference to `hashes`, which `hashes` keeps alive: calling through it takes no
  /// reference count (through `hashes`, or an `unowned(unsafe)` one, each row retained and released it).
  private let collector: Unmanaged<OrderIDHashes>?
  private let suspects: Set<UInt64>
  private var table: ByteStringTable

  init(_ mode: Mode) {
    switch mode {
    case .collect(let hashes):
      check = .collect
      self.hashes = hashes
      collector = Unmanaged.passUnretained(hashes)
      suspects = []
      table = ByteStringTable(capacity: 16)
    case .exactly:
      check = .exactly
      hashes = nil
      collector = nil
      suspects = []
      table = ByteStringTable(capacity: 1 << 16)
    case .suspects(let suspects):
      check = .suspects
      hashes = nil
      collector = nil
      self.suspects = suspects
      table = ByteStringTable(capacity: 1 << 10)
    }
  }

  /// Whether `orderID` is not known to appear on an earlier line; records it.
  @inline(__always)
  mutating func isFirstSighting(_ orderID: UnsafeBufferPointer<UInt8>) -> Bool {
    switch check {
    case .collect:
      collector?._withUnsafeGuaranteedRef { $0.append(ByteStringTable.hash(orderID)) }
      return true
    case .exactly:
      return table.insert(orderID).inserted
    case .suspects:
      guard suspects.contains(ByteStringTable.hash(orderID)) else { return true }
      return table.insert(orderID).inserted
    }
  }

  /// Lets the collected hashes and their scratch file go once they have been checked.
  mutating func release() { self = OrderIDCheck(.suspects([])) }

  /// The hashes that appear more than once across `parts`, found one partition at a time: each
  /// partition's hashes from every part are read back and put in an open-addressing table, where a
  /// hash already present is a repeat. `threads` threads take the partitions in turn.
  /// - Throws: `FileError` naming the scratch directory when a part's spill failed or reading it back fails.
  static func repeatedHashes(_ parts: [OrderIDHashes], threads: Int = 2) throws(FileError) -> Set<UInt64> {
    guard let partitionCount = parts.first?.partitionCount else { return [] }
    precondition(
      parts.allSatisfy { $0.partitionCount == partitionCount },
      "the parts of one read are partitioned alike (\(parts.map(\.partitionCount)))")
    for part in parts { try part.finishSpilling() }
    let largest =
      (0..<partitionCount).map { partition in parts.reduce(0) { $0 + $1.count(inPartition: partition) } }
      .max() ?? 0
    let workers = max(1, min(threads, partitionCount))
    // Each worker initializes only its own element, read once every worker has returned.
    nonisolated(unsafe) let found = UnsafeMutablePointer<Result<(repeated: Set<UInt64>, checked: Int), FileError>>
      .allocate(
        capacity: workers)
    defer { found.deallocate() }
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      let partitions = stride(from: worker, to: partitionCount, by: workers)
      (found + worker).initialize(
        to: Result { () throws(FileError) in
          try repeatedHashes(parts, partitions: partitions, partitionHashesMax: largest)
        })
    }
    defer { found.deinitialize(count: workers) }
    var repeated: Set<UInt64> = []
    var checked = 0
    for worker in 0..<workers {
      let (workerRepeated, workerChecked) = try found[worker].get()
      repeated.formUnion(workerRepeated)
      checked += workerChecked
    }
    assert(checked == parts.reduce(0) { $0 + $1.count }, "every hash collected was checked once")
    return repeated
  }

  /// The repeated hashes of some partitions, through one buffer and one table of at most
  /// `partitionHashesMax` hashes; and how many hashes were checked.
  private static func repeatedHashes(
    _ parts: [OrderIDHashes], partitions: StrideTo<Int>, partitionHashesMax: Int
  ) throws(FileError) -> (repeated: Set<UInt64>, checked: Int) {
    let partitionHashes = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: partitionHashesMax)
    defer { partitionHashes.deallocate() }
    // At most half full: a power of two at least twice the largest partition. Zero marks an empty
    // slot, so the hash zero is counted on the side.
    var slotCount = 16
    while slotCount < 2 * partitionHashesMax { slotCount *= 2 }
    let slots = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: slotCount)
    defer { slots.deallocate() }
    var repeated: Set<UInt64> = []
    var checked = 0
    for partition in partitions {
      var filled = 0
      for part in parts {
        filled = try part.load(partition: partition, into: partitionHashes, from: filled)
      }
      var mask = 15
      while mask + 1 < 2 * filled { mask = 2 * mask + 1 }
      slots.baseAddress?.update(repeating: 0, count: mask + 1)
      var zeros = 0
      for hash in partitionHashes[0..<filled] {
        guard hash != 0 else {
          zeros += 1
          if zeros == 2 { repeated.insert(0) }
          continue
        }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 && slots[slot] != hash { slot = (slot &+ 1) & mask }
        if slots[slot] == hash { repeated.insert(hash) } else { slots[slot] = hash }
      }
      checked += filled
    }
    return (repeated, checked)
  }
}

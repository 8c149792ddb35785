import Files

/// Finds order ids seen on an earlier line, with memory that does not grow with the file.
///
/// A run over a file that can be read again first `collect`s a 64-bit hash per order into
/// `OrderIDHashes`, which spills them to a scratch file, and treats every order as new; once the
/// file is read, the hashes are sorted a partition at a time and any hash that appears twice is a
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

  private let mode: Mode
  /// The hashes collected, in reading order (`collect` only).
  let hashes: OrderIDHashes?
  private var table: ByteStringTable

  init(_ mode: Mode) {
    self.mode = mode
    switch mode {
    case .collect(let hashes):
      self.hashes = hashes
      table = ByteStringTable(capacity: 16)
    case .exactly:
      hashes = nil
      table = ByteStringTable(capacity: 1 << 16)
    case .suspects:
      hashes = nil
      table = ByteStringTable(capacity: 1 << 10)
    }
  }

  /// Whether `orderID` is not known to appear on an earlier line; records it.
  @inline(__always)
  mutating func isFirstSighting(_ orderID: UnsafeBufferPointer<UInt8>) -> Bool {
    switch mode {
    case .collect:
      hashes?.append(ByteStringTable.hash(orderID))
      return true
    case .exactly:
      return table.insert(orderID).inserted
    case .suspects(let suspects):
      guard suspects.contains(ByteStringTable.hash(orderID)) else { return true }
      return table.insert(orderID).inserted
    }
  }

  /// Lets the collected hashes and their scratch file go once they have been checked.
  mutating func release() { self = OrderIDCheck(.suspects([])) }

  /// The hashes that appear more than once across `parts`, found one partition at a time: each
  /// partition's hashes from every part are read back, sorted, and equal neighbours are repeats.
  /// - Throws: `FileError` naming the scratch directory when a part's spill failed or reading it back fails.
  static func repeatedHashes(_ parts: [OrderIDHashes]) throws(FileError) -> Set<UInt64> {
    guard let partitionCount = parts.first?.partitionCount else { return [] }
    precondition(
      parts.allSatisfy { $0.partitionCount == partitionCount },
      "the parts of one read are partitioned alike (\(parts.map(\.partitionCount)))")
    for part in parts { try part.finishSpilling() }
    let largest =
      (0..<partitionCount).map { partition in parts.reduce(0) { $0 + $1.count(inPartition: partition) } }
      .max() ?? 0
    let partitionHashes = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: largest)
    defer { partitionHashes.deallocate() }
    var repeated: Set<UInt64> = []
    var checked = 0
    for partition in 0..<partitionCount {
      var filled = 0
      for part in parts {
        filled = try part.load(partition: partition, into: partitionHashes, from: filled)
      }
      var sorted = UnsafeMutableBufferPointer(rebasing: partitionHashes[0..<filled])
      sorted.sort()
      for index in sorted.indices.dropFirst() where sorted[index] == sorted[index - 1] {
        repeated.insert(sorted[index])
      }
      checked += filled
    }
    assert(checked == parts.reduce(0) { $0 + $1.count }, "every hash collected was checked once")
    return repeated
  }
}

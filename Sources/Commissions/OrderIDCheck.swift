/// Finds order ids seen on an earlier line, keeping 8 bytes per order instead of the ids.
///
/// A run over a file that can be read again first `collect`s a 64-bit hash per order and treats
/// every order as new; once the file is read, the hashes are sorted and any hash that appears
/// twice is a suspect (a repeated id, or two ids whose hashes collide). With no suspect the run
/// stands as it is, the same as one that compared every id. With suspects it is read again,
/// comparing exactly (`ByteStringTable`) the ids whose hash is a suspect, and only those.
/// Standard input cannot be read twice: it compares every id `exactly`, as before.
struct OrderIDCheck {
  enum Mode {
    case collect(capacity: Int)
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
    case .collect(let capacity):
      hashes = OrderIDHashes(capacity: capacity)
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

  /// Lets the collected hashes go once they have been checked: the summary needs the memory.
  mutating func release() { self = OrderIDCheck(.suspects([])) }

  /// The hashes that appear more than once across `parts` (each sorted here, in place).
  static func repeatedHashes(_ parts: [OrderIDHashes]) -> Set<UInt64> {
    for part in parts { part.sort() }
    var repeated: Set<UInt64> = []
    var positions = [Int](repeating: 0, count: parts.count)
    var previous: UInt64?
    // A merge of the sorted parts: equal neighbours in the merged order are repeats.
    while true {
      var smallest: (part: Int, value: UInt64)?
      for (index, part) in parts.enumerated() where positions[index] < part.count {
        let value = part[positions[index]]
        if smallest.map({ value < $0.value }) ?? true { smallest = (index, value) }
      }
      guard let next = smallest else { return repeated }
      positions[next.part] += 1
      if next.value == previous { repeated.insert(next.value) }
      previous = next.value
    }
  }
}

/// 64-bit hashes in one allocation sized for the most rows a byte range can hold.
///
/// The allocation is made once, for the worst case (every row as short as a row can be), and
/// only the pages written become resident: about 8 bytes per order actually read.
final class OrderIDHashes: @unchecked Sendable {
  private var storage: UnsafeMutablePointer<UInt64>
  private var capacity: Int
  private(set) var count = 0

  /// The fewest bytes a row that reaches the order id check can take: ten non-empty fields and
  /// nine commas (the last line may lack its line feed).
  static let rowBytesMin = 19

  /// Room for the rows of `bytes` bytes of orders.
  static func capacity(forBytes bytes: Int) -> Int { bytes / rowBytesMin + 1 }

  init(capacity: Int) {
    self.capacity = max(capacity, 16)
    storage = UnsafeMutablePointer<UInt64>.allocate(capacity: self.capacity)
  }

  deinit { storage.deallocate() }

  @inline(__always)
  func append(_ hash: UInt64) {
    if count == capacity { grow() }
    storage[count] = hash
    count += 1
  }

  subscript(index: Int) -> UInt64 { storage[index] }

  /// Sorts in place: one pass by the top byte (American flag sort), then each bucket on its own,
  /// so no second buffer the size of the whole is needed.
  func sort() {
    var starts = [Int](repeating: 0, count: 257)
    for index in 0..<count { starts[Int(storage[index] >> 56) + 1] += 1 }
    for bucket in 0..<256 { starts[bucket + 1] += starts[bucket] }
    var next = Array(starts[0..<256])
    for bucket in 0..<256 {
      while next[bucket] < starts[bucket + 1] {
        let value = storage[next[bucket]]
        let home = Int(value >> 56)
        if home == bucket {
          next[bucket] += 1
        } else {
          storage[next[bucket]] = storage[next[home]]
          storage[next[home]] = value
          next[home] += 1
        }
      }
    }
    for bucket in 0..<256 {
      var part = UnsafeMutableBufferPointer(start: storage + starts[bucket], count: starts[bucket + 1] - starts[bucket])
      part.sort()
    }
  }

  /// Not expected (the capacity is the worst case), but kept safe: doubles the allocation.
  private func grow() {
    let larger = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity * 2)
    larger.moveInitialize(from: storage, count: count)
    storage.deallocate()
    storage = larger
    capacity *= 2
  }
}

/// Picks one of up to 256 options in proportion to integer weights, in constant time.
///
/// Each option owns as many slots as its weight; a draw picks a slot uniformly. With weights that
/// sum to 10,000, a weight is a share in hundredths of a percent, exactly.
struct WeightedChoice {
  /// Option index per slot.
  private let slots: [UInt8]
  /// The number of options, counting those of weight 0.
  let optionCount: Int
  /// The most slots a choice may have, so that the slot table stays in cache.
  static let slotCountMax = 1 << 16

  /// - Parameter weights: one non-negative weight per option, at most 256 options, summing to 1…`slotCountMax`.
  init(weights: [Int]) {
    precondition(weights.count <= 256, "a choice has at most 256 options")
    precondition(weights.allSatisfy { $0 >= 0 }, "weights are not negative")
    let total = weights.reduce(0, +)
    precondition(total > 0 && total <= WeightedChoice.slotCountMax, "weights sum to 1…\(WeightedChoice.slotCountMax)")
    var slots: [UInt8] = []
    slots.reserveCapacity(total)
    for (option, weight) in weights.enumerated() {
      slots.append(contentsOf: repeatElement(UInt8(option), count: weight))
    }
    self.slots = slots
    self.optionCount = weights.count
  }

  /// The option index for 64 random bits.
  @inline(__always)
  func pick(_ random: UInt64) -> Int {
    Int(slots[Int(random.multipliedFullWidth(by: UInt64(slots.count)).high)])
  }
}

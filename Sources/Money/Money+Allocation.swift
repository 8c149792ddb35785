extension Money {
  /// Splits the amount by weights into parts that add up exactly to it (largest remainder method).
  ///
  /// Each part starts as its exact share `amount × weight ÷ Σweights` rounded towards zero; the
  /// minor units left over go one each to the parts with the largest remainders, and among equal
  /// remainders to the earlier part. So no part is a minor unit or more away from its exact share.
  /// A negative amount is split like its magnitude, each part negative.
  /// - Precondition: at least one weight, and the weights sum to more than zero.
  public func allocated(byWeights weights: [UInt64]) -> [Money] {
    precondition(!weights.isEmpty, "allocation needs at least one weight")
    var weightTotal: UInt128 = 0
    for weight in weights { weightTotal += UInt128(weight) }
    precondition(weightTotal > 0, "allocation weights sum to zero")

    let magnitude = UInt128(minorUnits.magnitude)
    var parts = [UInt64](repeating: 0, count: weights.count)
    var remainders = [UInt128](repeating: 0, count: weights.count)
    var allocated: UInt128 = 0
    for (index, weight) in weights.enumerated() {
      let (share, remainder) = (magnitude * UInt128(weight)).quotientAndRemainder(dividingBy: weightTotal)
      parts[index] = UInt64(share)
      remainders[index] = remainder
      allocated += share
    }
    let leftover = Int(magnitude - allocated)
    assert(leftover < weights.count, "largest remainder leaves fewer units than parts")
    if leftover > 0 {
      let order = weights.indices.sorted {
        remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1
      }
      for index in order.prefix(leftover) { parts[index] += 1 }
    }
    let result = parts.map { part in
      Money(minorUnits: minorUnits < 0 ? Int64(bitPattern: 0 &- part) : Int64(part), currency: currency)
    }
    assert(result.reduce(Int128(0)) { $0 + Int128($1.minorUnits) } == Int128(minorUnits), "parts do not add up")
    return result
  }
}

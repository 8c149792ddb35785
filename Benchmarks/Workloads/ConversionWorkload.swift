import Money

/// What the conversion benchmarks convert: one USD → JPY conversion at two ECB rates, and
/// pseudo-random USD amounts in cents, the same on every run.
public struct ConversionWorkload {
  public static let seed: UInt64 = 20_261_030
  /// Largest amount drawn, in minor units: ten million dollars.
  public static let amountMinorUnitsMax: Int64 = 1_000_000_000

  public let source: Currency
  public let target: Currency
  public let rateFrom: FixedDecimal
  public let rateTo: FixedDecimal
  public let conversion: Conversion
  /// Amounts in the source currency's minor units.
  public let amounts: [Int64]

  /// - Parameter count: how many amounts to draw; the first `n` amounts of any count are the same.
  public init(count: Int) throws {
    source = try Currency(code: "USD")
    target = try Currency(code: "JPY")
    rateFrom = try FixedDecimal("1.1225")
    rateTo = try FixedDecimal("176.99")
    conversion = try Conversion(from: source, rate: rateFrom, to: target, rate: rateTo)
    var generator = SplitMix64(seed: ConversionWorkload.seed)
    amounts = (0..<count).map { _ in
      Int64.random(in: 1...ConversionWorkload.amountMinorUnitsMax, using: &generator)
    }
  }
}

import Money
import Testing

/// Tenths from -3.6 to 3.6: for each sign, each parity of the truncated value (2 even, 3 odd),
/// and each position of the dropped digit: exact (.0), below half (.4), exact half (.5), above half (.6).
private let tenths: [Int64] = [-36, -35, -34, -30, -26, -25, -24, -20, 20, 24, 25, 26, 30, 34, 35, 36]

/// Each mode's result for `tenths ÷ 10`, written out by hand from the definitions.
private let expectedByMode: [RoundingMode: [Int64]] = [
  //            -3.6 -3.5 -3.4 -3.0 -2.6 -2.5 -2.4 -2.0  2.0 2.4 2.5 2.6 3.0 3.4 3.5 3.6
  .halfEven: [-4, -4, -3, -3, -3, -2, -2, -2, 2, 2, 2, 3, 3, 3, 4, 4],
  .halfUp: [-4, -4, -3, -3, -3, -3, -2, -2, 2, 2, 3, 3, 3, 3, 4, 4],
  .halfDown: [-4, -3, -3, -3, -3, -2, -2, -2, 2, 2, 2, 3, 3, 3, 3, 4],
  .up: [-4, -4, -4, -3, -3, -3, -3, -2, 2, 3, 3, 3, 3, 4, 4, 4],
  .down: [-3, -3, -3, -3, -2, -2, -2, -2, 2, 2, 2, 2, 3, 3, 3, 3],
  .ceiling: [-3, -3, -3, -3, -2, -2, -2, -2, 2, 3, 3, 3, 3, 4, 4, 4],
  .floor: [-4, -4, -4, -3, -3, -3, -3, -2, 2, 2, 2, 2, 3, 3, 3, 3],
]

@Suite("Rounding modes")
struct RoundingModeTests {
  @Test(
    "names on the command line",
    arguments: [
      ("half-even", RoundingMode.halfEven), ("half-up", .halfUp), ("half-down", .halfDown), ("up", .up),
      ("down", .down), ("ceiling", .ceiling), ("floor", .floor),
    ])
  func names(name: String, mode: RoundingMode) {
    #expect(RoundingMode(rawValue: name) == mode)
    #expect(mode.rawValue == name)
  }

  @Test(
    "unknown or misspelt names are refused",
    arguments: ["half_even", "HALF-EVEN", "halfEven", "bankers", "", "nearest"])
  func unknownNames(name: String) {
    #expect(RoundingMode(rawValue: name) == nil)
  }

  @Test("there are exactly seven modes")
  func allCases() {
    #expect(RoundingMode.allCases.count == 7)
    #expect(Set(RoundingMode.allCases) == Set(expectedByMode.keys))
  }

  @Test("the well-known values of each mode")
  func knownValues() throws {
    func rounded(_ tenths: Int64, _ mode: RoundingMode) throws -> Int64 {
      let jpy = try Currency(code: "JPY")
      let tenth = try Conversion(
        from: jpy, rate: FixedDecimal(significand: 10, scale: 0), to: jpy, rate: FixedDecimal(significand: 1, scale: 0))
      return try tenth.convert(minorUnits: tenths, rounding: mode)
    }
    #expect(try rounded(25, .halfEven) == 2)
    #expect(try rounded(35, .halfEven) == 4)
    #expect(try rounded(-25, .halfEven) == -2)
    #expect(try rounded(-25, .halfUp) == -3)
    #expect(try rounded(25, .halfDown) == 2)
    #expect(try rounded(-21, .up) == -3)
    #expect(try rounded(-29, .down) == -2)
    #expect(try rounded(-29, .ceiling) == -2)
    #expect(try rounded(-21, .floor) == -3)
  }

  @Test(
    "every mode × sign × tie position × parity, through a conversion by one tenth", arguments: RoundingMode.allCases)
  func sweepThroughConversion(mode: RoundingMode) throws {
    let jpy = try Currency(code: "JPY")
    let tenth = try Conversion(
      from: jpy, rate: FixedDecimal(significand: 10, scale: 0), to: jpy, rate: FixedDecimal(significand: 1, scale: 0))
    let expected = try #require(expectedByMode[mode])
    for (value, expectedResult) in zip(tenths, expected) {
      #expect(try tenth.convert(minorUnits: value, rounding: mode) == expectedResult, "\(value) tenths, \(mode)")
      #expect(referenceRounded(Int128(value), over: 10, mode) == Int128(expectedResult), "reference, \(value) tenths")
    }
  }

  @Test(
    "every mode × sign × tie position × parity, through incrementsMagnitude directly", arguments: RoundingMode.allCases)
  func sweepThroughIncrements(mode: RoundingMode) throws {
    let expected = try #require(expectedByMode[mode])
    for (value, expectedResult) in zip(tenths, expected) {
      let truncated = value.magnitude / 10
      let increments = mode.incrementsMagnitude(
        remainder: value.magnitude % 10, divisor: UInt64(10), truncatedIsOdd: truncated % 2 == 1, isNegative: value < 0)
      let magnitude = Int64(truncated) + (increments ? 1 : 0)
      #expect((value < 0 ? -magnitude : magnitude) == expectedResult, "\(value) tenths, \(mode)")
    }
  }

  @Test("exhaustively for 8-bit words: every divisor, remainder, parity and sign against the reference")
  func exhaustiveEightBit() {
    var checked = 0
    for mode in RoundingMode.allCases {
      for divisor in UInt8(1)...UInt8.max {
        for remainder in UInt8(0)..<divisor {
          for truncated: Int128 in [6, 7] {
            for isNegative in [false, true] {
              let magnitude = truncated * Int128(divisor) + Int128(remainder)
              let numerator = isNegative ? -magnitude : magnitude
              let expected = referenceRounded(numerator, over: Int128(divisor), mode)
              let increments = mode.incrementsMagnitude(
                remainder: remainder, divisor: divisor, truncatedIsOdd: truncated == 7, isNegative: isNegative)
              let result = (truncated + (increments ? 1 : 0)) * (isNegative ? -1 : 1)
              if result != expected {
                Issue.record("\(mode): \(numerator)/\(divisor) gives \(result), expected \(expected)")
              }
              checked += 1
            }
          }
        }
      }
    }
    #expect(checked == 7 * 32_640 * 4)
  }

  @Test("ties and near-ties at the top of 64 and 128 bits, where remainder × 2 would overflow")
  func wideWords() {
    let divisor = UInt64.max - 1  // even: half is exactly representable
    let half = divisor / 2
    for mode in RoundingMode.allCases {
      for isNegative in [false, true] {
        for truncatedIsOdd in [false, true] {
          let truncated: Int128 = truncatedIsOdd ? 3 : 2
          for remainder in [half - 1, half, half + 1, divisor - 1, 1] {
            let magnitude = truncated * Int128(divisor) + Int128(remainder)
            let expected = referenceRounded(isNegative ? -magnitude : magnitude, over: Int128(divisor), mode)
            let increments = mode.incrementsMagnitude(
              remainder: remainder, divisor: divisor, truncatedIsOdd: truncatedIsOdd, isNegative: isNegative)
            #expect((truncated + (increments ? 1 : 0)) * (isNegative ? -1 : 1) == expected, "\(mode) \(remainder)")
            let wideDivisor = UInt128(divisor) << 64
            let wideIncrements = mode.incrementsMagnitude(
              remainder: UInt128(remainder) << 64, divisor: wideDivisor, truncatedIsOdd: truncatedIsOdd,
              isNegative: isNegative)
            #expect(wideIncrements == increments, "\(mode) \(remainder) in 128 bits")
          }
        }
      }
    }
    // An odd divisor has no exact half: the two remainders around it round apart in every half mode.
    let odd = UInt64.max
    for mode in [RoundingMode.halfEven, .halfUp, .halfDown] {
      #expect(!mode.incrementsMagnitude(remainder: odd / 2, divisor: odd, truncatedIsOdd: true, isNegative: false))
      #expect(mode.incrementsMagnitude(remainder: odd / 2 + 1, divisor: odd, truncatedIsOdd: false, isNegative: false))
    }
  }

  @Test("an exact value never moves, in any mode or sign")
  func exactNeverMoves() {
    for mode in RoundingMode.allCases {
      for isNegative in [false, true] {
        for truncatedIsOdd in [false, true] {
          #expect(
            !mode.incrementsMagnitude(
              remainder: UInt64(0), divisor: 10, truncatedIsOdd: truncatedIsOdd, isNegative: isNegative))
        }
      }
    }
  }
}

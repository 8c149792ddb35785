/// An ISO 4217 currency: its alphabetic code, numeric code and minor units.
///
/// Only currencies with a minor unit exist here: the fund and commodity codes of
/// list one whose minor unit is "N.A." (XAU, XDR, …) are not something an amount
/// can be paid in. Codes that have left list one but appear in the ECB history
/// (CYP, HRK, BGN, …) are kept, marked `isHistoric`, so old periods still settle.
public struct Currency: Hashable, Sendable, CustomStringConvertible, Comparable {
  /// The three capital letters packed into one integer, first letter highest.
  public let packedCode: UInt32
  public let numericCode: UInt16
  /// Digits after the decimal point in the currency's minor unit (JPY 0, USD 2, KWD 3, CLF 4).
  public let minorUnits: UInt8
  /// True when the code is no longer in ISO 4217 list one.
  public let isHistoric: Bool

  init(unchecked code: StaticString, numericCode: UInt16, minorUnits: UInt8, isHistoric: Bool) {
    let bytes = UnsafeBufferPointer(start: code.utf8Start, count: code.utf8CodeUnitCount)
    precondition(bytes.count == 3, "a currency code has three letters")
    self.packedCode = Currency.pack(bytes[0], bytes[1], bytes[2])
    self.numericCode = numericCode
    self.minorUnits = minorUnits
    self.isHistoric = isHistoric
  }

  /// Looks up an alphabetic code such as `"USD"`.
  /// - Throws: `CurrencyError` naming the code when it is not three capital letters or not in ISO 4217.
  public init(code: String) throws(CurrencyError) {
    var utf8Code = code
    guard let found = utf8Code.withUTF8({ Currency.lookup($0) }) else {
      throw CurrencyError(code: code)
    }
    self = found
  }

  /// Looks up a code given as bytes, without allocating. Returns nil for anything that is not a known code.
  @inlinable
  public static func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Currency? {
    guard bytes.count == 3 else { return nil }
    guard let slot = slot(bytes[0], bytes[1], bytes[2]) else { return nil }
    let index = Int(indexBySlot[slot])
    return index == 0 ? nil : table[index - 1]
  }

  /// The currency with this packed code, if any.
  public static func lookup(packedCode: UInt32) -> Currency? {
    guard packedCode >> 24 == 0 else { return nil }
    let first = UInt8(truncatingIfNeeded: packedCode >> 16)
    let second = UInt8(truncatingIfNeeded: packedCode >> 8)
    let third = UInt8(truncatingIfNeeded: packedCode)
    guard let slot = slot(first, second, third) else { return nil }
    let index = Int(indexBySlot[slot])
    return index == 0 ? nil : table[index - 1]
  }

  /// Every currency Settle knows, active ones and historic ones, sorted by code.
  public static let all: [Currency] = table.sorted()

  /// The three-letter code, e.g. `"USD"`.
  public var code: String {
    String(decoding: codeBytes, as: UTF8.self)
  }

  /// The three ASCII bytes of the code.
  public var codeBytes: [UInt8] {
    [
      UInt8(truncatingIfNeeded: packedCode >> 16), UInt8(truncatingIfNeeded: packedCode >> 8),
      UInt8(truncatingIfNeeded: packedCode),
    ]
  }

  public var description: String { code }

  public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.packedCode < rhs.packedCode }

  public static func == (lhs: Currency, rhs: Currency) -> Bool { lhs.packedCode == rhs.packedCode }
  public func hash(into hasher: inout Hasher) { hasher.combine(packedCode) }

  @inlinable
  static func pack(_ first: UInt8, _ second: UInt8, _ third: UInt8) -> UInt32 {
    UInt32(first) << 16 | UInt32(second) << 8 | UInt32(third)
  }

  /// A dense slot for three capital letters (0 ..< 26³), or nil for anything else.
  @inlinable
  static func slot(_ first: UInt8, _ second: UInt8, _ third: UInt8) -> Int? {
    let a = first &- 65
    let b = second &- 65
    let c = third &- 65
    guard a < 26, b < 26, c < 26 else { return nil }
    return Int(a) * 676 + Int(b) * 26 + Int(c)
  }

  /// One byte per possible code: 0 for none, otherwise the table index plus one.
  @usableFromInline
  static let indexBySlot: [UInt8] = {
    precondition(table.count < 255, "the slot index holds at most 254 currencies")
    var index = [UInt8](repeating: 0, count: 26 * 26 * 26)
    for (position, currency) in table.enumerated() {
      let bytes = currency.codeBytes
      guard let slot = slot(bytes[0], bytes[1], bytes[2]) else {
        preconditionFailure("table code \(currency.code) is not three capital letters")
      }
      precondition(index[slot] == 0, "duplicate currency \(currency.code) in the table")
      index[slot] = UInt8(position + 1)
    }
    return index
  }()
}

/// A currency code that is not three capital letters or not in ISO 4217.
public struct CurrencyError: Error, Equatable, CustomStringConvertible {
  public let code: String
  public init(code: String) { self.code = code }

  public var description: String {
    let isThreeCapitals = code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= 65 && $0 <= 90 }
    if !isThreeCapitals {
      return "currency \"\(code)\" is not three capital letters"
    }
    return "currency \"\(code)\" is not an ISO 4217 currency with minor units"
  }
}

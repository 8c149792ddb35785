/// An officially assigned ISO 3166-1 country: its alpha-2 code, and through it the alpha-3 code,
/// numeric code and English short name.
///
/// A `Country` value always names an assigned code: the only ways to make one are `init(code:)`,
/// `lookup(_:)` and `all`, which all go through the generated table in `Country+Table.swift`.
/// It is two bytes, so it is cheap to keep one per order.
public struct Country: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The two capital letters packed into one integer, first letter in the high byte.
  public let packedCode: UInt16

  @usableFromInline
  init(packedCode: UInt16) { self.packedCode = packedCode }

  /// Looks up an alpha-2 code such as `"DE"`. Exact: no lowercase, no spaces, no alpha-3.
  /// - Throws: `CountryError` naming the code when it is not two capital letters or not assigned.
  public init(code: String) throws(CountryError) {
    var utf8Code = code
    guard let found = utf8Code.withUTF8({ Country.lookup($0) }) else {
      throw CountryError(code: code)
    }
    self = found
  }

  /// Looks up an alpha-2 code given as bytes, without allocating. Returns nil for anything that is
  /// not an assigned code.
  @inlinable
  public static func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Country? {
    guard bytes.count == 2, let slot = slot(bytes[0], bytes[1]) else { return nil }
    guard indexBySlot[slot] != 0 else { return nil }
    return Country(packedCode: UInt16(bytes[0]) << 8 | UInt16(bytes[1]))
  }

  /// True when `code` is an officially assigned alpha-2 code.
  public static func isAssigned(_ code: String) -> Bool {
    var utf8Code = code
    return utf8Code.withUTF8 { Country.lookup($0) } != nil
  }

  /// Every officially assigned country, sorted by alpha-2 code.
  public static let all: [Country] = records.map { record in
    let bytes = UnsafeBufferPointer(start: record.alpha2.utf8Start, count: record.alpha2.utf8CodeUnitCount)
    guard let country = lookup(bytes) else { preconditionFailure("table code \(record.alpha2) is not in the index") }
    return country
  }

  /// The alpha-2 code, e.g. `"DE"`.
  public var code: String {
    let bytes = [UInt8(truncatingIfNeeded: packedCode >> 8), UInt8(truncatingIfNeeded: packedCode)]
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The alpha-3 code, e.g. `"DEU"`.
  public var alpha3: String { record.alpha3.description }

  /// The numeric code, e.g. 276 for Germany (written with three digits, `"276"`, in ISO 3166-1).
  public var numericCode: UInt16 { record.numericCode }

  /// The English short name from the reference list, e.g. `"Korea, Republic of"`, `"Åland Islands"`.
  public var name: String { record.name.description }

  public var description: String { code }

  public static func < (lhs: Country, rhs: Country) -> Bool { lhs.packedCode < rhs.packedCode }

  /// The table row of this country. Every `Country` value was made from the table, so there is one.
  var record: Record {
    let first = UInt8(truncatingIfNeeded: packedCode >> 8)
    let second = UInt8(truncatingIfNeeded: packedCode)
    guard let slot = Country.slot(first, second), Country.indexBySlot[slot] != 0 else {
      preconditionFailure("country \(packedCode) is not in the table")
    }
    return Country.records[Int(Country.indexBySlot[slot]) - 1]
  }

  /// A dense slot for two capital letters (0 ..< 26²), or nil for anything else.
  @inlinable
  static func slot(_ first: UInt8, _ second: UInt8) -> Int? {
    let a = first &- 65
    let b = second &- 65
    guard a < 26, b < 26 else { return nil }
    return Int(a) * 26 + Int(b)
  }

  /// One byte per possible code: 0 for none, otherwise the table index plus one.
  @usableFromInline
  static let indexBySlot: [UInt8] = {
    precondition(records.count < 255, "the slot index holds at most 254 countries")
    var index = [UInt8](repeating: 0, count: 26 * 26)
    for (position, record) in records.enumerated() {
      let bytes = UnsafeBufferPointer(start: record.alpha2.utf8Start, count: record.alpha2.utf8CodeUnitCount)
      guard bytes.count == 2, let slot = slot(bytes[0], bytes[1]) else {
        preconditionFailure("table code \(record.alpha2) is not two capital letters")
      }
      precondition(index[slot] == 0, "duplicate country \(record.alpha2) in the table")
      index[slot] = UInt8(position + 1)
    }
    return index
  }()

  /// One row of the generated table.
  struct Record: Sendable {
    let alpha2: StaticString
    let alpha3: StaticString
    let numericCode: UInt16
    let name: StaticString
  }
}

/// A country code that is not two capital letters or not an assigned ISO 3166-1 alpha-2 code.
public struct CountryError: Error, Equatable, CustomStringConvertible {
  public let code: String
  public init(code: String) { self.code = code }

  public var description: String {
    let isTwoCapitals = code.utf8.count == 2 && code.utf8.allSatisfy { $0 >= 65 && $0 <= 90 }
    if !isTwoCapitals {
      return "country \"\(code)\" is not two capital letters"
    }
    return "country \"\(code)\" is not an ISO 3166-1 alpha-2 code"
  }
}

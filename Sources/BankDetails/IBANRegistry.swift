/// The IBAN registry (ISO 13616) as the generated table `IBANRegistry+Table.swift` holds it: for each country the
/// IBAN length, the BBAN format and whether the country is in the SEPA scheme.
enum IBANRegistry {
  /// One row of the generated table.
  struct Entry: Sendable {
    /// Two capital letters, e.g. `"DE"`.
    let countryCode: StaticString
    /// The length of the whole IBAN in characters, country code and check digits included.
    let ibanLength: Int
    /// The BBAN format in SWIFT notation, e.g. `"8!n10!n"`, for messages.
    let bbanFormat: StaticString
    let isSEPA: Bool
    /// The BBAN format compiled by the generator, one letter per position; see `BBANPattern`.
    let bbanClasses: StaticString
  }

  /// The registry's row for a country code given as two bytes, or nil when the registry has none.
  static func entry(_ first: UInt8, _ second: UInt8) -> Entry? {
    guard let slot = slot(first, second), indexBySlot[slot] != 0 else { return nil }
    return entries[Int(indexBySlot[slot]) - 1]
  }

  /// A dense slot for two capital letters (0 ..< 26²), or nil for anything else.
  private static func slot(_ first: UInt8, _ second: UInt8) -> Int? {
    guard ASCII.isCapital(first), ASCII.isCapital(second) else { return nil }
    return Int(first - 65) * 26 + Int(second - 65)
  }

  /// One byte per possible code: 0 for none, otherwise the table index plus one.
  private static let indexBySlot: [UInt8] = {
    precondition(entries.count < 255, "the slot index holds at most 254 countries")
    var index = [UInt8](repeating: 0, count: 26 * 26)
    for (position, entry) in entries.enumerated() {
      let code = entry.countryCode.withUTF8Buffer { Array($0) }
      guard code.count == 2, let slot = slot(code[0], code[1]) else {
        preconditionFailure("registry code \(entry.countryCode) is not two capital letters")
      }
      precondition(index[slot] == 0, "duplicate country \(entry.countryCode) in the registry")
      precondition(entry.ibanLength <= IBAN.bytesMax, "\(entry.countryCode) IBANs are longer than IBAN.bytesMax")
      index[slot] = UInt8(position + 1)
    }
    return index
  }()
}

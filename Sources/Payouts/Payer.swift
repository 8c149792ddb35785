public import BankDetails
public import Countries
import Files
public import Money
import Yams

/// Who pays: the merchant's account that the wires and provider batches are funded from.
///
/// A YAML file, like the program file, with exactly these keys:
/// ```yaml
/// name: Settle Demo Treasury B.V.
/// iban: NL91ABNA0417164300
/// bic: ABNANL2A
/// country: NL
/// currency: USD
/// ```
public struct Payer: Sendable, Equatable {
  /// Largest payer file read.
  public static let fileBytesMax = 64 << 10
  /// Longest name accepted, in characters (ISO 20022's `Max140Text`).
  public static let nameCharactersMax = 140

  public let name: String
  public let iban: IBAN
  public let bic: BIC
  public let country: Country
  /// The currency the account is held in: the source currency of every transfer.
  public let currency: Currency

  public init(name: String, iban: IBAN, bic: BIC, country: Country, currency: Currency) {
    self.name = name
    self.iban = iban
    self.bic = bic
    self.country = country
    self.currency = currency
  }

  /// The payer as a wire debtor.
  public var wireDebtor: WireDebtor {
    WireDebtor(name: name, iban: iban, bic: bic, country: country, accountCurrency: currency)
  }

  /// Reads a payer file.
  /// - Throws: `FileError` when it cannot be read; `PayoutsError` naming the file, line and key
  ///   for a missing, unknown or invalid key.
  public static func load(path: String) throws -> Payer {
    try parse(try FileReader.readAll(path: path, bytesMax: fileBytesMax), source: path)
  }

  static let keys = ["name", "iban", "bic", "country", "currency"]

  /// Parses a payer file's bytes; `source` names it in errors.
  public static func parse(_ bytes: [UInt8], source: String) throws(PayoutsError) -> Payer {
    let values = try scalars(bytes, source: source)
    func value(_ key: String) -> (text: String, line: Int) { values[key] ?? ("", 0) }
    func failure(_ key: String, _ problem: String) -> PayoutsError {
      PayoutsError("\(source):\(value(key).line): \(key): \(problem)")
    }
    let name = value("name").text
    guard !name.isEmpty else { throw failure("name", "is empty") }
    guard name.count <= nameCharactersMax else { throw failure("name", "longer than \(nameCharactersMax) characters") }
    func checked<Value>(_ key: String, _ make: (String) throws -> Value) throws(PayoutsError) -> Value {
      do {
        return try make(value(key).text)
      } catch {
        throw failure(key, "\(error)")
      }
    }
    let currency = try checked("currency") { try Currency(code: $0) }
    guard !currency.isHistoric else { throw failure("currency", "\(currency) is no longer an ISO 4217 currency") }
    return Payer(
      name: name, iban: try checked("iban") { try IBAN($0) }, bic: try checked("bic") { try BIC($0) },
      country: try checked("country") { try Country(code: $0) }, currency: currency)
  }

  /// The file's top-level scalars by key, with their lines, refusing anything but exactly `keys`.
  private static func scalars(_ bytes: [UInt8], source: String) throws(PayoutsError) -> [String: (
    text: String, line: Int
  )] {
    let root: Node
    do {
      guard let composed = try Yams.compose(yaml: String(decoding: bytes, as: UTF8.self)) else {
        throw PayoutsError("\(source): the file is empty; expected the keys \(keys.joined(separator: ", "))")
      }
      root = composed
    } catch let error as PayoutsError {
      throw error
    } catch {
      let firstLine = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
      throw PayoutsError("\(source): not valid YAML: \(firstLine)")
    }
    guard case .mapping(let mapping) = root else {
      throw PayoutsError(
        "\(source):\(root.mark?.line ?? 1): expected a mapping of the keys \(keys.joined(separator: ", "))")
    }
    var values: [String: (text: String, line: Int)] = [:]
    for (keyNode, valueNode) in mapping {
      let line = keyNode.mark?.line ?? 0
      guard let key = keyNode.string, keys.contains(key) else {
        throw PayoutsError(
          "\(source):\(line): \(keyNode.string ?? "a key"): unknown key (expected one of \(keys.joined(separator: ", ")))"
        )
      }
      guard values[key] == nil else { throw PayoutsError("\(source):\(line): \(key): appears twice") }
      guard case .scalar(let scalar) = valueNode else {
        throw PayoutsError("\(source):\(line): \(key): expected a single value")
      }
      values[key] = (scalar.string, line)
    }
    for key in keys where values[key] == nil {
      throw PayoutsError("\(source): \(key): missing (a payer file needs \(keys.joined(separator: ", ")))")
    }
    return values
  }
}

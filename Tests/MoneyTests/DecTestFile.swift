#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// One test case from an IBM General Decimal Arithmetic `.decTest` file, with the context in force.
struct DecTestVector: CustomStringConvertible {
  let file: String
  let id: String
  /// Lowercased, e.g. `"add"`, `"tosci"`.
  let operation: String
  let operands: [String]
  let result: String
  /// Lowercased condition names, e.g. `["inexact", "rounded"]`.
  let conditions: Set<String>
  let precision: Int
  /// As decTest names it: `"half_even"`, `"half_up"`, `"half_down"`, `"up"`, `"down"`, `"ceiling"`, `"floor"`, `"05up"`.
  let rounding: String

  var description: String {
    "\(file) \(id): \(operation) \(operands.joined(separator: " ")) -> \(result) \(conditions.sorted().joined(separator: " "))"
  }
}

/// A reader of the `.decTest` format: directives `keyword: value`, test lines
/// `id operation operand… -> result condition…`, `--` comments, and tokens quoted with `'` or `"`
/// (a doubled quote inside stands for itself).
enum DecTestFile {
  /// The decTest directory: `../shared/reference/decTest` next to the package root.
  static var directory: String {
    var components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    components.removeLast(3)  // DecTestFile.swift, MoneyTests, Tests
    return components.joined(separator: "/") + "/../shared/reference/decTest"
  }

  static func vectors(inFile name: String) throws -> [DecTestVector] {
    let path = directory + "/" + name + ".decTest"
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return parse(String(decoding: data, as: UTF8.self), file: name)
  }

  static func parse(_ text: String, file: String) -> [DecTestVector] {
    var precision = 9
    var rounding = "half_up"
    var vectors: [DecTestVector] = []
    for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
      let tokens = tokenize(line)
      guard let first = tokens.first else { continue }
      if first.hasSuffix(":") {
        let keyword = first.dropLast().lowercased()
        let value = tokens.count > 1 ? tokens[1].lowercased() : ""
        if keyword == "precision", let number = Int(value) { precision = number }
        if keyword == "rounding" { rounding = value }
        continue
      }
      guard tokens.count >= 4, let arrow = tokens.firstIndex(of: "->"), arrow >= 2, arrow + 1 < tokens.count else {
        continue
      }
      vectors.append(
        DecTestVector(
          file: file, id: tokens[0], operation: tokens[1].lowercased(), operands: Array(tokens[2..<arrow]),
          result: tokens[arrow + 1], conditions: Set(tokens[(arrow + 2)...].map { $0.lowercased() }),
          precision: precision, rounding: rounding))
    }
    return vectors
  }

  /// Splits a line into tokens, dropping a `--` comment and unquoting quoted tokens.
  static func tokenize(_ line: Substring) -> [String] {
    var tokens: [String] = []
    var characters = line[...]
    while let first = characters.first {
      if first == " " || first == "\t" {
        characters.removeFirst()
        continue
      }
      if characters.hasPrefix("--") { break }
      if first == "'" || first == "\"" {
        characters.removeFirst()
        var token = ""
        while let next = characters.first {
          characters.removeFirst()
          if next == first {
            if characters.first == first {
              token.append(first)
              characters.removeFirst()
              continue
            }
            break
          }
          token.append(next)
        }
        tokens.append(token)
        continue
      }
      let end = characters.firstIndex { $0 == " " || $0 == "\t" } ?? characters.endIndex
      tokens.append(String(characters[..<end]))
      characters = characters[end...]
    }
    return tokens
  }
}

/// A finite number in decTest's syntax: `coefficient × 10^exponent`. Nil for NaN, infinities and
/// anything else it cannot read (hex `#…` encodings, coefficients past 38 digits).
struct DecTestNumber: Equatable {
  let isNegative: Bool
  let coefficient: UInt128
  let exponent: Int

  init?(_ text: String) {
    var bytes = Array(text.utf8)[...]
    var isNegative = false
    if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
      isNegative = sign == UInt8(ascii: "-")
      bytes.removeFirst()
    }
    var coefficient: UInt128 = 0
    var digitCount = 0
    var fractionDigits = 0
    var seenPoint = false
    while let byte = bytes.first, (byte >= 48 && byte <= 57) || byte == UInt8(ascii: ".") {
      bytes.removeFirst()
      if byte == UInt8(ascii: ".") {
        if seenPoint { return nil }
        seenPoint = true
        continue
      }
      let (times10, overflow) = coefficient.multipliedReportingOverflow(by: 10)
      let (sum, carry) = times10.addingReportingOverflow(UInt128(byte - 48))
      if overflow || carry { return nil }
      coefficient = sum
      digitCount += 1
      if seenPoint { fractionDigits += 1 }
    }
    if digitCount == 0 { return nil }
    var exponent = 0
    if let marker = bytes.first {
      guard marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E"),
        let value = Int(String(decoding: bytes.dropFirst(), as: UTF8.self)),
        value.magnitude < 1_000_000
      else { return nil }
      exponent = value
    }
    self.isNegative = isNegative
    self.coefficient = coefficient
    self.exponent = exponent - fractionDigits
  }

  /// The coefficient with its sign, when it fits.
  var signedCoefficient: Int128? {
    guard coefficient <= UInt128(Int128.max) else { return nil }
    return isNegative ? -Int128(coefficient) : Int128(coefficient)
  }
}

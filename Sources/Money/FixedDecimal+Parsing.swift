extension FixedDecimal {
  /// Why a text is not a plain decimal. A payload-free enum so that the hot path never allocates.
  public enum SyntaxProblem: Error, Sendable, Equatable {
    case empty
    case exponent
    case comma
    case whitespace
    case notANumber
    case misplacedSign
    case missingDigits
    case unexpectedCharacter(UInt8)
    case tooManyDigits
    case tooManyFractionDigits

    /// The reason, in words a treasury analyst would read.
    public var reason: String {
      switch self {
      case .empty: "it is empty"
      case .exponent: "exponent notation is not accepted"
      case .comma: "a comma is neither a thousands separator nor a decimal point here"
      case .whitespace: "it contains a space"
      case .notANumber: "it is not a number"
      case .misplacedSign: "only a leading minus sign is accepted"
      case .missingDigits: "digits are missing before or after the decimal point"
      case .unexpectedCharacter(let byte):
        byte >= 0x20 && byte < 0x7F
          ? "unexpected character '\(Character(Unicode.Scalar(byte)))'" : "unexpected byte 0x\(String(byte, radix: 16))"
      case .tooManyDigits: "more than \(FixedDecimal.digitsMax) digits"
      case .tooManyFractionDigits: "more than \(FixedDecimal.scaleMax) fraction digits"
      }
    }
  }

  /// Parses a plain decimal: an optional leading `-`, digits, and optionally `.` and more digits.
  ///
  /// Refuses exponents, commas, spaces, NaN and infinities, a leading `+`, a bare `.5` or `5.`,
  /// and more than `digitsMax` significant digits.
  /// - Throws: `DecimalError` quoting the text.
  public init(_ text: String) throws(DecimalError) {
    var utf8Text = text
    let outcome = utf8Text.withUTF8 { FixedDecimal.parse($0) }
    switch outcome {
    case .success(let value): self = value
    case .failure(let problem): throw DecimalError(text: text, problem: problem)
    }
  }

  /// Parses a plain decimal from bytes without allocating: the hot path for CSV and XML readers.
  @inlinable
  public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<FixedDecimal, SyntaxProblem> {
    let count = bytes.count
    guard count > 0 else { return .failure(.empty) }
    var index = 0
    let isNegative = bytes[0] == UInt8(ascii: "-")
    if isNegative { index = 1 }
    var magnitude: UInt64 = 0
    var significantDigits = 0
    var integerDigits = 0
    while index < count, bytes[index] &- 48 < 10 {
      let digit = UInt64(bytes[index] &- 48)
      if magnitude != 0 || digit != 0 { significantDigits += 1 }
      if significantDigits > digitsMax { return .failure(.tooManyDigits) }
      magnitude = magnitude &* 10 &+ digit
      integerDigits += 1
      index += 1
    }
    var scale = 0
    if index < count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      while index < count, bytes[index] &- 48 < 10 {
        let digit = UInt64(bytes[index] &- 48)
        if magnitude != 0 || digit != 0 { significantDigits += 1 }
        if significantDigits > digitsMax { return .failure(.tooManyDigits) }
        scale += 1
        if scale > Int(scaleMax) { return .failure(.tooManyFractionDigits) }
        magnitude = magnitude &* 10 &+ digit
        index += 1
      }
      if scale == 0 { return .failure(index < count ? classify(bytes[index]) : .missingDigits) }
    }
    if index < count { return .failure(classify(bytes[index])) }
    if integerDigits == 0 { return .failure(.missingDigits) }
    let significand = isNegative ? -Int64(magnitude) : Int64(magnitude)
    return .success(FixedDecimal(significand: significand, scale: UInt8(scale)))
  }

  @usableFromInline
  static func classify(_ byte: UInt8) -> SyntaxProblem {
    switch byte {
    case UInt8(ascii: "e"), UInt8(ascii: "E"): .exponent
    case UInt8(ascii: ","): .comma
    case UInt8(ascii: " "), UInt8(ascii: "\t"): .whitespace
    case UInt8(ascii: "+"), UInt8(ascii: "-"): .misplacedSign
    case UInt8(ascii: "N"), UInt8(ascii: "n"), UInt8(ascii: "I"), UInt8(ascii: "i"): .notANumber
    default: .unexpectedCharacter(byte)
    }
  }
}

/// A text that is not a plain decimal, quoted in the message.
public struct DecimalError: Error, Equatable, CustomStringConvertible {
  public let text: String
  public let problem: FixedDecimal.SyntaxProblem

  public init(text: String, problem: FixedDecimal.SyntaxProblem) {
    self.text = text
    self.problem = problem
  }

  public var description: String { "\"\(text)\" is not a plain decimal: \(problem.reason)" }
}

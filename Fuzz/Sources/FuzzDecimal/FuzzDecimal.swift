import FuzzSupport
import Money

/// `FixedDecimal.parse`, `FixedDecimal(_:)`, `Money.parseMinorUnits` and `Money(parsing:currency:)`.
///
/// Invariants: the parser accepts exactly the plain decimals of a reference grammar
/// (`-?[0-9]+(\.[0-9]+)?`) within the digit limits, with the value the reference computes; a parsed
/// value printed and parsed again is the same significand and scale; the `String` entry point agrees
/// with the bytes one and quotes the text it refuses; an amount parses for a currency exactly when its
/// decimal does, has no more fraction digits than the currency and fits 64 bits of minor units, and
/// prints back to the same minor units.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecimal(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = inputBytes(data, size)
  let outcome = bytes.withUnsafeBufferPointer { FixedDecimal.parse($0) }
  checkAgainstReference(bytes, outcome)
  if case .success(let value) = outcome { checkRoundTrip(value) }
  checkStringEntryPoint(bytes, outcome)
  for currency in currencies(for: bytes) { checkAmount(bytes, outcome, currency: currency) }
  return 0
}

/// What a reference reading of the grammar makes of the text: nil when it is not a plain decimal.
private struct Reference {
  let isNegative: Bool
  /// Digits without the point, leading zeros removed.
  let significantDigits: [UInt8]
  let scale: Int

  init?(_ bytes: [UInt8]) {
    var rest = bytes[...]
    isNegative = rest.first == UInt8(ascii: "-")
    if isNegative { rest = rest.dropFirst() }
    let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    let integer = rest.prefix(while: isDigit)
    rest = rest.dropFirst(integer.count)
    var fraction: ArraySlice<UInt8> = []
    if rest.first == UInt8(ascii: ".") {
      fraction = rest.dropFirst().prefix(while: isDigit)
      guard !fraction.isEmpty else { return nil }
      rest = rest.dropFirst(1 + fraction.count)
    }
    guard !integer.isEmpty, rest.isEmpty else { return nil }
    significantDigits = Array((integer + fraction).drop(while: { $0 == UInt8(ascii: "0") }))
    scale = fraction.count
  }

  /// The significand in 128 bits (the digits are few enough whenever this is asked).
  var significand: Int128 {
    let magnitude = significantDigits.reduce(Int128(0)) { $0 * 10 + Int128($1 - UInt8(ascii: "0")) }
    return isNegative ? -magnitude : magnitude
  }
}

private func checkAgainstReference(_ bytes: [UInt8], _ outcome: Result<FixedDecimal, FixedDecimal.SyntaxProblem>) {
  guard let reference = Reference(bytes) else {
    if case .success(let value) = outcome {
      invariant(false, "\(quoted(bytes)) is not a plain decimal, yet parsed as \(value)")
    }
    return
  }
  let withinLimits =
    reference.significantDigits.count <= FixedDecimal.digitsMax && reference.scale <= Int(FixedDecimal.scaleMax)
  switch outcome {
  case .success(let value):
    invariant(withinLimits, "\(quoted(bytes)) is beyond the digit limits, yet parsed as \(value)")
    invariant(
      Int128(value.significand) == reference.significand && Int(value.scale) == reference.scale,
      "\(quoted(bytes)) parsed as \(value.significand)e-\(value.scale), "
        + "expected \(reference.significand)e-\(reference.scale)"
    )
  case .failure(let problem):
    invariant(!withinLimits, "\(quoted(bytes)) is a plain decimal within the limits, yet refused: \(problem.reason)")
    invariant(
      problem == .tooManyDigits || problem == .tooManyFractionDigits,
      "\(quoted(bytes)) is only too long, yet refused as \(problem)")
  }
}

private func checkRoundTrip(_ value: FixedDecimal) {
  invariant(value.scale <= FixedDecimal.scaleMax, "\(value) has scale \(value.scale)")
  let text = Array(value.description.utf8)
  let again = text.withUnsafeBufferPointer { FixedDecimal.parse($0) }
  guard case .success(let reparsed) = again else {
    invariant(false, "\(value) printed as \(quoted(text)), which does not parse: \(again)")
    return
  }
  invariant(
    reparsed.significand == value.significand && reparsed.scale == value.scale && reparsed == value
      && reparsed.hashValue == value.hashValue,
    "\(value.significand)e-\(value.scale) printed and parsed again is \(reparsed.significand)e-\(reparsed.scale)")
}

private func checkStringEntryPoint(_ bytes: [UInt8], _ outcome: Result<FixedDecimal, FixedDecimal.SyntaxProblem>) {
  let text = String(decoding: bytes, as: UTF8.self)
  // Invalid UTF-8 becomes U+FFFD in a String: the two entry points then read different bytes.
  guard Array(text.utf8) == bytes else { return }
  do {
    let value = try FixedDecimal(text)
    invariant(outcome == .success(value), "FixedDecimal(\(text.debugDescription)) is \(value), parse gave \(outcome)")
  } catch {
    invariant(
      outcome == .failure(error.problem), "FixedDecimal(\(text.debugDescription)) threw \(error), parse gave \(outcome)"
    )
    invariant(error.text == text, "the error quotes \(error.text.debugDescription), not the text")
    invariant(!error.problem.reason.isEmpty, "the problem \(error.problem) has no reason")
  }
}

/// A zero-, two-, three- and four-digit currency, and the currency the input's first byte picks.
private func currencies(for bytes: [UInt8]) -> [Currency] {
  let fixed = ["JPY", "USD", "KWD", "CLF"].compactMap { try? Currency(code: $0) }
  let all = Currency.all
  guard let first = bytes.first, !all.isEmpty else { return fixed }
  return fixed + [all[Int(first) % all.count]]
}

private func checkAmount(
  _ bytes: [UInt8], _ outcome: Result<FixedDecimal, FixedDecimal.SyntaxProblem>, currency: Currency
) {
  let amount = bytes.withUnsafeBufferPointer { Money.parseMinorUnits($0, currency: currency) }
  switch (outcome, amount) {
  case (.failure(let problem), .failure(.syntax(let amountProblem))):
    invariant(problem == amountProblem, "\(quoted(bytes)): decimal problem \(problem), amount problem \(amountProblem)")
  case (.failure(let problem), _):
    invariant(false, "\(quoted(bytes)) is not a decimal (\(problem)), yet as \(currency) it is \(amount)")
  case (.success(let value), .success(let minorUnits)):
    invariant(value.scale <= currency.minorUnits, "\(value) has more fraction digits than \(currency) allows")
    let factor = (0..<Int(currency.minorUnits - value.scale)).reduce(Int128(1)) { product, _ in product * 10 }
    invariant(
      Int128(value.significand) * factor == Int128(minorUnits),
      "\(value) \(currency) parsed as \(minorUnits) minor units")
    let printed = Money(minorUnits: minorUnits, currency: currency).amountText
    let reparsed = Array(printed.utf8).withUnsafeBufferPointer { Money.parseMinorUnits($0, currency: currency) }
    // The text shows every minor-unit digit, so 19 digits of minor units (past 10^18, as 64 bits allow)
    // print as more digits than the parser reads: a known limit, asserted as such.
    let printedDigits = String(minorUnits.magnitude).utf8.count
    invariant(
      reparsed == (printedDigits <= FixedDecimal.digitsMax ? .success(minorUnits) : .failure(.syntax(.tooManyDigits))),
      "\(minorUnits) \(currency) printed as \(printed), parsed as \(reparsed)")
  case (.success(let value), .failure(.fractionDigits(let allowed, let refused))):
    invariant(
      value.scale > currency.minorUnits && allowed == currency.minorUnits && refused == currency,
      "\(value) refused for \(currency) as having too many fraction digits")
  case (.success(let value), .failure(.outOfRange(let refused))):
    let factor = (0..<Int(currency.minorUnits - value.scale)).reduce(Int128(1)) { product, _ in product * 10 }
    invariant(
      refused == currency && Int64(exactly: Int128(value.significand) * factor) == nil,
      "\(value) \(currency) refused as out of range, but it fits")
  case (.success(let value), .failure(.syntax(let problem))):
    invariant(false, "\(value) parses as a decimal, yet as \(currency) it is a syntax problem: \(problem)")
  }
  let text = String(decoding: bytes, as: UTF8.self)
  guard Array(text.utf8) == bytes else { return }
  do {
    let money = try Money(parsing: text, currency: currency)
    invariant(amount == .success(money.minorUnits), "Money(parsing:) gave \(money), parseMinorUnits \(amount)")
  } catch {
    invariant(
      error.kind == .badAmount(text: text, problem: amount.failureValue ?? .syntax(.empty)),
      "Money(parsing: \(text.debugDescription)) threw \(error), parseMinorUnits gave \(amount)")
  }
}

private func quoted(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self).debugDescription }

extension Result {
  fileprivate var failureValue: Failure? {
    if case .failure(let failure) = self { return failure }
    return nil
  }
}

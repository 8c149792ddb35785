import BankDetailChecks
import BankDetails
import FuzzSupport

/// The IBAN, BIC and e-mail address validators of `BankDetails`, each given the whole input as text.
///
/// Invariants: each either validates or throws `BankDetailsError` of its own kind quoting the text
/// with a reason (typed throws: never anything else, and never a trap); a valid IBAN passes mod 97
/// computed independently and has check digits 02 to 98, and every valid value validates again from
/// its own forms (see `BankDetailChecks`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBankDetails(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let text = String(decoding: inputBytes(data, size), as: UTF8.self)
  do {
    BankDetailChecks.check(try IBAN(text))
  } catch {
    checkRefusal(error, kind: "IBAN", text: text)
  }
  do {
    BankDetailChecks.check(try BIC(text))
  } catch {
    checkRefusal(error, kind: "BIC", text: text)
  }
  do {
    BankDetailChecks.check(try EmailAddress(text))
  } catch {
    checkRefusal(error, kind: "e-mail address", text: text)
  }
  return 0
}

private func checkRefusal(_ error: BankDetailsError, kind: String, text: String) {
  invariant(
    error.kind == kind && error.value == text && !error.reason.isEmpty,
    "\(kind) \(text.debugDescription) refused as \(error.kind) \(error.value.debugDescription): \(error.reason)")
  let description = error.description
  invariant(description.hasPrefix(kind + " "), "the refusal reads \(description.debugDescription)")
}

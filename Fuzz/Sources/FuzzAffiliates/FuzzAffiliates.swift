import BankDetailChecks
import FuzzSupport
import Money
import Payouts

/// `AffiliatesFile.load` on the input as an affiliates file, settling in USD or EUR.
///
/// Invariants: a load either succeeds or throws `PayoutsError`, never traps; every data row is an
/// entry, part of one (a repeated id) or a rejected row; a payable affiliate has a non-empty id and
/// every IBAN, BIC and e-mail address in its destination passes the independent checks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAffiliates(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = inputBytes(data, size)
  let path = ScratchFile.store(bytes, name: "affiliates.csv")
  let codes = ["USD", "EUR"]
  guard let currency = try? Currency(code: codes[bytes.count % codes.count]) else { fatalError("USD and EUR exist") }
  let file: AffiliatesFile
  do {
    file = try AffiliatesFile.load(path: path, settlementCurrency: currency)
  } catch is PayoutsError {
    return 0
  } catch {
    invariant(false, "a load threw \(type(of: error)): \(error)")
    return 0
  }
  invariant(
    file.entries.count + file.rejectedRows.count <= file.rowCount,
    "\(file.rowCount) rows, \(file.entries.count) entries and \(file.rejectedRows.count) rejected rows")
  for (id, entry) in file.entries {
    invariant(!id.isEmpty, "an entry has an empty id")
    switch entry {
    case .payable(let affiliate):
      invariant(affiliate.id == id, "entry \(id) holds affiliate \(affiliate.id)")
      check(affiliate.destination)
    case .held(let line, _):
      invariant(line >= 2, "entry \(id) is held at line \(line)")
    }
  }
  return 0
}

private func check(_ destination: Affiliate.Destination) {
  switch destination {
  case .payoneer(let payeeID):
    invariant(
      !payeeID.isEmpty && payeeID.utf8.count <= AffiliatesFile.identifierBytesMax,
      "payee id \(payeeID.debugDescription)")
  case .wise(let recipient):
    if let iban = recipient.iban { BankDetailChecks.check(iban) }
    if let bic = recipient.bic { BankDetailChecks.check(bic) }
    if let email = recipient.email { BankDetailChecks.check(email) }
  case .wire(let creditor):
    BankDetailChecks.check(creditor.bic)
    if case .iban(let iban) = creditor.account { BankDetailChecks.check(iban) }
  }
}

import BankDetails
import CSV
import Countries
import Files
public import Money

/// The affiliates file, read and checked: for each affiliate id, where to pay it or why not.
///
/// CSV (RFC 4180, header row, columns in any order, extra columns ignored):
/// `affiliate_id,name,email,country,payout_method,payout_currency,payoneer_payee_id,iban,bic,
/// account_number,routing_code,address_line,city,postal_code`. `affiliate_id` and
/// `payout_method` must be in the header; a missing optional column reads as empty.
///
/// An affiliate whose row fails a check is not refused outright: it is kept with the reason, so
/// the payout it would have had is held and shown, and the rest of the batch goes on.
public struct AffiliatesFile: Sendable {
  /// Most affiliate rows read (a bound on memory; a real program has thousands).
  public static let rowsMax = 1_000_000
  /// Largest affiliates file, in bytes (512 MiB: `rowsMax` rows of about 500 bytes).
  public static let fileBytesMax = 512 << 20
  /// Longest payee id, account number or routing code accepted, in bytes.
  public static let identifierBytesMax = 64

  public static let columns = [
    "affiliate_id", "name", "email", "country", "payout_method", "payout_currency", "payoneer_payee_id", "iban", "bic",
    "account_number", "routing_code", "address_line", "city", "postal_code",
  ]
  static let requiredColumns: Set<String> = ["affiliate_id", "payout_method"]

  /// An affiliate ready to be paid, or held with the reason.
  public enum Entry: Sendable, Equatable {
    case payable(Affiliate)
    case held(line: Int, HoldReason)
  }

  /// A row that names no affiliate (not well-formed CSV, or an empty id): it cannot hold anyone's
  /// payout, but it is reported. A repeated id is not here: it holds that affiliate's payout.
  public struct RejectedRow: Sendable, Equatable {
    public let line: Int
    public let reason: String
  }

  public let path: String
  /// Data rows read (the header excluded).
  public let rowCount: Int
  public let entries: [String: Entry]
  public let rejectedRows: [RejectedRow]

  /// Reads and checks the file; `settlementCurrency` is the payout currency where the row leaves it empty.
  /// - Throws: `FileError` when it cannot be read or has more than `fileBytesMax` bytes;
  ///   `PayoutsError` for a header without the required columns or more than `rowsMax` rows.
  ///   Bad rows are not thrown: they are held.
  public static func load(path: String, settlementCurrency: Currency) throws -> AffiliatesFile {
    try load(path: path, settlementCurrency: settlementCurrency, fileBytesMax: fileBytesMax, rowsMax: rowsMax)
  }

  /// `load(path:settlementCurrency:)` with lower limits, so tests reach them without writing gigabytes.
  static func load(path: String, settlementCurrency: Currency, fileBytesMax: Int, rowsMax: Int) throws
    -> AffiliatesFile
  {
    let reader = try CSVReader(path: path, fileBytesMax: fileBytesMax)
    var header: [String: Int]?
    var width = 0
    var rowCount = 0
    var entries: [String: Entry] = [:]
    var linesOfID: [String: [Int]] = [:]
    var rejected: [RejectedRow] = []
    try reader.forEachRecord { record in
      func countRow(line: Int) throws(PayoutsError) {
        rowCount += 1
        guard rowCount <= rowsMax else {
          throw PayoutsError("\(path):\(line): more than \(rowsMax) affiliate rows; a batch reads at most \(rowsMax)")
        }
      }
      guard case .record(let row) = record else {
        if case .malformed(let line, let reason) = record {
          guard header != nil else {
            throw PayoutsError("\(path):\(line): the header row is not well-formed CSV: \(reason)")
          }
          try countRow(line: line)
          rejected.append(RejectedRow(line: line, reason: "not well-formed CSV: \(reason)"))
        }
        return
      }
      guard let columns = header else {
        header = try columnPositions(row, path: path)
        width = row.count
        return
      }
      try countRow(line: row.line)
      var fields: [String: String] = [:]
      var textProblem: String?
      for (name, index) in columns where index < row.count {
        fields[name] = row.string(index)
        if textProblem == nil { textProblem = FieldText.problem(row.field(index), column: name) }
      }
      let id = fields["affiliate_id"] ?? ""
      guard !id.isEmpty else {
        rejected.append(RejectedRow(line: row.line, reason: "affiliate_id is empty"))
        return
      }
      if let idColumn = columns["affiliate_id"],
        let idProblem = FieldText.problem(row.field(idColumn), column: "affiliate_id")
      {
        // Not text: it names no affiliate an orders file can name (the settlement refuses such ids too).
        rejected.append(RejectedRow(line: row.line, reason: idProblem))
        return
      }
      linesOfID[id, default: []].append(row.line)
      if let lines = linesOfID[id], lines.count > 1 {
        // Neither row is trusted: the payout is held, naming every line with this id.
        let listed = lines.dropLast().map(String.init).joined(separator: ", ") + " and \(row.line)"
        let quantifier = lines.count == 2 ? "both" : "all"
        entries[id] = .held(
          line: lines[0],
          HoldReason(
            .duplicateAffiliate, "\(path): lines \(listed) \(quantifier) have affiliate_id \(CSVText.quotedSafely(id))")
        )
        return
      }
      guard row.count == width else {
        entries[id] = .held(
          line: row.line,
          HoldReason(
            .malformedRow, "\(path):\(row.line): expected \(width) fields as in the header, found \(row.count)"))
        return
      }
      if let textProblem {
        entries[id] = .held(line: row.line, HoldReason(.malformedRow, "\(path):\(row.line): \(textProblem)"))
        return
      }
      let checked = AffiliateRow(fields: fields, line: row.line, path: path).check(
        settlementCurrency: settlementCurrency)
      switch checked {
      case .success(let affiliate): entries[id] = .payable(affiliate)
      case .failure(let reason): entries[id] = .held(line: row.line, reason)
      }
    }
    guard header != nil else {
      throw PayoutsError("\(path): empty; expected a header row naming \(columns.joined(separator: ","))")
    }
    return AffiliatesFile(path: path, rowCount: rowCount, entries: entries, rejectedRows: rejected)
  }

  /// Where each known column is.
  /// - Throws: `PayoutsError` naming a required column that is missing, or a column named twice.
  static func columnPositions(_ header: CSVRow, path: String) throws(PayoutsError) -> [String: Int] {
    var positions: [String: Int] = [:]
    for index in 0..<header.count {
      var name = header.string(index)
      // A UTF-8 byte order mark before the first name is not part of it.
      if index == 0, name.utf8.starts(with: [0xEF, 0xBB, 0xBF]) { name = String(name.dropFirst()) }
      guard columns.contains(name) else { continue }
      guard positions[name] == nil else {
        throw PayoutsError("\(path):\(header.line): column \"\(name)\" appears twice in the header")
      }
      positions[name] = index
    }
    for name in requiredColumns.sorted() where positions[name] == nil {
      throw PayoutsError(
        "\(path):\(header.line): the header has no \"\(name)\" column (expected \(columns.joined(separator: ",")))")
    }
    return positions
  }
}

/// One affiliates-file row's fields by column name, checked against what its payout method needs.
struct AffiliateRow {
  let fields: [String: String]
  let line: Int
  let path: String

  func value(_ column: String) -> String { fields[column] ?? "" }

  func missing(_ columns: String, for method: PayoutMethod) -> HoldReason {
    HoldReason(.missingDetails, "\(path):\(line): \(method.rawValue) payouts need \(columns)")
  }

  func invalid(_ column: String, _ problem: String) -> HoldReason {
    HoldReason(.invalidDetails, "\(path):\(line): \(column): \(problem)")
  }

  func check(settlementCurrency: Currency) -> Result<Affiliate, HoldReason> {
    // Every field is checked, not only those written into CSV files today: a formula in any
    // field is a sign the row was tampered with or mangled by a spreadsheet.
    for column in AffiliatesFile.columns where SpreadsheetText.isFormulaLike(value(column)) {
      return .failure(
        HoldReason(.formulaText, "\(path):\(line): \(column) begins with a character a spreadsheet runs as a formula"))
    }
    guard let method = PayoutMethod(rawValue: value("payout_method")) else {
      return .failure(
        invalid("payout_method", "\(CSVText.quotedSafely(value("payout_method"))) is not payoneer, wise or wire"))
    }
    var country: Country?
    if !value("country").isEmpty {
      do {
        country = try Country(code: value("country"))
      } catch {
        return .failure(invalid("country", "\(error)"))
      }
    }
    var payoutCurrency = settlementCurrency
    if !value("payout_currency").isEmpty {
      do {
        payoutCurrency = try Currency(code: value("payout_currency"))
      } catch {
        return .failure(invalid("payout_currency", "\(error)"))
      }
    }
    for column in ["payoneer_payee_id", "account_number", "routing_code"]
    where value(column).utf8.count > AffiliatesFile.identifierBytesMax {
      return .failure(invalid(column, "longer than \(AffiliatesFile.identifierBytesMax) bytes"))
    }
    let destination: Affiliate.Destination
    switch destinationFor(method, country: country) {
    case .success(let found): destination = found
    case .failure(let reason): return .failure(reason)
    }
    return .success(
      Affiliate(
        id: value("affiliate_id"), line: line, name: value("name"), country: country, payoutCurrency: payoutCurrency,
        destination: destination))
  }

  private func destinationFor(_ method: PayoutMethod, country: Country?) -> Result<Affiliate.Destination, HoldReason> {
    switch method {
    case .payoneer:
      guard !value("payoneer_payee_id").isEmpty else { return .failure(missing("payoneer_payee_id", for: method)) }
      return .success(.payoneer(payeeID: value("payoneer_payee_id")))
    case .wise:
      return wiseRecipient(country: country).map { .wise($0) }
    case .wire:
      return wireCreditor(country: country).map { .wire($0) }
    }
  }

  private func wiseRecipient(country: Country?) -> Result<Affiliate.WiseRecipient, HoldReason> {
    guard !value("name").isEmpty else { return .failure(missing("name", for: .wise)) }
    let hasAccount = !value("account_number").isEmpty && !value("routing_code").isEmpty
    guard !value("email").isEmpty || !value("iban").isEmpty || hasAccount else {
      return .failure(missing("email, or iban, or account_number with routing_code", for: .wise))
    }
    do {
      let email = try optional("email") { (text) throws(BankDetailsError) in try EmailAddress(text) }
      let iban = try optional("iban") { (text) throws(BankDetailsError) in try IBAN(text) }
      let bic = try optional("bic") { (text) throws(BankDetailsError) in try BIC(text) }
      return .success(
        Affiliate.WiseRecipient(
          email: email, iban: iban, bic: bic, accountNumber: nonEmpty("account_number"),
          routingCode: nonEmpty("routing_code"), address: address(country: country)))
    } catch {
      return .failure(error)
    }
  }

  private func wireCreditor(country: Country?) -> Result<Affiliate.WireCreditor, HoldReason> {
    guard !value("name").isEmpty else { return .failure(missing("name", for: .wire)) }
    guard let country else { return .failure(missing("country", for: .wire)) }
    guard !value("bic").isEmpty else { return .failure(missing("bic", for: .wire)) }
    guard !value("iban").isEmpty || !value("account_number").isEmpty else {
      return .failure(missing("iban or account_number", for: .wire))
    }
    do {
      guard let bic = try optional("bic", { (text) throws(BankDetailsError) in try BIC(text) }) else {
        return .failure(missing("bic", for: .wire))
      }
      let account: CreditorAccount
      if let iban = try optional("iban", { (text) throws(BankDetailsError) in try IBAN(text) }) {
        account = .iban(iban)
      } else {
        account = .other(accountNumber: value("account_number"))
      }
      return .success(
        Affiliate.WireCreditor(
          account: account, bic: bic,
          address: PostalAddress(
            line: nonEmpty("address_line"), city: nonEmpty("city"), postalCode: nonEmpty("postal_code"),
            country: country)))
    } catch {
      return .failure(error)
    }
  }

  private func address(country: Country?) -> PostalAddress? {
    country.map {
      PostalAddress(
        line: nonEmpty("address_line"), city: nonEmpty("city"), postalCode: nonEmpty("postal_code"), country: $0)
    }
  }

  private func nonEmpty(_ column: String) -> String? { value(column).isEmpty ? nil : value(column) }

  /// The column checked by `make` when it is not empty; the check's refusal becomes a hold naming the column.
  private func optional<Checked>(
    _ column: String, _ make: (String) throws(BankDetailsError) -> Checked
  ) throws(HoldReason) -> Checked? {
    guard !value(column).isEmpty else { return nil }
    do {
      return try make(value(column))
    } catch {
      throw invalid(column, "\(error)")
    }
  }
}

extension HoldReason: Error {}

/// A payout batch that cannot be made, in one line naming the input.
public struct PayoutsError: Error, Equatable, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}

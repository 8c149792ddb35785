import CSV
public import Money

/// Reads back the audit a settlement run wrote (`orders.csv`): the one place that holds every
/// order's outcome and rounded commission, so a ledger can post and compare orders one by one.
public enum SettlementAudit {
  /// A qualified order as the audit recorded it.
  public struct QualifiedOrder: Sendable, Equatable {
    /// The order's line in the orders file.
    public let line: Int
    public let orderID: String
    public let affiliateID: String
    /// The ECB publication day its conversion used, `YYYY-MM-DD`.
    public let rateDay: String
    /// Minor units of the settlement currency, after the run's tier choice.
    public let commission: Int64
  }

  /// Calls `body` for every qualified order of the audit at `path`, in file order.
  /// - Throws: `FileError`; `SettlementError` naming the line when the audit is not one Settle
  ///   wrote (a missing column, an amount that does not parse in `currency`).
  public static func forEachQualifiedOrder(
    path: String, currency: Currency, _ body: (QualifiedOrder) throws -> Void
  ) throws {
    let reader = try CSVReader(path: path, lineBytesMax: PeriodSettlement.auditLineBytesMax)
    try reader.forEachRecord { record in
      guard case .record(let row) = record else {
        throw SettlementError("\(path): not an audit Settle wrote: a malformed record")
      }
      if row.line == 1 {
        guard row.count == 8, row.string(0) == "line", row.string(7) == "commission" else {
          throw SettlementError("\(path):1: not an audit Settle wrote: expected \(PeriodSettlement.auditHeader)")
        }
        return
      }
      guard row.count == 8, row.field(3).equals("qualified") else { return }
      guard let line = Int(row.string(0)),
        case .success(let commission) = Money.parseMinorUnits(row.field(7), currency: currency)
      else {
        throw SettlementError("\(path):\(row.line): not an audit Settle wrote: line or commission does not parse")
      }
      try body(
        QualifiedOrder(
          line: line, orderID: row.string(1), affiliateID: row.string(2), rateDay: row.string(5),
          commission: commission))
    }
  }
}

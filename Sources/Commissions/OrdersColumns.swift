import CSV

/// Where each orders-file column is: the header names them, in any order; extra columns are ignored.
struct OrdersColumns {
  static let required = [
    "order_id", "affiliate_id", "clicked_at", "ordered_at", "status", "buyer_country", "buyer_type", "category",
    "amount", "currency",
  ]

  let orderID: Int
  let affiliateID: Int
  let clickedAt: Int
  let orderedAt: Int
  let status: Int
  let buyerCountry: Int
  let buyerType: Int
  let category: Int
  let amount: Int
  let currency: Int
  /// Fields every row must have: the header's.
  let width: Int

  /// Finds the columns in the header.
  /// - Throws: `SettlementError` naming the missing or repeated column.
  init(header: CSVRow, path: String) throws(SettlementError) {
    var positions: [String: Int] = [:]
    for index in 0..<header.count {
      var name = header.string(index)
      // A UTF-8 byte order mark before the first name is not part of it.
      if index == 0, name.utf8.starts(with: [0xEF, 0xBB, 0xBF]) { name = String(name.dropFirst()) }
      if OrdersColumns.required.contains(name), positions[name] != nil {
        throw SettlementError("\(path):\(header.line): column \"\(name)\" appears twice in the header")
      }
      positions[name] = positions[name] ?? index
    }
    func position(_ name: String) throws(SettlementError) -> Int {
      guard let index = positions[name] else {
        throw SettlementError(
          "\(path):\(header.line): the header has no \"\(name)\" column (expected \(OrdersColumns.required.joined(separator: ",")))"
        )
      }
      return index
    }
    orderID = try position("order_id")
    affiliateID = try position("affiliate_id")
    clickedAt = try position("clicked_at")
    orderedAt = try position("ordered_at")
    status = try position("status")
    buyerCountry = try position("buyer_country")
    buyerType = try position("buyer_type")
    category = try position("category")
    amount = try position("amount")
    currency = try position("currency")
    width = header.count
  }
}

extension OrdersColumns {
  /// The position in `required` of the first required column whose field is empty in `row`, or nil.
  @inline(__always)
  func firstEmpty(in row: CSVRow) -> Int? {
    if row.fieldIsEmpty(orderID) { return 0 }
    if row.fieldIsEmpty(affiliateID) { return 1 }
    if row.fieldIsEmpty(clickedAt) { return 2 }
    if row.fieldIsEmpty(orderedAt) { return 3 }
    if row.fieldIsEmpty(status) { return 4 }
    if row.fieldIsEmpty(buyerCountry) { return 5 }
    if row.fieldIsEmpty(buyerType) { return 6 }
    if row.fieldIsEmpty(category) { return 7 }
    if row.fieldIsEmpty(amount) { return 8 }
    if row.fieldIsEmpty(currency) { return 9 }
    return nil
  }
}

/// A run that cannot go on, in one line naming the input.
public struct SettlementError: Error, Equatable, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}

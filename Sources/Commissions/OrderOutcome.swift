/// Why an order in the period earns no commission, checked in this order.
public enum NotQualifiedReason: String, Sendable, CaseIterable {
  case statusNotCompleted = "status_not_completed"
  case excludedCountry = "excluded_country"
  case excludedCategory = "excluded_category"
  case orderBeforeClick = "order_before_click"
  case attributionExpired = "attribution_expired"
  /// The program has no market for the buyer country (no `every_other` market).
  case noMarket = "no_market"
}

/// Why a row could not be read as an order. The row is listed, never dropped.
public enum RejectionReason: String, Sendable, CaseIterable {
  case malformedCSV = "malformed_csv"
  case wrongFieldCount = "wrong_field_count"
  case missingValue = "missing_value"
  case duplicateOrderID = "duplicate_order_id"
  case badTimestamp = "bad_timestamp"
  case badStatus = "bad_status"
  case badBuyerType = "bad_buyer_type"
  case badCountry = "bad_country"
  case badCurrency = "bad_currency"
  case badAmount = "bad_amount"
}

/// The outcome of one input row: every row gets exactly one.
public enum OrderOutcome: String, Sendable, CaseIterable {
  case qualified
  case notQualified = "not_qualified"
  case outOfPeriod = "out_of_period"
  case rejected
}

/// An order's status in the merchant's export.
public enum OrderStatus: String, Sendable, CaseIterable {
  case completed, refunded, cancelled, pending
}

/// An enum whose counts and texts are kept in arrays in the order of `allCases`: `position` is a
/// case's index there, found without searching (the row loop counts every row).
protocol CasePosition: CaseIterable {
  var position: Int { get }
}

extension NotQualifiedReason: CasePosition {
  var position: Int {
    switch self {
    case .statusNotCompleted: 0
    case .excludedCountry: 1
    case .excludedCategory: 2
    case .orderBeforeClick: 3
    case .attributionExpired: 4
    case .noMarket: 5
    }
  }
}

extension RejectionReason: CasePosition {
  var position: Int {
    switch self {
    case .malformedCSV: 0
    case .wrongFieldCount: 1
    case .missingValue: 2
    case .duplicateOrderID: 3
    case .badTimestamp: 4
    case .badStatus: 5
    case .badBuyerType: 6
    case .badCountry: 7
    case .badCurrency: 8
    case .badAmount: 9
    }
  }
}

extension OrderOutcome: CasePosition {
  var position: Int {
    switch self {
    case .qualified: 0
    case .notQualified: 1
    case .outOfPeriod: 2
    case .rejected: 3
    }
  }
}

public import Dates
import Digest
import GRDB
public import Money

extension Ledger {
  /// An affiliate's commission in one market of one period.
  public struct MarketCommission: Sendable, Equatable {
    public let period: Month
    /// Closed: the closing run's figures, frozen. Open: the latest provisional run's.
    public let isClosed: Bool
    /// The buyer country, ISO 3166-1 alpha-2.
    public let market: String
    public let orders: Int
    public let sales: Money
    public let commission: Money
  }

  /// A payout instructed to an affiliate.
  public struct AffiliatePayout: Sendable, Equatable {
    public let period: Month
    public let batchID: String
    public let reference: String
    public let method: String
    public let settlementAmount: Money
    public let payoutAmount: Money
    /// `instructed`, `paid` or `failed`.
    public let state: String
  }

  /// Everything the ledger holds for one affiliate.
  public struct AffiliateHistory: Sendable, Equatable {
    public let affiliateID: String
    /// By period, then market.
    public let commissions: [MarketCommission]
    /// By period.
    public let payouts: [AffiliatePayout]
    /// Payable balances per currency (what the program owes it; negative: owed back).
    public let balances: [Money]

    /// Whether the ledger knows the affiliate at all.
    public var isKnown: Bool { !commissions.isEmpty || !payouts.isEmpty || !balances.isEmpty }
  }

  /// The affiliate's commissions per period and market, payouts and balance, in one read
  /// transaction: three cached statements, each answered from a covering index (schema v4), their
  /// columns read by index.
  public func history(of affiliateID: String) throws(LedgerError) -> AffiliateHistory {
    try read("read the history of \(affiliateID)") { db in
      var commissions: [MarketCommission] = []
      try StatementRows.forEach(
        try db.cachedStatement(sql: Ledger.commissionsOfAffiliate), in: db, binding: affiliateID
      ) {
        row in
        let currency = try row.currency(6)
        commissions.append(
          MarketCommission(
            period: try row.month(0), isClosed: row.text(1, equals: "closed"), market: row.string(2),
            orders: row.int(3), sales: Money(minorUnits: row.int64(4), currency: currency),
            commission: Money(minorUnits: row.int64(5), currency: currency)))
      }
      var payouts: [AffiliatePayout] = []
      try StatementRows.forEach(try db.cachedStatement(sql: Ledger.payoutsOfAffiliate), in: db, binding: affiliateID) {
        row in
        payouts.append(
          AffiliatePayout(
            period: try row.month(0), batchID: row.string(1), reference: row.string(2), method: row.string(3),
            settlementAmount: Money(minorUnits: row.int64(4), currency: try row.currency(5)),
            payoutAmount: Money(minorUnits: row.int64(6), currency: try row.currency(7)), state: row.string(8)))
      }
      var balances: [Money] = []
      try StatementRows.forEach(try db.cachedStatement(sql: Ledger.balancesOfAffiliate), in: db, binding: affiliateID) {
        row in
        balances.append(Money(minorUnits: row.int64(1), currency: try row.currency(0)))
      }
      return AffiliateHistory(affiliateID: affiliateID, commissions: commissions, payouts: payouts, balances: balances)
    }
  }

  /// An affiliate's commissions by period and market, from `period_commissions_of_affiliate`
  /// (which holds every column read, in this order: no table lookup and no sort).
  static let commissionsOfAffiliate = """
    SELECT c.period, p.status, c.market, c.orders, c.sales, c.commission, c.currency
    FROM period_commissions c INDEXED BY period_commissions_of_affiliate JOIN periods p ON p.period = c.period
    WHERE c.affiliate_id = ?1 ORDER BY c.period, c.market
    """

  /// An affiliate's payouts by period, from `payouts_of_affiliate`.
  static let payoutsOfAffiliate = """
    SELECT p.period, p.batch_id, p.reference, p.method, p.settlement_amount, b.settlement_currency, p.payout_amount,
      p.payout_currency, p.state
    FROM payouts p INDEXED BY payouts_of_affiliate JOIN batches b ON b.id = p.batch_id
    WHERE p.affiliate_id = ?1 ORDER BY p.period
    """

  /// An affiliate's payable balances by currency, from `accounts_of_affiliate` (SQLite's planner,
  /// without statistics, would otherwise take `accounts_by_name` and read every payable account).
  static let balancesOfAffiliate = """
    SELECT currency, credits_posted - debits_posted FROM accounts INDEXED BY accounts_of_affiliate
    WHERE affiliate_id = ?1 AND kind = 'payable' ORDER BY currency
    """

  // MARK: Access tokens

  /// What a token may read.
  public enum TokenScope: Sendable, Equatable {
    /// One affiliate's earnings.
    case affiliate(String)
    /// Every affiliate's.
    case treasury
  }

  /// A live token as the server keeps it: the SHA-256 of the token (never the token) and its scope.
  public struct TokenRecord: Sendable, Equatable {
    public let sha256: [UInt8]
    public let scope: TokenScope
  }

  /// Bytes of randomness in a token (256 bits).
  public static let tokenRandomBytes = 32

  /// Issues a token: `stl_` + 64 hex digits from the system's random source. Only its SHA-256 is
  /// stored; the token itself is returned once and cannot be shown again.
  public func issueToken(_ scope: TokenScope, at issuedAt: Timestamp) throws(LedgerError) -> String {
    var generator = SystemRandomNumberGenerator()
    let random = (0..<Ledger.tokenRandomBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let token = "stl_" + SHA256.lowercaseHex(random)
    try write("issue a token") { db in
      var affiliateID: String?
      if case .affiliate(let id) = scope { affiliateID = id }
      try db.execute(
        sql: "INSERT INTO tokens (sha256, affiliate_id, treasury, issued_at) VALUES (?, ?, ?, ?)",
        arguments: [Ledger.tokenHash(token), affiliateID, affiliateID == nil ? 1 : 0, issuedAt.description])
    }
    return token
  }

  /// Revokes a token; false when no live token matches.
  public func revokeToken(_ token: String, at revokedAt: Timestamp) throws(LedgerError) -> Bool {
    try write("revoke a token") { db in
      try db.execute(
        sql: "UPDATE tokens SET revoked_at = ? WHERE sha256 = ? AND revoked_at IS NULL",
        arguments: [revokedAt.description, Ledger.tokenHash(token)])
      return db.changesCount > 0
    }
  }

  /// Every token not revoked, for a server to compare presented tokens against (in constant time).
  public func liveTokens() throws(LedgerError) -> [TokenRecord] {
    try read("read the tokens") { db in
      try Row.fetchAll(db, sql: "SELECT sha256, affiliate_id FROM tokens WHERE revoked_at IS NULL").map { row in
        let hex: String = row["sha256"]
        let affiliateID: String? = row["affiliate_id"]
        return TokenRecord(sha256: Ledger.bytes(fromHex: hex), scope: affiliateID.map { .affiliate($0) } ?? .treasury)
      }
    }
  }

  /// The SHA-256 of a token's UTF-8 bytes, lowercase hex: what the ledger stores.
  public static func tokenHash(_ token: String) -> String { SHA256.hexDigest(of: Array(token.utf8)) }

  static func bytes(fromHex hex: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var high: UInt8?
    for character in hex.utf8 {
      let value = character <= 57 ? character &- 48 : (character | 0x20) &- 87
      if let first = high {
        bytes.append(first << 4 | value)
        high = nil
      } else {
        high = value
      }
    }
    return bytes
  }
}

public import Commissions
public import Dates
import Digest
public import Money
public import Rates

/// One payout per affiliate for a settled period, in the affiliate's currency: ready, or held
/// with the reason.
///
/// Each affiliate's period commission (the sum of its per-order rounded commissions, in the
/// settlement currency) is converted once into its payout currency at the ECB rate of the rate
/// day (under the 7-day rule), rounded half-even. Held payouts keep their settlement amount, so
/// ready plus held always equals the period's total commission.
public struct PayoutBatch: Sendable {
  /// Most payouts in one batch (affiliates with commission in the period).
  public static let payoutsMax = 1_000_000
  /// Largest payout, in major units of its currency (a trillion). ISO 20022 amounts and control
  /// sums have at most 18 digits: without a bound, one affiliate's enormous total would make the
  /// wire file invalid and stop every other payout of the batch. A larger payout is held.
  public static let payoutMajorUnitsMax: Int64 = 1_000_000_000_000
  public static let rounding = RoundingMode.halfEven

  /// What the batch is made with, beyond the settlement.
  public struct Options: Sendable {
    /// The day whose ECB rates convert settlement amounts into payout currencies.
    public var rateDay: Day
    /// The day the bank is asked to execute the wires.
    public var executionDay: Day
    /// The batch's creation time, written into the files; the same time gives the same bytes.
    public var createdAt: Timestamp
    public var wireFormat: WireFormat

    public init(rateDay: Day, executionDay: Day, createdAt: Timestamp, wireFormat: WireFormat) {
      self.rateDay = rateDay
      self.executionDay = executionDay
      self.createdAt = createdAt
      self.wireFormat = wireFormat
    }

    /// The defaults for a period: rates of its last day, execution on the first weekday on or
    /// after the creation day.
    public static func defaults(for period: Month, createdAt: Timestamp, wireFormat: WireFormat) -> Options {
      var executionDay = createdAt.day
      while executionDay.weekday >= 6 { executionDay = executionDay.advanced(by: 1) }
      return Options(rateDay: period.lastDay, executionDay: executionDay, createdAt: createdAt, wireFormat: wireFormat)
    }
  }

  /// `ST` + year and month + 8 hex digits of the program, period and settlement currency's
  /// SHA-256: the same period of the same program is always the same batch, so references stay
  /// the same when a batch is made again and a provider recognises a retried upload.
  public let id: String
  public let period: Month
  public let program: Program
  public let payer: Payer
  public let options: Options
  /// Sorted by affiliate id (bytes).
  public let payouts: [Payout]
  /// The period's total commission in the settlement currency, from the settlement.
  public let totalCommission: Int128
  /// Balances carried from earlier periods, and adjustments to earlier periods posted into this one.
  public let carriedTotal: Int128
  public let adjustmentsTotal: Int128
  /// Every adjustment paid or held with this batch, by affiliate then original period and line.
  public let adjustments: [Adjustment]

  public var settlementCurrency: Currency { program.settlementCurrency }
  /// What the batch owes in all: commission, carried balances and adjustments.
  public var owedTotal: Int128 { totalCommission + carriedTotal + adjustmentsTotal }

  /// Makes the batch from a settled period and, with a ledger, what earlier periods left owed.
  /// - Parameters:
  ///   - carried: each affiliate's balance from earlier periods (held payouts, clawbacks not yet
  ///     recovered), adjustments excluded; zero for none.
  ///   - adjustments: differences found in earlier, closed periods, posted into this one.
  /// - Throws: `PayoutsError` when an affiliate's total passes 64 bits or there are more than
  ///   `payoutsMax` affiliates; `RatesError` when the rate day has no publication at all.
  public init(
    settlement: SettlementSummary, affiliates: AffiliatesFile, payer: Payer, rates: RateTable, options: Options,
    carried: [String: Int64] = [:], adjustments: [Adjustment] = []
  ) throws {
    try self.init(
      settlement: settlement, affiliates: affiliates, payer: payer, rates: rates, options: options, carried: carried,
      adjustments: adjustments, payoutsMax: PayoutBatch.payoutsMax)
  }

  /// The batch with another limit on its payouts, so tests reach it without a million affiliates.
  init(
    settlement: SettlementSummary, affiliates: AffiliatesFile, payer: Payer, rates: RateTable, options: Options,
    carried: [String: Int64], adjustments: [Adjustment], payoutsMax: Int
  ) throws {
    program = settlement.program
    period = settlement.period
    self.payer = payer
    self.options = options
    id = PayoutBatch.batchID(program: settlement.program, period: settlement.period)
    totalCommission = settlement.totalCommission
    let owed = try PayoutBatch.owed(settlement, carried: carried, adjustments: adjustments)
    guard owed.count <= payoutsMax else {
      throw PayoutsError("\(owed.count) affiliates are owed money; a batch holds at most \(payoutsMax)")
    }
    carriedTotal = owed.reduce(0) { $0 + Int128($1.carried) }
    adjustmentsTotal = owed.reduce(0) { $0 + Int128($1.adjustmentsTotal) }
    self.adjustments = owed.flatMap(\.adjustments)
    _ = try rates.rate(for: settlement.program.settlementCurrency, on: options.rateDay)
    var payouts: [Payout] = []
    var references: [String: String] = [:]
    for entry in owed {
      let reference = PayoutBatch.reference(batchID: id, period: period, affiliateID: entry.affiliateID)
      if let other = references.updateValue(entry.affiliateID, forKey: reference) {
        throw PayoutsError("affiliates \(other) and \(entry.affiliateID) share the payout reference \(reference)")
      }
      payouts.append(
        try PayoutBatch.payout(
          entry, reference: reference, entry: affiliates.entries[entry.affiliateID], affiliatesPath: affiliates.path,
          rejectedRows: affiliates.rejectedRows.count, program: program, rates: rates, rateDay: options.rateDay))
    }
    self.payouts = payouts
    assertReconciled()
  }

  /// Ready plus held, in the settlement currency.
  public var readyTotal: Int128 { payouts.filter(\.isReady).reduce(0) { $0 + Int128($1.settlementAmount.minorUnits) } }
  public var heldTotal: Int128 {
    payouts.filter { !$0.isReady }.reduce(0) { $0 + Int128($1.settlementAmount.minorUnits) }
  }

  /// Ready and held payouts add up to what is owed: nothing is lost or paid twice.
  func assertReconciled() {
    precondition(
      readyTotal + heldTotal == owedTotal,
      "batch \(id): ready \(readyTotal) + held \(heldTotal) ≠ owed \(owedTotal) minor units")
  }

  /// What each affiliate is owed, in affiliate-id byte order: its commission summed over its
  /// markets, its carried balance and its adjustments.
  static func owed(_ settlement: SettlementSummary, carried: [String: Int64], adjustments: [Adjustment])
    throws(PayoutsError) -> [Owed]
  {
    var commissions: [String: Int64] = [:]
    for line in settlement.lines {
      let (sum, overflow) = commissions[line.affiliateID, default: 0].addingReportingOverflow(
        line.commission.minorUnits)
      guard !overflow else {
        throw PayoutsError("affiliate \(line.affiliateID): commission passes 64 bits of minor units")
      }
      commissions[line.affiliateID] = sum
    }
    let adjustmentsOfAffiliate = Dictionary(grouping: adjustments, by: \.affiliateID)
    let affiliates = Set(commissions.keys).union(carried.filter { $0.value != 0 }.keys).union(
      adjustmentsOfAffiliate.keys)
    var owed: [Owed] = []
    for affiliateID in affiliates.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      let entry = Owed(
        affiliateID: affiliateID, commission: commissions[affiliateID] ?? 0, carried: carried[affiliateID] ?? 0,
        adjustments: (adjustmentsOfAffiliate[affiliateID] ?? []).sorted {
          ($0.period, $0.line) < ($1.period, $1.line)
        })
      _ = try entry.total()
      owed.append(entry)
    }
    return owed
  }

  static func batchID(program: Program, period: Month) -> String {
    let digest = SHA256.hexDigest(of: Array("\(program.fileSHA256)\n\(period)\n\(program.settlementCurrency)".utf8))
    let yearAndMonth = period.description.filter { $0 != "-" }  // 202610
    return "ST\(yearAndMonth)-" + digest.prefix(8).uppercased()
  }

  /// `ST` + two-digit year and month + 12 hex digits of the batch id and affiliate's SHA-256: 18
  /// letters and digits, short enough for every provider's reference field and ISO 20022's
  /// 35-character end-to-end id, and the same whenever the batch is made again.
  static func reference(batchID: String, period: Month, affiliateID: String) -> String {
    let digest = SHA256.hexDigest(of: Array("\(batchID)\n\(affiliateID)".utf8))
    let shortYearAndMonth = period.description.filter { $0 != "-" }.dropFirst(2)  // 2610
    return "ST" + shortYearAndMonth + digest.prefix(12).uppercased()
  }

  /// One affiliate's payout: held for the first reason that applies, else ready.
  static func payout(
    _ owed: Owed, reference: String, entry: AffiliatesFile.Entry?, affiliatesPath: String, rejectedRows: Int,
    program: Program, rates: RateTable, rateDay: Day
  ) throws(PayoutsError) -> Payout {
    let total = Money(minorUnits: try owed.total(), currency: program.settlementCurrency)
    func held(_ reason: HoldReason, _ affiliate: Affiliate? = nil, converted: (Money, Day)? = nil) -> Payout {
      Payout(
        owed: owed, affiliate: affiliate, settlementAmount: total, payoutAmount: converted?.0, rateDay: converted?.1,
        holdReason: reason, reference: reference)
    }
    let affiliate: Affiliate
    switch entry {
    case nil:
      let unread = rejectedRows > 0 ? " (\(rejectedRows) of its rows name no affiliate: see the manifest)" : ""
      return held(HoldReason(.unknownAffiliate, "no row in \(affiliatesPath)\(unread)"))
    case .held(_, let reason)?:
      return held(reason)
    case .payable(let found)?:
      affiliate = found
    }
    guard total.minorUnits >= 0 else {
      return held(
        HoldReason(.negativeBalance, "\(total) after earlier clawbacks: it stays owed to the program"), affiliate)
    }
    let rated: RatedConversion
    do {
      rated = try rates.conversion(from: program.settlementCurrency, to: affiliate.payoutCurrency, on: rateDay)
    } catch {
      return held(HoldReason(.unsupportedCurrency, "\(error)"), affiliate)
    }
    guard let minorUnits = rated.conversion.convertedMinorUnits(total.minorUnits, rounding: rounding) else {
      return held(
        HoldReason(.unsupportedCurrency, "\(total) does not fit 64 bits of \(affiliate.payoutCurrency) minor units"),
        affiliate)
    }
    let converted = (Money(minorUnits: minorUnits, currency: affiliate.payoutCurrency), rated.publicationDay)
    var maximum = PayoutBatch.payoutMajorUnitsMax
    for _ in 0..<affiliate.payoutCurrency.minorUnits { maximum *= 10 }
    guard minorUnits <= maximum else {
      return held(
        HoldReason(
          .aboveMaximum,
          "\(converted.0) is more than the \(PayoutBatch.payoutMajorUnitsMax) \(affiliate.payoutCurrency) one payout may be"
        ),
        affiliate, converted: converted)
    }
    if let minimum = program.minimumPayout, total.minorUnits < minimum.minorUnits {
      return held(
        HoldReason(.belowMinimum, "\(total) is below the program's minimum of \(minimum)"), affiliate,
        converted: converted)
    }
    guard minorUnits > 0 else {
      return held(
        HoldReason(.zeroAmount, "\(total) is \(converted.0) after conversion"), affiliate, converted: converted)
    }
    return Payout(
      owed: owed, affiliate: affiliate, settlementAmount: total, payoutAmount: converted.0, rateDay: converted.1,
      holdReason: nil, reference: reference)
  }
}

/// What one affiliate is owed when its payout is made, in minor units of the settlement currency.
public struct Owed: Sendable, Equatable {
  public let affiliateID: String
  /// The period's commission: the sum of its per-order rounded commissions.
  public let commission: Int64
  /// The balance carried from earlier periods: payouts held then (positive) or clawbacks not yet
  /// recovered (negative). Adjustments are not in it.
  public let carried: Int64
  /// Differences found in earlier, closed periods, posted into this one.
  public let adjustments: [Adjustment]

  public init(affiliateID: String, commission: Int64, carried: Int64, adjustments: [Adjustment]) {
    self.affiliateID = affiliateID
    self.commission = commission
    self.carried = carried
    self.adjustments = adjustments
  }

  public var adjustmentsTotal: Int64 { adjustments.reduce(0) { $0 &+ $1.amount } }

  /// Commission plus carried plus adjustments.
  /// - Throws: `PayoutsError` when the sum passes 64 bits.
  public func total() throws(PayoutsError) -> Int64 {
    let sum = Int128(commission) + Int128(carried) + adjustments.reduce(Int128(0)) { $0 + Int128($1.amount) }
    guard let total = Int64(exactly: sum) else {
      throw PayoutsError("affiliate \(affiliateID): what it is owed passes 64 bits of minor units")
    }
    return total
  }
}

/// A difference in an earlier, closed period's commission for one order (a late order, a refund
/// after payout), posted into a later period: positive when more is owed, negative to claw back.
public struct Adjustment: Sendable, Equatable {
  public let affiliateID: String
  /// The period the order belongs to.
  public let period: Month
  public let orderID: String
  /// The order's line in that period's latest orders file.
  public let line: Int
  /// Minor units of the settlement currency.
  public let amount: Int64

  public init(affiliateID: String, period: Month, orderID: String, line: Int, amount: Int64) {
    self.affiliateID = affiliateID
    self.period = period
    self.orderID = orderID
    self.line = line
    self.amount = amount
  }
}

/// One affiliate's payout in a batch.
public struct Payout: Sendable, Equatable {
  /// What the affiliate is owed, in parts; `settlementAmount` is its total.
  public let owed: Owed
  public var affiliateID: String { owed.affiliateID }
  /// The checked affiliate, when it has one.
  public let affiliate: Affiliate?
  /// What is owed in the settlement currency: the period's commission, carried balance and adjustments.
  public let settlementAmount: Money
  /// The amount in the payout currency, converted once; nil when the payout was held before conversion.
  public let payoutAmount: Money?
  /// The ECB publication day of the conversion.
  public let rateDay: Day?
  /// nil for a ready payout.
  public let holdReason: HoldReason?
  /// Deterministic: the same batch and affiliate give the same reference.
  public let reference: String

  public var isReady: Bool { holdReason == nil }
  public var method: PayoutMethod? { affiliate?.destination.method }
}

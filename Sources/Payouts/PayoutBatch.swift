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

  public var settlementCurrency: Currency { program.settlementCurrency }

  /// Makes the batch from a settled period.
  /// - Throws: `PayoutsError` when an affiliate's total passes 64 bits or there are more than
  ///   `payoutsMax` affiliates; `RatesError` when the rate day has no publication at all.
  public init(
    settlement: SettlementSummary, affiliates: AffiliatesFile, payer: Payer, rates: RateTable, options: Options
  ) throws {
    program = settlement.program
    period = settlement.period
    self.payer = payer
    self.options = options
    id = PayoutBatch.batchID(program: settlement.program, period: settlement.period)
    totalCommission = settlement.totalCommission
    let totals = try PayoutBatch.commissionByAffiliate(settlement)
    guard totals.count <= PayoutBatch.payoutsMax else {
      throw PayoutsError(
        "\(totals.count) affiliates earned commission; a batch holds at most \(PayoutBatch.payoutsMax)")
    }
    _ = try rates.rate(for: settlement.program.settlementCurrency, on: options.rateDay)
    var payouts: [Payout] = []
    var references: [String: String] = [:]
    for (affiliateID, commission) in totals {
      let reference = PayoutBatch.reference(batchID: id, period: period, affiliateID: affiliateID)
      if let other = references.updateValue(affiliateID, forKey: reference) {
        throw PayoutsError("affiliates \(other) and \(affiliateID) share the payout reference \(reference)")
      }
      payouts.append(
        PayoutBatch.payout(
          affiliateID: affiliateID, commission: commission, reference: reference,
          entry: affiliates.entries[affiliateID],
          affiliatesPath: affiliates.path, rejectedRows: affiliates.rejectedRows.count, program: program, rates: rates,
          rateDay: options.rateDay))
    }
    self.payouts = payouts
    assertReconciled()
  }

  /// Ready plus held, in the settlement currency.
  public var readyTotal: Int128 { payouts.filter(\.isReady).reduce(0) { $0 + Int128($1.settlementAmount.minorUnits) } }
  public var heldTotal: Int128 {
    payouts.filter { !$0.isReady }.reduce(0) { $0 + Int128($1.settlementAmount.minorUnits) }
  }

  /// Ready and held payouts add up to the period's commission: nothing is lost or paid twice.
  func assertReconciled() {
    precondition(
      readyTotal + heldTotal == totalCommission,
      "batch \(id): ready \(readyTotal) + held \(heldTotal) ≠ commission \(totalCommission) minor units")
  }

  /// Each affiliate's commission, summed over its markets, in affiliate-id byte order.
  static func commissionByAffiliate(_ settlement: SettlementSummary) throws(PayoutsError) -> [(String, Money)] {
    var totals: [(String, Money)] = []
    for line in settlement.lines {
      if let last = totals.last, last.0 == line.affiliateID {
        let (sum, overflow) = last.1.minorUnits.addingReportingOverflow(line.commission.minorUnits)
        guard !overflow else {
          throw PayoutsError("affiliate \(line.affiliateID): commission passes 64 bits of minor units")
        }
        totals[totals.count - 1].1 = Money(minorUnits: sum, currency: line.commission.currency)
      } else {
        totals.append((line.affiliateID, line.commission))
      }
    }
    return totals
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
    affiliateID: String, commission: Money, reference: String, entry: AffiliatesFile.Entry?, affiliatesPath: String,
    rejectedRows: Int, program: Program, rates: RateTable, rateDay: Day
  ) -> Payout {
    func held(_ reason: HoldReason, _ affiliate: Affiliate? = nil, converted: (Money, Day)? = nil) -> Payout {
      Payout(
        affiliateID: affiliateID, affiliate: affiliate, settlementAmount: commission, payoutAmount: converted?.0,
        rateDay: converted?.1, holdReason: reason, reference: reference)
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
    let rated: RatedConversion
    do {
      rated = try rates.conversion(from: program.settlementCurrency, to: affiliate.payoutCurrency, on: rateDay)
    } catch {
      return held(HoldReason(.unsupportedCurrency, "\(error)"), affiliate)
    }
    guard let minorUnits = rated.conversion.convertedMinorUnits(commission.minorUnits, rounding: rounding) else {
      return held(
        HoldReason(
          .unsupportedCurrency, "\(commission) does not fit 64 bits of \(affiliate.payoutCurrency) minor units"),
        affiliate)
    }
    let converted = (Money(minorUnits: minorUnits, currency: affiliate.payoutCurrency), rated.publicationDay)
    if let minimum = program.minimumPayout, commission.minorUnits < minimum.minorUnits {
      return held(
        HoldReason(.belowMinimum, "\(commission) is below the program's minimum of \(minimum)"), affiliate,
        converted: converted)
    }
    guard minorUnits > 0 else {
      return held(
        HoldReason(.zeroAmount, "\(commission) is \(converted.0) after conversion"), affiliate, converted: converted)
    }
    return Payout(
      affiliateID: affiliateID, affiliate: affiliate, settlementAmount: commission, payoutAmount: converted.0,
      rateDay: converted.1, holdReason: nil, reference: reference)
  }
}

/// One affiliate's payout in a batch.
public struct Payout: Sendable, Equatable {
  public let affiliateID: String
  /// The checked affiliate, when it has one.
  public let affiliate: Affiliate?
  /// The period's commission in the settlement currency.
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

import CSV
import Countries
import Dispatch
import Synchronization
import JSONText
public import Dates
public import Files
public import Money

/// The result of settling a period: counts, totals, and what produced them.
public struct SettlementSummary: Sendable {
  public let program: Program
  public let period: Month
  public let options: PeriodSettlement.RunOptions
  public let counts: OutcomeCounts
  /// Sum of qualifying order amounts in their own currencies.
  public let qualifyingAmounts: [Currency: Int128]
  /// Distinct affiliate ids among the lines.
  public let affiliateCount: Int
  /// The run's totals, read only from now on, and their lines in file order: a group number each.
  /// A month can have hundreds of thousands of affiliate-market lines; they are not copied.
  private let groups: AffiliateMarketTotals
  private let fileOrder: [UInt32]
  /// The tier level paid to each affiliate, by affiliate number; empty without tiers.
  private let tierOfAffiliate: [Int]
  /// Affiliate ids, by affiliate number.
  private let affiliateIDs: [String]
  /// Total sales and commission in the settlement currency, summed in 128 bits.
  public let totalSales: Int128
  public let totalCommission: Int128

  /// One line of `commissions.csv`.
  public struct CommissionLine: Sendable, Equatable {
    public let affiliateID: String
    public let market: String
    public let orders: Int
    public let sales: Money
    public let commission: Money
  }

  init(
    program: Program, period: Month, options: PeriodSettlement.RunOptions, counts: OutcomeCounts,
    groups: AffiliateMarketTotals, tierOfAffiliate: [Int], qualifyingAmounts: [Currency: Int128]
  ) {
    self.program = program
    self.period = period
    self.options = options
    self.counts = counts
    self.qualifyingAmounts = qualifyingAmounts
    self.groups = groups
    self.tierOfAffiliate = tierOfAffiliate
    // Byte order of the affiliate id, then the market: the same order on every machine and locale.
    fileOrder = groups.groupsInFileOrder()
    // One string per affiliate, shared by its lines.
    affiliateIDs = (0..<groups.affiliates.count).map { affiliate in
      groups.affiliates.withBytes(at: affiliate) { String(decoding: $0, as: UTF8.self) }
    }
    var totalSales: Int128 = 0
    var totalCommission: Int128 = 0
    for group in 0..<groups.count {
      totalSales += Int128(groups.sales(ofGroup: group))
      totalCommission += Int128(
        groups.commission(ofGroup: group, tier: SettlementSummary.tier(group, groups, tierOfAffiliate)))
    }
    self.totalSales = totalSales
    self.totalCommission = totalCommission
    affiliateCount = Set(affiliateIDs).count
  }

  /// The tier level paid on group `group`.
  private static func tier(_ group: Int, _ groups: AffiliateMarketTotals, _ tierOfAffiliate: [Int]) -> Int {
    tierOfAffiliate.isEmpty ? 0 : tierOfAffiliate[groups.affiliate(ofGroup: group)]
  }

  /// Affiliate-market lines.
  public var lineCount: Int { fileOrder.count }

  /// Per affiliate and market, sorted by affiliate id then market: made on each call.
  public var lines: [CommissionLine] {
    let currency = program.settlementCurrency
    return fileOrder.map { group in
      let group = Int(group)
      return CommissionLine(
        affiliateID: affiliateIDs[groups.affiliate(ofGroup: group)], market: groups.market(ofGroup: group).code,
        orders: groups.orders(ofGroup: group),
        sales: Money(minorUnits: groups.sales(ofGroup: group), currency: currency),
        commission: Money(
          minorUnits: groups.commission(ofGroup: group, tier: SettlementSummary.tier(group, groups, tierOfAffiliate)),
          currency: currency))
    }
  }

  static let commissionsHeader = "affiliate_id,market,orders,sales,commission,currency\n"
  /// Lines whose figures are read together before they are formatted.
  static let gatherLines = 64
  /// Lines formatted into one block, the unit the two writing threads take turns with.
  static let blockLines = 4_096

  /// Writes `commissions.csv` (`affiliate_id,market,orders,sales,commission,currency`) through
  /// `writer`, formatted through a `ByteCursor` as the audit is, with room made once per line.
  ///
  /// Two threads format blocks of `blockLines` lines, each into a buffer of its own, and write
  /// them in file order, taking turns; so the whole text is never held, and 643 k lines take about
  /// half the 52 ms they took on one thread.
  public func writeCommissionsCSV(to writer: AtomicFileWriter) throws(FileError) {
    let header = SettlementSummary.commissionsHeader
    try writer.write(Array(header.utf8))
    let blocks = (fileOrder.count + SettlementSummary.blockLines - 1) / SettlementSummary.blockLines
    let writing = BlockWriting(writer: writer, blocks: blocks)
    DispatchQueue.concurrentPerform(iterations: BlockWriting.threads) { thread in
      let formatter = CommissionsFormatter(summary: self)
      while let block = writing.nextBlock() {
        let start = block * SettlementSummary.blockLines
        let lines = formatter.format(lines: start..<min(start + SettlementSummary.blockLines, fileOrder.count))
        writing.write(lines, block: block, thread: thread)
      }
    }
    if let failure = writing.failure { throw failure }
  }

  /// One thread's buffer for blocks of `commissions.csv` lines.
  private final class CommissionsFormatter {
    let summary: SettlementSummary
    let scale: Int
    let currencyCode: ByteCursor.Token
    let buffer: UnsafeMutablePointer<UInt8>
    let capacity: Int

    init(summary: SettlementSummary) {
      self.summary = summary
      scale = Int(summary.program.settlementCurrency.minorUnits)
      currencyCode = ByteCursor.Token(summary.program.settlementCurrency.code)
      let affiliates = summary.groups.affiliates
      let longestID = (0..<affiliates.count).reduce(0) { longest, affiliate in
        max(longest, affiliates.withBytes(at: affiliate) { $0.count })
      }
      // The escaped id at most doubles and gains two quotes; the market, three numbers of at most
      // 21 bytes, a 16-byte token and the separators take the rest.
      let lineBytesMax = 2 * longestID + 2 + 2 + 3 * 21 + ByteCursor.Token.bytesMax + 6
      capacity = SettlementSummary.blockLines * lineBytesMax
      buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// The text of lines `range` (positions in file order), valid until the next call.
    func format(lines range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
      // Everything a line reads is held in locals first: read through the summary's properties,
      // each line retained and released their storage, which the two threads' atomic counts made
      // take three times as long as the formatting.
      let groups = summary.groups
      let affiliates = groups.affiliates
      let fileOrder = summary.fileOrder
      let tierOfAffiliate = summary.tierOfAffiliate
      var cursor = ByteCursor(base: buffer, capacity: capacity)
      // Groups lie in the order they were first seen, lines in file order: each line's record is a
      // cache miss. The figures of a batch of lines are gathered first, in a loop whose loads do
      // not wait on one another, so the misses overlap; then the batch is formatted (0.12 s to
      // write 643 k lines one by one).
      var gathered: [(affiliate: Int, market: UInt16, orders: Int, sales: Int64, commission: Int64)] = []
      gathered.reserveCapacity(SettlementSummary.gatherLines)
      for batchStart in stride(from: range.lowerBound, to: range.upperBound, by: SettlementSummary.gatherLines) {
        gathered.removeAll(keepingCapacity: true)
        for line in batchStart..<min(batchStart + SettlementSummary.gatherLines, range.upperBound) {
          let group = Int(fileOrder[line])
          gathered.append(
            (
              groups.affiliate(ofGroup: group), groups.marketCode(ofGroup: group), groups.orders(ofGroup: group),
              groups.sales(ofGroup: group),
              groups.commission(ofGroup: group, tier: SettlementSummary.tier(group, groups, tierOfAffiliate))
            ))
        }
        for line in gathered {
          affiliates.withBytes(at: line.affiliate) { cursor.appendEscaped($0) }
          cursor.append(UInt8(ascii: ","))
          cursor.append(UInt8(truncatingIfNeeded: line.market >> 8))
          cursor.append(UInt8(truncatingIfNeeded: line.market))
          cursor.append(UInt8(ascii: ","))
          cursor.appendDecimal(UInt64(line.orders))
          cursor.append(UInt8(ascii: ","))
          cursor.appendMinorUnits(line.sales, scale: scale)
          cursor.append(UInt8(ascii: ","))
          cursor.appendMinorUnits(line.commission, scale: scale)
          cursor.append(UInt8(ascii: ","))
          cursor.append(currencyCode)
          cursor.append(UInt8(ascii: "\n"))
        }
      }
      return UnsafeBufferPointer(start: buffer, count: cursor.count)
    }
  }

  /// The blocks of `commissions.csv`, handed out in order to two threads that format them, and
  /// the turn to write them in that order; the first failure to write stops the writing.
  ///
  /// Unchecked: `writer` is written to and `failure` set only by the thread whose turn it is
  /// (`TurnOrder`); `failure` is read after both threads have finished.
  private final class BlockWriting: @unchecked Sendable {
    static let threads = 2
    let writer: AtomicFileWriter
    let blocks: Int
    private let given = Atomic<Int>(0)
    private let turns = TurnOrder(threads: BlockWriting.threads)
    private(set) var failure: FileError?

    init(writer: AtomicFileWriter, blocks: Int) {
      self.writer = writer
      self.blocks = blocks
    }

    /// The next block to format, or nil when every block is handed out or writing has failed.
    func nextBlock() -> Int? {
      guard !turns.isStopped else { return nil }
      let block = given.add(1, ordering: .relaxed).oldValue
      return block < blocks ? block : nil
    }

    /// Writes `lines`, block `block`, once the blocks before it are written.
    func write(_ lines: UnsafeBufferPointer<UInt8>, block: Int, thread: Int) {
      guard turns.waitForTurn(block, thread: thread) else { return }
      do throws(FileError) {
        try writer.write(lines)
        turns.done(block)
      } catch {
        failure = error
        turns.stop()
      }
    }
  }

  /// `summary.json`: counts by outcome and reason (adding up to the input rows), totals, the
  /// program and rates store with their SHA-256, and the run's parameters.
  public func json() -> String {
    let currency = program.settlementCurrency
    var outcomes: [(String, String)] = []
    for outcome in OrderOutcome.allCases { outcomes.append((outcome.rawValue, String(counts.byOutcome[outcome] ?? 0))) }
    var notQualified: [(String, String)] = []
    for reason in NotQualifiedReason.allCases {
      notQualified.append((reason.rawValue, String(counts.byReason[reason.rawValue] ?? 0)))
    }
    var rejected: [(String, String)] = []
    for reason in RejectionReason.allCases {
      rejected.append((reason.rawValue, String(counts.byReason[reason.rawValue] ?? 0)))
    }
    var amounts: [(String, String)] = []
    for (orderCurrency, total) in qualifyingAmounts.sorted(by: { $0.key < $1.key }) {
      amounts.append(
        (orderCurrency.code, JSON.string(SettlementSummary.decimalText(total, minorUnits: orderCurrency.minorUnits))))
    }
    let settlementTotals = JSON.object([
      ("currency", JSON.string(currency.code)),
      ("sales", JSON.string(SettlementSummary.decimalText(totalSales, minorUnits: currency.minorUnits))),
      ("commission", JSON.string(SettlementSummary.decimalText(totalCommission, minorUnits: currency.minorUnits))),
      ("affiliates", String(affiliateCount)),
      ("lines", String(lineCount)),
    ])
    return JSON.object(
      pretty: true,
      [
        ("period", JSON.string(period.description)),
        ("input_rows", String(counts.inputRows)),
        ("outcomes", JSON.object(outcomes)),
        ("reasons", JSON.object([("not_qualified", JSON.object(notQualified)), ("rejected", JSON.object(rejected))])),
        ("totals", settlementTotals),
        ("qualifying_order_amounts", JSON.object(amounts)),
        (
          "program",
          JSON.object([
            ("name", JSON.string(program.name)), ("file", JSON.string(options.programSource)),
            ("sha256", JSON.string(program.fileSHA256)),
          ])
        ),
        (
          "rates",
          JSON.object([("store", JSON.string(options.ratesSource)), ("sha256", JSON.string(options.ratesSHA256))])
        ),
        (
          "parameters",
          JSON.object([
            ("orders", JSON.string(options.ordersPath)), ("period", JSON.string(period.description)),
            ("settlement_currency", JSON.string(currency.code)),
            ("rounding", JSON.string(PeriodSettlement.rounding.rawValue)),
            ("strict", options.strict ? "true" : "false"), ("out", JSON.string(options.outputDirectory)),
          ])
        ),
      ]) + "\n"
  }

  /// A 128-bit count of minor units as exact decimal text.
  static func decimalText(_ minorUnits: Int128, minorUnits digits: UInt8) -> String {
    let magnitude = minorUnits.magnitude
    var text = String(magnitude)
    if digits > 0 {
      if text.count <= Int(digits) { text = String(repeating: "0", count: Int(digits) + 1 - text.count) + text }
      text.insert(".", at: text.index(text.endIndex, offsetBy: -Int(digits)))
    }
    return minorUnits < 0 ? "-" + text : text
  }
}

import CSV
import Dispatch
import Countries
import Dates
import Files
import Money
import Rates

extension PeriodSettlement {
  /// What a run reads and where it writes.
  public struct RunOptions: Sendable {
    public var ordersPath: String
    public var outputDirectory: String
    /// Fail before writing anything when any row is rejected.
    public var strict: Bool
    /// The program file's name (`programs/alibaba.yaml` for the default), for the summary.
    public var programSource: String
    /// The rates store file and its SHA-256, for the summary.
    public var ratesSource: String
    public var ratesSHA256: String
    /// Rows between two progress reports.
    public var progressIntervalRows: Int = 1 << 16
    /// Files at least this large are read on two threads, a chunk at a time.
    public var parallelBytesMin: Int = 8 << 20
    /// Least bytes of whole lines in one chunk of a read on two threads: each thread holds one
    /// chunk's bytes and its audit lines (about 60 % of its bytes) until its turn to write them.
    /// A megabyte: at 4 MB a chunk's bytes had left the core's 1 MB cache before they were
    /// parsed, and 10 M orders took 1.26 s where they take 1.12 s now (256 KB: 1.21 s).
    public var chunkBytes: Int = 1 << 20
    /// Largest orders file read, in bytes: `PeriodSettlement.ordersFileBytesMax` unless a test lowers it.
    public var ordersFileBytesMax: Int = PeriodSettlement.ordersFileBytesMax

    public init(
      ordersPath: String, outputDirectory: String, strict: Bool, programSource: String, ratesSource: String,
      ratesSHA256: String
    ) {
      self.ordersPath = ordersPath
      self.outputDirectory = outputDirectory
      self.strict = strict
      self.programSource = programSource
      self.ratesSource = ratesSource
      self.ratesSHA256 = ratesSHA256
    }
  }

  /// Reads the orders, settles the period, and writes `commissions.csv`, `orders.csv` and
  /// `summary.json` into the output directory, all three replaced atomically together.
  /// - Parameter progress: called now and then with the rows done and the bytes read.
  /// - Throws: `SettlementError` (a missing column; `--strict` with rejected rows), `RatesError`
  ///   (a day without a usable rate), `FileError`. Nothing is written then.
  public func run(_ options: RunOptions, progress: ((_ rows: Int, _ bytesRead: Int) -> Void)? = nil) throws
    -> SettlementSummary
  {
    try FileReader.createDirectory(options.outputDirectory)
    let hasTiers = !program.tiers.isEmpty
    let auditPath = options.outputDirectory + "/orders.csv"
    // With tiers, an order's commission depends on its affiliate's period total: the audit is
    // first written with every tier's figure and rewritten once the totals are known.
    let auditTarget = hasTiers ? auditPath + ".tiers" : auditPath
    let (audit, readState) = try read(options, auditTarget: auditTarget, progress: progress)
    var state = readState
    try state.addQueuedOrders()
    if options.strict, let firstRejection = state.firstRejection {
      audit.abandon()
      throw SettlementError(
        "\(state.counts.rejected) rows rejected with --strict; nothing written. First: \(firstRejection)")
    }
    let groups = state.totals.totals
    let tierOfAffiliate = resolveTiers(groups)
    var commitOrder: [AtomicFileWriter] = []
    if hasTiers {
      try audit.commit()
      var tierOfAffiliateID: [String: Int] = [:]
      for (affiliate, tier) in tierOfAffiliate.enumerated() {
        tierOfAffiliateID[groups.affiliates.withBytes(at: affiliate) { String(decoding: $0, as: UTF8.self) }] =
          tier
      }
      commitOrder.append(
        try rewriteAuditChoosingTiers(from: audit.path, to: auditPath, tierOfAffiliate: tierOfAffiliateID))
    } else {
      commitOrder.append(audit)
    }
    let summary = SettlementSummary(
      program: program, period: period, options: options, counts: state.counts,
      groups: groups, tierOfAffiliate: tierOfAffiliate,
      qualifyingAmounts: state.qualifyingAmounts(of: codes.currencies))
    // Tens of megabytes at a million groups, written once: past the page cache, like the audit,
    // so that the commit's fsync has nothing left to write (it waited 7 ms for 20 MB).
    let commissions = try AtomicFileWriter(
      path: options.outputDirectory + "/commissions.csv", bypassingPageCache: true)
    try summary.writeCommissionsCSV(to: commissions)
    let summaryFile = try AtomicFileWriter(path: options.outputDirectory + "/summary.json")
    try summaryFile.write(summary.json())
    for writer in commitOrder + [commissions, summaryFile] { try writer.commit() }
    if hasTiers { FileReader.remove(audit.path) }
    return summary
  }

  static let auditHeader = "line,order_id,affiliate_id,outcome,reason,rate_date,sales,commission\n"

  /// Bytes of audit between two background syncs: an audit of millions of orders is hundreds of
  /// megabytes, which the kernel would otherwise hold back until the commit's fsync.
  static let auditSyncBytes = 32 << 20

  /// A new audit file, written to disk as it grows: hundreds of megabytes written once, so
  /// bypassing the page cache where the file system allows it.
  static func auditFile(_ path: String) throws(FileError) -> AtomicFileWriter {
    let file = try AtomicFileWriter(path: path, bypassingPageCache: true)
    file.syncInBackground(everyBytes: auditSyncBytes)
    return file
  }

  /// Longest audit line read back, in bytes: it holds the row's ids and may quote a rejected
  /// value, each escaped, so at most about three times its input row (`CSVReader.lineBytesMax`).
  static let auditLineBytesMax = 4 * CSVReader.lineBytesMax

  /// Largest orders file, in bytes (16 GiB, about 160 million orders): it bounds the scratch file
  /// of order id hashes (8 bytes an order, spilled to the output directory, see `OrderIDHashes`).
  public static let ordersFileBytesMax = 16 << 30

  /// Reads the orders into the audit at `auditTarget`: in chunks on two threads when the file is
  /// large (see `readInChunks`), else on this thread; and once more, comparing the suspect order ids exactly, when
  /// two orders' id hashes are equal (see `OrderIDCheck`).
  private func read(
    _ options: RunOptions, auditTarget: String, progress: ((_ rows: Int, _ bytesRead: Int) -> Void)?
  ) throws -> (AtomicFileWriter, RunState) {
    let fileBytes = FileReader.size(options.ordersPath)
    var suspects: Set<UInt64>?
    if let fileBytes, fileBytes >= options.parallelBytesMin {
      switch try readInChunks(options, auditTarget: auditTarget, fileBytes: fileBytes, progress: progress) {
      case .read(let audit, let state): return (audit, state)
      case .splitInsideRecord: break
      case .repeatedHashes(let repeated): suspects = repeated
      }
    }
    if suspects == nil, let fileBytes {
      let audit = try PeriodSettlement.auditFile(auditTarget)
      let hashes = try OrderIDHashes(
        scratchDirectory: options.outputDirectory, bytes: fileBytes, bytesMax: options.ordersFileBytesMax)
      var state = try readWhole(
        options, fileBytes: fileBytes, audit: audit, orderIDs: .collect(hashes), progress: progress)
      let repeated = try OrderIDCheck.repeatedHashes([hashes])
      state.orderIDs.release()
      if repeated.isEmpty { return (audit, state) }
      audit.abandon()
      suspects = repeated
    }
    let audit = try PeriodSettlement.auditFile(auditTarget)
    let orderIDs: OrderIDCheck.Mode = suspects.map { .suspects($0) } ?? .exactly
    return (audit, try readWhole(options, fileBytes: fileBytes, audit: audit, orderIDs: orderIDs, progress: progress))
  }

  /// Reads the whole orders file on this thread.
  /// - Parameter fileBytes: the file's size, nil for standard input.
  private func readWhole(
    _ options: RunOptions, fileBytes: Int?, audit: AtomicFileWriter, orderIDs: OrderIDCheck.Mode,
    progress: ((_ rows: Int, _ bytesRead: Int) -> Void)?
  ) throws -> RunState {
    let reader = try CSVReader(path: options.ordersPath, fileBytesMax: options.ordersFileBytesMax)
    // Groups need orders: as many as the file can hold, or standard input up to the largest file.
    let bytesMax = fileBytes ?? options.ordersFileBytesMax
    var state = RunState(
      path: options.ordersPath, audit: audit, settlementCurrency: program.settlementCurrency,
      totals: try AffiliateMarketTotals(
        tierCount: levels.tierCount, groupsMax: OrderIDHashes.rowCountMax(forBytes: bytesMax)),
      period: period, currencyCount: codes.currencies.count, orderIDs: orderIDs)
    try audit.write(PeriodSettlement.auditHeader)
    try reader.forEachRecord { record in
      try handle(record, state: &state)
      if let progress, state.counts.inputRows % options.progressIntervalRows == 0 {
        progress(state.counts.inputRows, reader.bytesRead)
      }
    }
    guard state.columns != nil else {
      throw SettlementError(
        "\(options.ordersPath): empty; expected a header row naming \(OrdersColumns.required.joined(separator: ","))")
    }
    try state.audit.flushRows()
    return state
  }

  /// One record: the header (when not known yet), a malformed stretch, or an order.
  func handle(_ record: CSVRecord, state: inout RunState) throws {
    switch record {
    case .malformed(let line, let reason):
      // Without a header no row can be read; taking the next row for it would only mislead.
      guard state.columns != nil else {
        throw SettlementError("\(state.path):\(line): the header row is not well-formed CSV: \(reason)")
      }
      try state.reject(line: line, .malformedCSV, reason, orderID: .empty, affiliateID: .empty)
    case .record(let row):
      guard let columns = state.columns else {
        state.columns = try OrdersColumns(header: row, path: state.path)
        return
      }
      try settle(row, columns: columns, state: &state)
    }
  }

  /// Decides one data row's outcome, converts it if it qualifies, and writes its audit line.
  private func settle(_ row: CSVRow, columns: OrdersColumns, state: inout RunState) throws {
    let orderIDBytes = row.count > columns.orderID ? row.field(columns.orderID) : .empty
    let affiliateBytes =
      row.count > columns.affiliateID ? row.field(columns.affiliateID) : .empty
    func reject(_ reason: RejectionReason, _ detail: String) throws {
      try state.reject(line: row.line, reason, detail, orderID: orderIDBytes, affiliateID: affiliateBytes)
    }
    guard row.count == columns.width else {
      return try reject(.wrongFieldCount, "expected \(columns.width) fields, found \(row.count)")
    }
    if let missing = columns.firstEmpty(in: row) {
      return try reject(.missingValue, "\(OrdersColumns.required[missing]) is empty")
    }
    // The ids are carried into the outputs and compared as text later: bytes that are not UTF-8
    // would all decode to U+FFFD, so two affiliates could become one.
    if let problem = FieldText.problem(orderIDBytes, column: "order_id")
      ?? FieldText.problem(affiliateBytes, column: "affiliate_id")
    {
      return try state.reject(line: row.line, .malformedCSV, problem, orderID: .empty, affiliateID: .empty)
    }
    guard state.orderIDs.isFirstSighting(orderIDBytes) else {
      return try reject(
        .duplicateOrderID, "order_id \"\(String(decoding: orderIDBytes, as: UTF8.self))\" appears on an earlier line")
    }
    guard
      let orderedAt = Timestamp.parseOrderTimestamp(
        row.field(columns.orderedAt), months: months, lastMonth: &state.orderedMonth)
    else {
      return try reject(.badTimestamp, "ordered_at \(TimestampError(text: row.string(columns.orderedAt)))")
    }
    guard
      let clickedAt = Timestamp.parseOrderTimestamp(
        row.field(columns.clickedAt), months: months, lastMonth: &state.clickedMonth)
    else {
      return try reject(.badTimestamp, "clicked_at \(TimestampError(text: row.string(columns.clickedAt)))")
    }
    guard let status = OrderStatus(bytes: row.field(columns.status)) else {
      return try reject(
        .badStatus, "status \"\(row.string(columns.status))\" is not completed, refunded, cancelled or pending")
    }
    guard let buyerType = Program.BuyerType(bytes: row.field(columns.buyerType)) else {
      return try reject(.badBuyerType, "buyer_type \"\(row.string(columns.buyerType))\" is not new or returning")
    }
    guard let buyer = codes.buyer(row.field(columns.buyerCountry)) else {
      return try reject(
        .badCountry, "buyer_country \"\(row.string(columns.buyerCountry))\" is not an ISO 3166-1 alpha-2 code")
    }
    guard let currencyNumber = codes.currencyNumber(row.field(columns.currency)) else {
      guard let currency = Currency.lookup(row.field(columns.currency)) else {
        return try reject(
          .badCurrency, "currency \"\(row.string(columns.currency))\" is not an ISO 4217 currency with minor units")
      }
      return try reject(.badCurrency, "currency \(currency) is not covered by the ECB rates")
    }
    let currency = codes.currencies[currencyNumber]
    let amount: Int64
    switch Money.parseMinorUnits(row.field(columns.amount), currency: currency) {
    case .success(let minorUnits) where minorUnits > 0: amount = minorUnits
    case .success: return try reject(.badAmount, "amount \"\(row.string(columns.amount))\" is not more than zero")
    case .failure(let problem):
      return try reject(
        .badAmount, "\(MoneyError(.badAmount(text: row.string(columns.amount), problem: problem), operation: "parse"))")
    }
    guard periodInstants.contains(orderedAt) else {
      return try state.outOfPeriod(line: row.line, orderID: orderIDBytes, affiliateID: affiliateBytes)
    }
    if let reason = notQualifiedReason(
      status: status, buyer: buyer, category: row.field(columns.category),
      orderedAt: orderedAt, clickedAt: clickedAt)
    {
      return try state.notQualified(line: row.line, orderID: orderIDBytes, affiliateID: affiliateBytes, reason)
    }
    guard buyer.market >= 0 else {
      return try state.notQualified(line: row.line, orderID: orderIDBytes, affiliateID: affiliateBytes, .noMarket)
    }
    let market = Int(buyer.market)
    let day = try conversions(for: currencyNumber, on: orderedAt.day, cache: &state.conversions)
    guard let sales = day.sales.convertedMinorUnits(amount, rounding: PeriodSettlement.rounding) else {
      return try reject(
        .badAmount,
        "amount \"\(row.string(columns.amount))\" is too large to convert into \(program.settlementCurrency)")
    }
    let bounty = bountyBuyerTypes[buyerType == .new ? 0 : 1] ? (day.bounty ?? 0) : 0
    for tier in 0..<levels.tierCount {
      let conversion = state.conversions.commissions[
        day.commissionsStart + levels.level(market: market, buyerType: buyerType, tier: tier)]
      guard let percentageCommission = conversion.convertedMinorUnits(amount, rounding: PeriodSettlement.rounding),
        case (let commission, false) = percentageCommission.addingReportingOverflow(bounty)
      else {
        return try reject(
          .badAmount,
          "amount \"\(row.string(columns.amount))\" is too large to convert into \(program.settlementCurrency)")
      }
      state.commissionScratch[tier] = commission
    }
    try state.qualify(
      line: row.line, orderID: orderIDBytes, affiliateID: affiliateBytes, market: buyer.country,
      rateDayText: day.publicationDayText, sales: sales, currencyNumber: currencyNumber, amount: amount)
  }

  /// The first rule an in-period order fails, or nil when it qualifies.
  private func notQualifiedReason(
    status: OrderStatus, buyer: OrderCodes.Buyer, category: UnsafeBufferPointer<UInt8>, orderedAt: Timestamp,
    clickedAt: Timestamp
  ) -> NotQualifiedReason? {
    if status != .completed { return .statusNotCompleted }
    if buyer.isExcluded { return .excludedCountry }
    if codes.isExcludedCategory(category) { return .excludedCategory }
    if orderedAt < clickedAt { return .orderBeforeClick }
    // Both instants are valid, but centuries apart their difference can pass 64 bits: that is expired too.
    let (elapsed, overflow) = orderedAt.nanosecondsSinceEpoch.subtractingReportingOverflow(
      clickedAt.nanosecondsSinceEpoch)
    if overflow || elapsed > attributionWindowNanoseconds { return .attributionExpired }
    return nil
  }

  /// Each affiliate's tier, by affiliate number: the highest whose threshold its qualifying sales
  /// in the period pass. Empty when the program has no tiers.
  func resolveTiers(_ groups: AffiliateMarketTotals) -> [Int] {
    guard !program.tiers.isEmpty else { return [] }
    var salesOfAffiliate = [Int128](repeating: 0, count: groups.affiliates.count)
    for group in 0..<groups.count {
      salesOfAffiliate[groups.affiliate(ofGroup: group)] += Int128(groups.sales(ofGroup: group))
    }
    return salesOfAffiliate.map { sales in
      var tier = 0
      for (index, threshold) in program.tiers.enumerated() where sales > Int128(threshold.salesAbove.minorUnits) {
        tier = index + 1
      }
      return tier
    }
  }

  /// Rewrites the audit written with every tier's commission (`c0|c1|…`) into the final one.
  private func rewriteAuditChoosingTiers(from spillPath: String, to path: String, tierOfAffiliate: [String: Int]) throws
    -> AtomicFileWriter
  {
    let writer = try PeriodSettlement.auditFile(path)
    let reader = try CSVReader(path: spillPath, lineBytesMax: PeriodSettlement.auditLineBytesMax)
    var output: [UInt8] = []
    try reader.forEachRecord { record in
      guard case .record(let row) = record else {
        preconditionFailure("Settle's own audit spill is well-formed CSV")
      }
      var fields = (0..<row.count).map { row.string($0) }
      if row.line > 1, fields[3] == OrderOutcome.qualified.rawValue {
        let candidates = fields[7].split(separator: "|")
        fields[7] = String(candidates[tierOfAffiliate[fields[2]] ?? 0])
      }
      CSVEscaping.appendRecord(fields, to: &output)
      if output.count >= 1 << 20 {
        try writer.write(output)
        output.removeAll(keepingCapacity: true)
      }
    }
    try writer.write(output)
    return writer
  }
}

extension OrderStatus {
  /// The status named by these bytes, without making a string.
  @inline(__always)
  init?(bytes: UnsafeBufferPointer<UInt8>) {
    if bytes.equals("completed") {
      self = .completed
    } else if bytes.equals("refunded") {
      self = .refunded
    } else if bytes.equals("cancelled") {
      self = .cancelled
    } else if bytes.equals("pending") {
      self = .pending
    } else {
      return nil
    }
  }
}

extension Program.BuyerType {
  /// The buyer type named by these bytes, without making a string.
  @inline(__always)
  init?(bytes: UnsafeBufferPointer<UInt8>) {
    if bytes.equals("new") {
      self = .new
    } else if bytes.equals("returning") {
      self = .returning
    } else {
      return nil
    }
  }
}

extension UnsafeBufferPointer where Element == UInt8 {
  /// No bytes: the order id or affiliate of a row too malformed to have one.
  static var empty: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: nil, count: 0) }

  /// Whether the bytes are exactly this ASCII literal, compared a word at a time.
  @inline(__always)
  func equals(_ literal: StaticString) -> Bool {
    guard count == literal.utf8CodeUnitCount else { return false }
    guard let base = baseAddress else { return true }
    return ByteScan.equalBytes(UnsafeRawPointer(base), UnsafeRawPointer(literal.utf8Start), count: count)
  }
}

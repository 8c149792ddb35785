import CSV
import Commissions
import Dates
import Money
import Rates

#if canImport(Glibc)
  import Glibc
#endif

/// Every workload, in the order the tables print them.
public enum Catalog {
  public static let million = 1_000_000

  public static let all: [Workload] = [
    decimalParse, timestampParse, conversionExact, conversionFoundationDecimal, ecbHistory, ratesWindow, ordersCSV,
    settlementGuard, settlementHeadline, payouts, ledgerGuard, ledgerHeadline,
  ]

  public static func named(_ name: String) -> Workload? { all.first { $0.name == name } }

  // MARK: Money

  static let decimalParse = Workload(
    name: "Decimal/parse", unit: "parses", unitsPerIteration: million, isGuarded: true,
    tolerances: .singleThreaded,
    setUp: { _ in
      let texts = DecimalTexts(count: million)
      return Iteration { Int(truncatingIfNeeded: parseAll(texts)) }
    },
    check: { _ in
      let texts = DecimalTexts(count: million)
      let parsedSum = parseAll(texts)
      precondition(parsedSum == texts.significandSum, "parsed \(parsedSum), expected \(texts.significandSum)")
    })

  static let timestampParse = Workload(
    name: "Timestamp/parse", unit: "parses", unitsPerIteration: million, isGuarded: true,
    tolerances: .singleThreaded,
    setUp: { _ in
      let texts = TimestampTexts(count: million)
      return Iteration { Int(truncatingIfNeeded: texts.parseAll()) }
    },
    check: { _ in
      let texts = TimestampTexts(count: million)
      let parsedSum = texts.parseAll()
      precondition(parsedSum == texts.secondsSum, "parsed \(parsedSum) seconds in all, expected \(texts.secondsSum)")
    })

  static let conversionExact = Workload(
    name: "Conversion/exact", unit: "conversions", unitsPerIteration: million, isGuarded: true,
    tolerances: .singleThreaded,
    setUp: { _ in
      let workload = try ConversionWorkload(count: million)
      return Iteration { Int(truncatingIfNeeded: convertAll(workload)) }
    },
    check: { _ in
      let workload = try ConversionWorkload(count: 1_000)
      DecimalConversion(workload).checkAgreement(with: workload)
    })

  /// The yardstick: the same conversion with Foundation.Decimal, never guarded.
  static let conversionFoundationDecimal = Workload(
    name: "Conversion/Foundation.Decimal", unit: "conversions", unitsPerIteration: 1_000, isGuarded: false,
    tolerances: .singleThreaded,
    setUp: { _ in
      let workload = try ConversionWorkload(count: 1_000)
      let decimal = DecimalConversion(workload)
      return Iteration {
        var nonZero = 0
        for amount in workload.amounts where !decimal.convert(minorUnits: amount).isZero { nonZero += 1 }
        return nonZero
      }
    },
    check: { _ in
      let workload = try ConversionWorkload(count: 1_000)
      DecimalConversion(workload).checkAgreement(with: workload)
    })

  // MARK: Rates

  static let ecbHistory = Workload(
    name: "ECB/full-history parse+index", unit: "documents", unitsPerIteration: 1, isGuarded: true,
    tolerances: .singleThreaded,
    setUp: { _ in
      let document = try readWholeFile(historyPath, bytesMax: ECBFeed.xmlBytesMax)
      return Iteration {
        try RateTable(publications: ECBFeed.parse(document, source: historyPath), source: historyPath)
          .publications.count
      }
    },
    check: { _ in
      let document = try readWholeFile(historyPath, bytesMax: ECBFeed.xmlBytesMax)
      let table = try RateTable(publications: ECBFeed.parse(document, source: historyPath), source: historyPath)
      let dayCount = occurrences(of: Array("<Cube time=".utf8), in: document)
      precondition(
        table.publications.count == dayCount,
        "\(historyPath): indexed \(table.publications.count) publications, the file has \(dayCount) days")
    })

  /// What `settle commissions` reads of the rates: the window of October 2026, its lookback
  /// included, under the history check that a first whole read wrote beside the store.
  static let ratesWindow = Workload(
    name: "Rates/a month's window under its history check", unit: "windows", unitsPerIteration: 1,
    isGuarded: true, tolerances: .singleThreaded,
    setUp: { inputs in
      let (store, days) = try checkedStore(inputs)
      return Iteration { try store.loadWindow(for: days).table.publications.count }
    },
    check: { inputs in
      let (store, days) = try checkedStore(inputs)
      let window = try store.loadWindow(for: days)
      precondition(!window.readWhole, "\(store.historyPath): the window was read whole, not under its check")
      let whole = try RatesStore(directory: store.directory).load()
      let usd = try Currency(code: "USD")
      let jpy = try Currency(code: "JPY")
      for day in stride(from: days.lowerBound, through: days.upperBound, by: 1) {
        let expected = try? whole.conversion(from: usd, to: jpy, on: day).publicationDay
        let found = try? window.table.conversion(from: usd, to: jpy, on: day).publicationDay
        precondition(
          expected == found,
          "\(day): the window answers \(String(describing: found)), the history \(String(describing: expected))")
      }
    })

  /// The repository's store with its history check written: read whole once, and again once the
  /// file has been left alone long enough for a check to be written (a fresh clone's is new).
  private static func checkedStore(_ inputs: Inputs) throws -> (RatesStore, ClosedRange<Day>) {
    let store = RatesStore(directory: inputs.ratesDirectory)
    let month = try Month(SettlementWorkload.period)
    let days = month.firstDay...month.lastDay
    for _ in 0..<4 where try store.loadWindow(for: days).readWhole { sleep(1) }
    return (store, days)
  }

  // MARK: Orders and settlement

  static let ordersCSV = Workload(
    name: "CSV/read 1M orders", unit: "rows", unitsPerIteration: million, isGuarded: true,
    tolerances: .singleThreaded,
    setUp: { inputs in
      let path = try inputs.ordersFile(count: million, seed: 2026, period: Month(SettlementWorkload.period))
      return Iteration { try readOrders(path).bytes }
    },
    check: { inputs in
      let path = try inputs.ordersFile(count: million, seed: 2026, period: Month(SettlementWorkload.period))
      let (rows, malformed, _) = try readOrders(path)
      precondition(rows == million + 1 && malformed == 0, "read \(rows) records and \(malformed) malformed")
    })

  static let settlementGuard = settlement(orderCount: million, name: "Settlement/end-to-end 1M orders", guarded: true)
  static let settlementHeadline = settlement(
    orderCount: 10 * million, name: "Settlement/end-to-end 10M orders", guarded: false)

  static func settlement(orderCount: Int, name: String, guarded: Bool) -> Workload {
    Workload(
      name: name, unit: "orders", unitsPerIteration: orderCount, isGuarded: guarded, countsInstructions: guarded,
      tolerances: .threadedWithFiles,
      setUp: { inputs in
        let workload = try SettlementWorkload(inputs: inputs, orderCount: orderCount, seed: 2026)
        return Iteration(run: { try workload.settle().counts.inputRows }, tearDown: { workload.remove() })
      },
      check: { inputs in
        let workload = try SettlementWorkload(inputs: inputs, orderCount: orderCount, seed: 2026)
        defer { workload.remove() }
        try workload.check()
      })
  }

  // MARK: Payouts and ledger

  /// 200,000 orders reach every one of the 3,000 sample affiliates.
  static let payoutOrderCount = 200_000

  static let payouts = Workload(
    name: "Payouts/files for 3,000 affiliates", unit: "affiliates", unitsPerIteration: 3_000, isGuarded: true,
    // One thread, but libxml2's schema validation of the wire file allocates a few more or fewer
    // blocks from run to run (243,160 and 243,175 seen on one build).
    tolerances: Tolerances(instructionsPercent: 1, allocationsAbsolute: 100, throughputRatioPercent: 35),
    setUp: { inputs in
      let workload = try PayoutWorkload(inputs: inputs, orderCount: payoutOrderCount, seed: 2028)
      return Iteration(
        run: { try workload.files().files.reduce(0) { $0 + $1.bytes.count } },
        tearDown: { workload.settlement.remove() })
    },
    check: { inputs in
      let workload = try PayoutWorkload(inputs: inputs, orderCount: payoutOrderCount, seed: 2028)
      defer { workload.settlement.remove() }
      let batch = try workload.files().batch
      precondition(batch.payouts.count == 3_000, "\(batch.payouts.count) payouts, not one per sample affiliate")
    })

  static let ledgerGuard = ledger(
    orderCount: 28_000, name: "Ledger/close a month of 20k qualifying orders", guarded: true)
  static let ledgerHeadline = ledger(
    orderCount: 1_420_000, name: "Ledger/close a month of 1M qualifying orders", guarded: false)

  /// About 70 % of generated orders qualify: 1.42 orders give one accrual.
  static func ledger(orderCount: Int, name: String, guarded: Bool) -> Workload {
    Workload(
      name: name, unit: "accruals", unitsPerIteration: orderCount * 10 / 14, isGuarded: guarded,
      countsInstructions: guarded, tolerances: .threadedWithFiles,
      setUp: { inputs in
        let workload = try PayoutWorkload(inputs: inputs, orderCount: orderCount, seed: 2027)
        var ledgers: [String] = []
        return Iteration(
          run: {
            let name = "ledger-\(ledgers.count).db"
            ledgers += [name, name + "-journal", name + ".lock"]
            _ = try workload.close(ledgerAt: workload.settlement.scratch.path + "/" + name)
            return workload.qualifiedOrders
          },
          tearDown: { workload.settlement.remove(extraFiles: ledgers) })
      },
      check: { inputs in
        let workload = try PayoutWorkload(inputs: inputs, orderCount: orderCount, seed: 2027)
        defer { workload.settlement.remove() }
        let accruals = orderCount * 10 / 14
        precondition(
          (accruals * 98 / 100...accruals * 102 / 100).contains(workload.qualifiedOrders),
          "\(workload.qualifiedOrders) orders qualify, expected about \(accruals)")
      })
  }
}

/// Parses every text; returns the sum of the significands, and the failures count as zero.
public func parseAll(_ texts: DecimalTexts) -> Int64 {
  var sum: Int64 = 0
  texts.bytes.withUnsafeBufferPointer { buffer in
    texts.offsets.withUnsafeBufferPointer { offsets in
      for index in 0..<(offsets.count - 1) {
        let text = UnsafeBufferPointer(rebasing: buffer[offsets[index]..<offsets[index + 1]])
        if case .success(let value) = FixedDecimal.parse(text) { sum &+= value.significand }
      }
    }
  }
  return sum
}

/// Converts every amount at the workload's rates, half-even; returns their sum.
public func convertAll(_ workload: ConversionWorkload) -> Int64 {
  let conversion = workload.conversion
  var sum: Int64 = 0
  for amount in workload.amounts {
    sum &+= conversion.convertedMinorUnits(amount, rounding: .halfEven) ?? 0
  }
  return sum
}

/// Reads every record of an orders file: how many, how many malformed, and the bytes of their amounts.
func readOrders(_ path: String) throws -> (rows: Int, malformed: Int, bytes: Int) {
  var rows = 0
  var malformed = 0
  var bytes = 0
  try CSVReader(path: path).forEachRecord { record in
    switch record {
    case .record(let row):
      rows += 1
      if row.count > 8 { bytes += row.field(8).count }
    case .malformed:
      malformed += 1
    }
  }
  return (rows, malformed, bytes)
}

/// How many times `pattern` occurs in `bytes`: a check on the parser that shares no code with it.
func occurrences(of pattern: [UInt8], in bytes: [UInt8]) -> Int {
  guard bytes.count >= pattern.count else { return 0 }
  var count = 0
  for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
    if bytes[start..<(start + pattern.count)].elementsEqual(pattern) { count += 1 }
  }
  return count
}

import Foundation
import TestScratch
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `settle payouts --ledger`, `settle commissions --ledger` and `settle ledger …`, run as a user
/// would: real processes on a real SQLite file, killed at random points, run two at a time.
@Suite struct LedgerCommandTests {
  /// The rates store's publications from September 2026 on, cut from `rates/eurofxref-hist.xml`:
  /// the periods here need no older rate, and reading 27 years of rates takes most of a debug
  /// run's time.
  static let ratesDirectory: String = {
    let directory = (try? TestScratch.newPath("ledger-cli-rates")) ?? "/nonexistent/ledger-cli-rates"
    let full =
      (try? String(contentsOfFile: SettleProcess.repositoryRoot + "/rates/eurofxref-hist.xml", encoding: .utf8)) ?? ""
    let cut = full.range(of: "\t\t<Cube time='2026-08-31'>")?.lowerBound ?? full.endIndex
    let trimmed = String(full[..<cut]) + "\t</Cube>\n</gesmes:Envelope>\n"
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try? Data(trimmed.utf8).write(to: URL(fileURLWithPath: directory + "/eurofxref-hist.xml"))
    return directory
  }()

  static let environment = ["SWIFT_BACKTRACE": "enable=no", "SETTLE_LEDGER": ""]

  static func settle(_ arguments: [String]) throws -> SettleProcess.Result {
    try SettleProcess.run(arguments, environment: LedgerCommandTests.environment)
  }

  static func payoutsArguments(orders: String, affiliates: String, out: String, ledger: String) -> [String] {
    [
      "payouts", "--orders", orders, "--affiliates", affiliates, "--payer", "samples/payer.yaml", "--period",
      "2026-10", "--created-at", "2026-11-02T09:00:00Z", "--out", out, "--ledger", ledger, "--rates-dir",
      LedgerCommandTests.ratesDirectory,
    ]
  }

  static func write(_ text: String, to path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  }

  static func sha256(_ path: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(String(decoding: data, as: UTF8.self).prefix(64))
  }

  // MARK: A small batch, every ledger command

  /// October: ALBA 1,000.00 → 100.00 and BECK 500.00 → 50.00 paid by Payoneer in USD; CARO's
  /// 250.00 → 25.00 held (its IBAN fails mod-97). Owed 175.00, ready 150.00, held 25.00.
  struct SmallBatch {
    let directory: String
    let ledger: String
    let out: String
    let orders: String
    let affiliates: String
    let batchID: String
  }

  static func smallBatch() throws -> SmallBatch {
    let directory = try CommissionsCommandTests.temporaryDirectory()
    let orders = directory + "/orders.csv"
    try write(
      """
      order_id,affiliate_id,clicked_at,ordered_at,status,buyer_country,buyer_type,category,amount,currency
      O1,ALBA,2026-10-06T10:00:00Z,2026-10-07T12:00:00Z,completed,US,new,electronics,1000.00,USD
      O2,BECK,2026-10-06T10:00:00Z,2026-10-07T12:00:00Z,completed,US,new,electronics,500.00,USD
      O3,CARO,2026-10-06T10:00:00Z,2026-10-07T12:00:00Z,completed,US,new,electronics,250.00,USD

      """, to: orders)
    let affiliates = directory + "/affiliates.csv"
    try write(
      """
      affiliate_id,name,email,country,payout_method,payout_currency,payoneer_payee_id,iban,bic,account_number,routing_code,address_line,city,postal_code
      ALBA,Payee ALBA,,US,payoneer,USD,PY-ALBA,,,,,,,
      BECK,Payee BECK,,US,payoneer,USD,PY-BECK,,,,,,,
      CARO,Wire CARO,,DE,wire,USD,,DE89370400440532013001,DEUTDEFF,,,Taunusanlage 12,Frankfurt am Main,60325

      """, to: affiliates)
    let ledger = directory + "/settle.db"
    let out = directory + "/out"
    let result = try settle(payoutsArguments(orders: orders, affiliates: affiliates, out: out, ledger: ledger))
    #expect(result.status == 0, "\(result.standardError)")
    let batchLine = result.standardOutput.split(separator: "\n").first { $0.hasPrefix("batch ST202610-") } ?? ""
    let batchID = String(batchLine.dropFirst("batch ".count).prefix("ST202610-XXXXXXXX".count))
    #expect(
      result.standardOutput
        == """
        settled 2026-10 under Alibaba.com Affiliate Program: 3 rows — 3 qualified, 0 not qualified, 0 out of period, 0 rejected
        commission 175.00 USD on sales 1750.00 USD, 3 affiliates, 3 affiliate-market lines
        wrote \(out)/commissions.csv, \(out)/orders.csv, \(out)/summary.json
        batch \(batchID): 3 payouts — 2 ready (150.00 USD), 1 held (25.00 USD)
        wrote \(out)/payoneer-001.json: 2 payments, 150.00 USD
        wrote \(out)/payouts.csv
        wrote \(out)/manifest.json
        closed 2026-10 in \(ledger): batch \(batchID) recorded

        """)
    return SmallBatch(
      directory: directory, ledger: ledger, out: out, orders: orders, affiliates: affiliates, batchID: batchID)
  }

  /// `payouts.csv`'s reference for an affiliate.
  static func reference(_ affiliateID: String, out: String) throws -> String {
    let report = try CommissionsCommandTests.text(out + "/payouts.csv")
    let row = report.split(separator: "\n").first { $0.hasPrefix(affiliateID + ",") } ?? ""
    return String(row.split(separator: ",", omittingEmptySubsequences: false).last ?? "")
  }

  @Test func balancesBatchesAndShowPrintTheLedger() throws {
    let small = try LedgerCommandTests.smallBatch()
    let balances = try LedgerCommandTests.settle(["ledger", "balances", "--ledger", small.ledger])
    #expect(balances.status == 0)
    #expect(balances.standardOutput == "affiliate_id,balance,currency\nCARO,25.00,USD\n")
    let alba = try LedgerCommandTests.settle(["ledger", "balances", "--affiliate", "ALBA", "--ledger", small.ledger])
    #expect(alba.standardOutput == "affiliate_id,balance,currency\nALBA,0.00,USD\n")

    let batches = try LedgerCommandTests.settle(["ledger", "batches", "--ledger", small.ledger])
    #expect(batches.status == 0)
    #expect(
      batches.standardOutput
        == "batch_id,period,created_at,owed,ready,held,currency,instructed,paid,failed\n"
        + "\(small.batchID),2026-10,2026-11-02T09:00:00Z,175.00,150.00,25.00,USD,2,0,0\n")

    let show = try LedgerCommandTests.settle(["ledger", "show", small.batchID, "--ledger", small.ledger])
    #expect(show.status == 0)
    let payoneer = try LedgerCommandTests.sha256(small.out + "/payoneer-001.json")
    let report = try LedgerCommandTests.sha256(small.out + "/payouts.csv")
    let manifest = try LedgerCommandTests.sha256(small.out + "/manifest.json")
    let albaReference = try LedgerCommandTests.reference("ALBA", out: small.out)
    let beckReference = try LedgerCommandTests.reference("BECK", out: small.out)
    #expect(
      show.standardOutput
        == """
        batch \(small.batchID), period 2026-10, created 2026-11-02T09:00:00Z
        file payoneer-001.json sha256 \(payoneer) payments 2 control sums USD=15000
        file payouts.csv sha256 \(report) payments 0
        file manifest.json sha256 \(manifest) payments 0
        affiliate_id,reference,method,settlement_amount,payout_amount,payout_currency,file,state
        ALBA,\(albaReference),payoneer,100.00,100.00,USD,payoneer-001.json,instructed
        BECK,\(beckReference),payoneer,50.00,50.00,USD,payoneer-001.json,instructed

        """)
  }

  /// Running a closed period again writes its stored files and says what it posted: nothing for
  /// the same orders; BECK's order refunded after payout, −50.00 into November.
  @Test func aRerunOfAClosedPeriodSaysWhatItPosted() throws {
    let small = try LedgerCommandTests.smallBatch()
    let out = small.directory + "/again"
    let arguments = LedgerCommandTests.payoutsArguments(
      orders: small.orders, affiliates: small.affiliates, out: out, ledger: small.ledger)
    let unchanged = try LedgerCommandTests.settle(arguments)
    #expect(unchanged.status == 0)
    #expect(
      unchanged.standardOutput.hasSuffix(
        "2026-10 was closed by batch \(small.batchID): wrote its 3 files again as they were\n"
          + "no order changed: nothing posted\n"))
    for name in ["payoneer-001.json", "payouts.csv", "manifest.json"] {
      #expect(
        try CommissionsCommandTests.data(out + "/" + name) == CommissionsCommandTests.data(small.out + "/" + name),
        "\(name)")
    }
    let orders = try CommissionsCommandTests.text(small.orders)
    try LedgerCommandTests.write(
      orders.replacing(
        "12:00:00Z,completed,US,new,electronics,500.00", with: "12:00:00Z,refunded,US,new,electronics,500.00"),
      to: small.orders)
    let refunded = try LedgerCommandTests.settle(arguments)
    #expect(refunded.status == 0)
    #expect(
      refunded.standardOutput.hasSuffix(
        "2026-10 was closed by batch \(small.batchID): wrote its 3 files again as they were\n"
          + "posted 1 adjustment (-50.00 USD) into 2026-11, to be paid or clawed back with its batch\n"))
    let balances = try LedgerCommandTests.settle(["ledger", "balances", "--ledger", small.ledger])
    #expect(balances.standardOutput == "affiliate_id,balance,currency\nBECK,-50.00,USD\nCARO,25.00,USD\n")
  }

  /// The twins: an affiliate without an account, a batch that does not exist, a ledger that does not.
  @Test func balancesShowAndVerifyNameWhatIsMissing() throws {
    let small = try LedgerCommandTests.smallBatch()
    let nobody = try LedgerCommandTests.settle([
      "ledger", "balances", "--affiliate", "NOBODY", "--ledger", small.ledger,
    ])
    #expect(nobody.status == 1)
    #expect(nobody.standardOutput.isEmpty)
    #expect(nobody.standardError == "settle: \(small.ledger): no account for NOBODY\n")
    let show = try LedgerCommandTests.settle(["ledger", "show", "ST202610-00000000", "--ledger", small.ledger])
    #expect(show.status == 1)
    #expect(
      show.standardError == "settle: \(small.ledger): no batch ST202610-00000000 (settle ledger batches lists them)\n")
    let missing = small.directory + "/missing.db"
    let verify = try LedgerCommandTests.settle(["ledger", "verify", "--ledger", missing])
    #expect(verify.status == 1)
    #expect(
      verify.standardError == "settle: \(missing): no ledger here (settle payouts --ledger \(missing) makes one)\n")
    #expect(!FileManager.default.fileExists(atPath: missing))
  }

  @Test func confirmMarksPaidAndReturnsTheFailedToTheirBalances() throws {
    let small = try LedgerCommandTests.smallBatch()
    let failed = small.directory + "/failed.txt"
    try LedgerCommandTests.write("# bounced by Payoneer\nBECK\n\n", to: failed)
    let confirm = try LedgerCommandTests.settle([
      "ledger", "confirm", small.batchID, "--failed", failed, "--ledger", small.ledger,
    ])
    #expect(confirm.status == 0, "\(confirm.standardError)")
    #expect(confirm.standardOutput == "batch \(small.batchID): 1 payouts paid, 1 failed (returned to their balances)\n")
    let balances = try LedgerCommandTests.settle(["ledger", "balances", "--ledger", small.ledger])
    #expect(balances.standardOutput == "affiliate_id,balance,currency\nBECK,50.00,USD\nCARO,25.00,USD\n")
    let batches = try LedgerCommandTests.settle(["ledger", "batches", "--ledger", small.ledger])
    #expect(batches.standardOutput.hasSuffix(",175.00,150.00,25.00,USD,0,1,1\n"))
    let verify = try LedgerCommandTests.settle(["ledger", "verify", "--ledger", small.ledger])
    #expect(verify.status == 0)
    #expect(verify.standardOutput == "\(small.ledger): every invariant holds\n")
  }

  /// The twin: a name that is not a payout of the batch confirms nothing.
  @Test func confirmWithAnUnknownFailedNameChangesNothing() throws {
    let small = try LedgerCommandTests.smallBatch()
    let failed = small.directory + "/failed.txt"
    try LedgerCommandTests.write("BECK\nNOBODY\n", to: failed)
    let before = try CommissionsCommandTests.data(small.ledger)
    let confirm = try LedgerCommandTests.settle([
      "ledger", "confirm", small.batchID, "--failed", failed, "--ledger", small.ledger,
    ])
    #expect(confirm.status == 1)
    #expect(confirm.standardOutput.isEmpty)
    #expect(
      confirm.standardError
        == "settle: \(small.ledger): NOBODY is not a payout of batch \(small.batchID): nothing was confirmed\n")
    #expect(try CommissionsCommandTests.data(small.ledger) == before)
    let batches = try LedgerCommandTests.settle(["ledger", "batches", "--ledger", small.ledger])
    #expect(batches.standardOutput.hasSuffix(",175.00,150.00,25.00,USD,2,0,0\n"))
  }

  /// A stored file edited inside the SQLite file itself (SQLite keeps no page checksums, so only
  /// the recorded SHA-256 can tell).
  @Test func verifyListsTheViolationsOfATamperedLedger() throws {
    let small = try LedgerCommandTests.smallBatch()
    var bytes = [UInt8](try CommissionsCommandTests.data(small.ledger))
    let stored = Array("ALBA,payoneer,100.00,USD,100.00,USD".utf8)
    let positions = (0...(bytes.count - stored.count)).filter { bytes[$0..<$0 + stored.count].elementsEqual(stored) }
    try #require(positions.count == 1, "payouts.csv's ALBA row is stored once in the file")
    bytes[positions[0] + "ALBA,payoneer,".count] = UInt8(ascii: "9")  // 100.00 → 900.00
    try Data(bytes).write(to: URL(fileURLWithPath: small.ledger))
    let verify = try LedgerCommandTests.settle(["ledger", "verify", "--ledger", small.ledger])
    #expect(verify.status == 1)
    #expect(verify.standardOutput.isEmpty)
    #expect(
      verify.standardError
        == "batch \(small.batchID) payouts.csv: its bytes no longer have the recorded SHA-256\n"
        + "settle: \(small.ledger): 1 violations\n")
  }

  // MARK: Settle commissions records provisional figures

  @Test func commissionsRecordProvisionalFiguresUntilThePeriodIsClosed() throws {
    let small = try LedgerCommandTests.smallBatch()
    let ledger = small.directory + "/provisional.db"
    let out = small.directory + "/commissions"
    let arguments = [
      "commissions", "--orders", small.orders, "--period", "2026-10", "--out", out, "--ledger", ledger,
      "--rates-dir", LedgerCommandTests.ratesDirectory,
    ]
    let provisional = try LedgerCommandTests.settle(arguments)
    #expect(provisional.status == 0, "\(provisional.standardError)")
    #expect(provisional.standardOutput.hasSuffix("recorded as the provisional commissions of 2026-10 in \(ledger)\n"))
    let again = try LedgerCommandTests.settle(arguments)
    #expect(again.status == 0)
    #expect(again.standardOutput.hasSuffix("recorded as the provisional commissions of 2026-10 in \(ledger)\n"))
    // Provisional figures are not postings: no balance yet.
    let balances = try LedgerCommandTests.settle(["ledger", "balances", "--ledger", ledger])
    #expect(balances.standardOutput == "affiliate_id,balance,currency\n")

    let closed = try LedgerCommandTests.settle(
      LedgerCommandTests.payoutsArguments(
        orders: small.orders, affiliates: small.affiliates, out: small.directory + "/out2", ledger: ledger))
    #expect(closed.status == 0)
    let refused = try LedgerCommandTests.settle(arguments)
    #expect(refused.status == 1)
    #expect(
      refused.standardError
        == "settle: \(ledger): 2026-10 is closed (batch \(small.batchID)): its commissions are frozen; run settle "
        + "payouts for it to post any differences as adjustments\n")
  }

  // MARK: Two runs at once

  @Test func twoPayoutRunsAtOnceOneWinsTheOtherChangesNothing() throws {
    let directory = try CommissionsCommandTests.temporaryDirectory()
    let orders = try LedgerCommandTests.generatedOrders(count: 5_000, in: directory)
    let ledger = directory + "/settle.db"
    // The ledger exists before the race (a provisional run of another month): the race is for the run lock.
    let made = try LedgerCommandTests.settle([
      "commissions", "--orders", CommissionsCommandTests.goldenOrders, "--period", "2026-09", "--out",
      directory + "/september", "--ledger", ledger, "--rates-dir", LedgerCommandTests.ratesDirectory,
    ])
    #expect(made.status == 0, "\(made.standardError)")
    let runs = try (0..<2).map { index in
      try RunningSettle.start(
        LedgerCommandTests.payoutsArguments(
          orders: orders, affiliates: "samples/affiliates.csv", out: directory + "/out-\(index)", ledger: ledger))
    }
    let results = runs.map { $0.wait() }
    #expect(results.map(\.status).sorted() == [0, 1], "\(results.map(\.standardError))")
    let loser = try #require(results.firstIndex { $0.status == 1 })
    #expect(
      results[loser].standardError
        == "settle: \(ledger).lock: 2026-10 is being settled by another run; nothing was changed\n")
    #expect(results[loser].standardOutput.isEmpty)
    #expect(CommissionsCommandTests.contents(directory + "/out-\(loser)").isEmpty)
    #expect(results[1 - loser].standardOutput.contains("closed 2026-10 in \(ledger): batch ST202610-"))
    let batches = try LedgerCommandTests.settle(["ledger", "batches", "--ledger", ledger])
    #expect(batches.standardOutput.split(separator: "\n").count == 2)  // the header and one batch
    let verify = try LedgerCommandTests.settle(["ledger", "verify", "--ledger", ledger])
    #expect(verify.status == 0, "\(verify.standardError)")
  }

  // MARK: Crashes

  static func generatedOrders(count: Int, in directory: String) throws -> String {
    let generated = try settle(["generate", "orders", "--count", String(count), "--seed", "11", "--period", "2026-10"])
    #expect(generated.status == 0)
    let path = directory + "/orders.csv"
    try write(generated.standardOutput, to: path)
    return path
  }

  /// What a ledger holds, as the commands print it; nil when the file does not exist.
  static func state(of ledger: String) throws -> (verify: SettleProcess.Result, batches: String)? {
    guard FileManager.default.fileExists(atPath: ledger) else { return nil }
    let verify = try settle(["ledger", "verify", "--ledger", ledger])
    let batches = try settle(["ledger", "batches", "--ledger", ledger])
    return (verify, batches.standardOutput)
  }

  /// A payout run on a generated month of 5,000 orders for `samples/affiliates.csv` is killed
  /// (SIGKILL) at eight random delays spread over an uninterrupted run's time, then, once the
  /// period is closed, at four spread over a rerun's; each run starts on what the last one left. After every kill the ledger holds (`settle ledger verify`) and
  /// either has no batch at all or exactly the uninterrupted run's batch; the last run, not
  /// killed, leaves the same batch, payouts and files, byte for byte, as the uninterrupted run
  /// in another ledger.
  ///
  /// Five thousand orders, not fifty thousand: `settle ledger verify` sums every account's
  /// transfers with a scan per account (3,000 payable accounts here), which takes 9–17 s on a
  /// 50,000-order month in a debug build.
  @Test func aPayoutRunKilledAtAnyPointLeavesTheLedgerBeforeOrAfterIt() throws {
    let directory = try CommissionsCommandTests.temporaryDirectory()
    let orders = try LedgerCommandTests.generatedOrders(count: 5_000, in: directory)
    let reference = directory + "/reference.db"
    let referenceOut = directory + "/reference-out"
    let started = Date()
    let uninterrupted = try LedgerCommandTests.settle(
      LedgerCommandTests.payoutsArguments(
        orders: orders, affiliates: "samples/affiliates.csv", out: referenceOut, ledger: reference))
    let runSeconds = Date().timeIntervalSince(started)
    #expect(uninterrupted.status == 0, "\(uninterrupted.standardError)")
    let referenceBatches = try LedgerCommandTests.settle(["ledger", "batches", "--ledger", reference]).standardOutput
    let header = "batch_id,period,created_at,owed,ready,held,currency,instructed,paid,failed\n"
    #expect(referenceBatches.hasPrefix(header + "ST202610-"))
    let batchID = String(referenceBatches.dropFirst(header.count).prefix("ST202610-XXXXXXXX".count))

    let ledger = directory + "/settle.db"
    let out = directory + "/out"
    let arguments = LedgerCommandTests.payoutsArguments(
      orders: orders, affiliates: "samples/affiliates.csv", out: out, ledger: ledger)
    var outcomes: [String] = []
    func killAndCheck(after delay: Double) throws {
      let start = Date()
      let run = try RunningSettle.start(arguments, quiet: true)
      let killed = run.kill(after: delay)
      // SQLite keeps a journal only while a write transaction is open: one this run made means the
      // kill came inside a transaction, to be rolled back (or found never written) on the next open.
      let journal = try? FileManager.default.attributesOfItem(atPath: ledger + "-journal")
      let inTransaction = killed && ((journal?[.modificationDate] as? Date).map { $0 >= start } ?? false)
      guard let (verify, batches) = try LedgerCommandTests.state(of: ledger) else {
        outcomes.append(String(format: "%.2f s: no ledger yet", delay))
        return
      }
      #expect(verify.status == 0, "after a kill at \(delay) s: \(verify.standardError)")
      #expect(batches == header || batches == referenceBatches, "after a kill at \(delay) s: \(batches)")
      outcomes.append(
        String(format: "%.2f s: ", delay) + (killed ? "killed" : "finished")
          + (inTransaction ? " in a transaction" : "") + (batches == header ? ", no batch" : ", closed"))
    }
    // Closing: one delay in each eighth of the run time, in order, so that each run starts on a
    // ledger without the period until one gets past its commit.
    for slot in 0..<8 { try killAndCheck(after: runSeconds * (Double(slot) + Double.random(in: 0..<1)) / 8) }
    // Running again on the closed period (compare, post nothing, write the stored files again) is
    // quicker: its own time, then four kills spread over it.
    let rerunStarted = Date()
    let rerun = try LedgerCommandTests.settle(arguments)
    let rerunSeconds = Date().timeIntervalSince(rerunStarted)
    #expect(rerun.status == 0, "\(rerun.standardError) after \(outcomes)")
    for slot in 0..<4 { try killAndCheck(after: rerunSeconds * (Double(slot) + Double.random(in: 0..<1)) / 4) }

    let last = try LedgerCommandTests.settle(arguments)
    #expect(last.status == 0, "\(last.standardError) after \(outcomes)")
    let names = CommissionsCommandTests.contents(referenceOut).filter { $0 != "summary.json" }
    #expect(names.contains("payouts.csv") && names.contains("manifest.json") && names.contains("wire.xml"))
    let batchFiles = names.count - 2  // all but commissions.csv and orders.csv
    #expect(
      last.standardOutput.hasSuffix("closed 2026-10 in \(ledger): batch \(batchID) recorded\n")
        || last.standardOutput.hasSuffix(
          "2026-10 was closed by batch \(batchID): wrote its \(batchFiles) files again as they were\n"
            + "no order changed: nothing posted\n"),
      "\(last.standardOutput)")
    let batches = try LedgerCommandTests.settle(["ledger", "batches", "--ledger", ledger])
    #expect(batches.standardOutput == referenceBatches)
    let show = try LedgerCommandTests.settle(["ledger", "show", batchID, "--ledger", ledger])
    let referenceShow = try LedgerCommandTests.settle(["ledger", "show", batchID, "--ledger", reference])
    #expect(show.status == 0)
    #expect(show.standardOutput == referenceShow.standardOutput)
    let balances = try LedgerCommandTests.settle(["ledger", "balances", "--ledger", ledger])
    let referenceBalances = try LedgerCommandTests.settle(["ledger", "balances", "--ledger", reference])
    #expect(balances.standardOutput == referenceBalances.standardOutput)
    let verify = try LedgerCommandTests.settle(["ledger", "verify", "--ledger", ledger])
    #expect(verify.status == 0)
    for name in names {
      #expect(
        try CommissionsCommandTests.data(out + "/" + name) == CommissionsCommandTests.data(referenceOut + "/" + name),
        "\(name)")
    }
  }
}

/// A `settle` process running in the background, its output collected by two reader threads.
final class RunningSettle: @unchecked Sendable {
  let process = Process()
  private let output = Pipe()
  private let error = Pipe()
  private var outputData = Data()
  private var errorData = Data()
  private let readers = DispatchGroup()

  static func start(_ arguments: [String], quiet: Bool = false) throws -> RunningSettle {
    let running = RunningSettle()
    let process = running.process
    process.executableURL = URL(fileURLWithPath: SettleProcess.executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: SettleProcess.repositoryRoot)
    process.environment = ProcessInfo.processInfo.environment.merging(LedgerCommandTests.environment) { $1 }
    process.standardInput = FileHandle.nullDevice
    if quiet {
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
    } else {
      process.standardOutput = running.output
      process.standardError = running.error
    }
    try process.run()
    if !quiet {
      running.readers.enter()
      Thread.detachNewThread {
        running.outputData = running.output.fileHandleForReading.readDataToEndOfFile()
        running.readers.leave()
      }
      running.readers.enter()
      Thread.detachNewThread {
        running.errorData = running.error.fileHandleForReading.readDataToEndOfFile()
        running.readers.leave()
      }
    }
    return running
  }

  /// Waits for the process to end.
  func wait() -> SettleProcess.Result {
    process.waitUntilExit()
    readers.wait()
    return SettleProcess.Result(
      status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
      standardError: String(decoding: errorData, as: UTF8.self))
  }

  /// Sends SIGKILL after `seconds` unless the process has ended by then; true when it was killed.
  func kill(after seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { usleep(2_000) }
    if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    return process.terminationReason == .uncaughtSignal
  }
}

import Commissions
import Dates
import Files
import Foundation
import Payouts
import Testing

/// Every row of a hostile affiliates file is accounted for exactly once: its affiliate paid, held
/// with a reason naming its line, or the row rejected with its line in the manifest; and every
/// affiliate with commission has exactly one payout.
@Suite struct PayoutsNothingLostTests {
  /// One stretch of the affiliates file, and what must become of it.
  struct Row {
    let bytes: [UInt8]
    /// The affiliate id the row names, as text, or nil when it names none.
    let affiliateID: String?
    /// `ready` or `held` (its affiliate's payout), `rejected` (in the manifest), `unpaid` (no commission).
    let fate: String
    /// The hold reason's code, or the start of the rejection's reason.
    let reason: String

    /// A row of the given fields; `replacing` swaps a placeholder for bytes that are not text.
    init(
      _ fields: [String: String], _ fate: String, _ reason: String = "", lineEnd: String = "\n",
      replacing: (String, [UInt8])? = nil
    ) {
      let text = AffiliatesFile.columns.map { PayoutFixtures.csvField(fields[$0] ?? "") }.joined(separator: ",")
      var bytes = Array((text + lineEnd).utf8)
      if let (placeholder, replacement) = replacing, let range = text.range(of: placeholder) {
        let start = text.utf8.distance(from: text.startIndex, to: range.lowerBound)
        bytes.replaceSubrange(start..<(start + placeholder.utf8.count), with: replacement)
      }
      self.bytes = bytes
      affiliateID = fields["affiliate_id"]
      self.fate = fate
      self.reason = reason
    }

    init(text: String, _ affiliateID: String?, _ fate: String, _ reason: String) {
      bytes = Array((text + "\n").utf8)
      self.affiliateID = affiliateID
      self.fate = fate
      self.reason = reason
    }
  }

  static let rows: [Row] = {
    func payoneer(_ id: String) -> [String: String] { PayoutFixtures.payoneer(id) }
    func wise(_ id: String) -> [String: String] { PayoutFixtures.wiseEmail(id) }
    func wire(_ id: String) -> [String: String] { PayoutFixtures.wire(id) }
    func with(_ fields: [String: String], _ changes: [String: String]) -> [String: String] {
      fields.merging(changes) { $1 }
    }
    let empties = String(repeating: ",", count: AffiliatesFile.columns.count - 2)
    return [
      Row(payoneer("P1"), "ready"),
      Row(wise("W1"), "ready"),
      Row(wire("R1"), "ready"),
      Row(payoneer("P2"), "ready", lineEnd: "\r\n"),
      Row(text: "", nil, "rejected", "affiliate_id is empty"),
      Row(text: "Q1,\"Name\"x" + empties, nil, "rejected", "not well-formed CSV: characters after a closing quote"),
      Row(text: "Q\"2,Name" + empties, nil, "rejected", "not well-formed CSV: a quote inside an unquoted field"),
      Row(text: "B1,Name" + empties + ",extra", "B1", "held", "malformed_row"),
      Row(text: "B2,Short,,US,payoneer", "B2", "held", "malformed_row"),
      Row(with(payoneer("B3"), ["payoneer_payee_id": ""]), "held", "missing_details"),
      Row(with(wire("B4"), ["iban": "DE89370400440532013001"]), "held", "invalid_details"),
      Row(with(wise("B5"), ["email": "not-an-address"]), "held", "invalid_details"),
      Row(with(wire("B6"), ["country": "ZZ"]), "held", "invalid_details"),
      Row(with(payoneer("B7"), ["payout_currency": "ZZZ"]), "held", "invalid_details"),
      Row(with(wire("B8"), ["bic": "DEUT"]), "held", "invalid_details"),
      Row(with(payoneer("B9"), ["payout_method": "cheque"]), "held", "invalid_details"),
      Row(with(wise("F1"), ["name": "=HYPERLINK(\"x\")"]), "held", "formula_text"),
      Row(payoneer("D1"), "held", "duplicate_affiliate"),
      Row(with(payoneer("D1"), ["name": "Someone else"]), "held", "duplicate_affiliate"),
      Row(with(wire("C1"), ["name": "Wire\u{0}C1"]), "held", "malformed_row"),
      Row(with(wise("C2"), ["name": "NAME"]), "held", "malformed_row", replacing: ("NAME", [0x57, 0xFF])),
      Row(payoneer("IDXX"), "rejected", "affiliate_id is not valid UTF-8", replacing: ("IDXX", [0x41, 0xFE])),
      Row(
        with(payoneer("L1"), ["address_line": String(repeating: "a", count: 1 << 20)]), "rejected",
        "not well-formed CSV: longer than 1048576 bytes"),
      Row(payoneer("N1"), "unpaid"),
      Row(text: "E1,\"Unclosed" + empties, nil, "rejected", "not well-formed CSV: a quoted field is not closed"),
      Row(payoneer("P3"), "ready"),
    ]
  }()

  /// The affiliates with commission: every row's affiliate but N1's (L1's row is unreadable), and U1, with no row.
  static let earners: [String] =
    Set(rows.filter { $0.fate != "rejected" || $0.affiliateID == "L1" }.compactMap(\.affiliateID)).subtracting(["N1"])
    .union(["U1"]).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }

  @Test("every affiliates-file row is paid, held or rejected once, and every earner has one payout")
  func everyRowAccounted() throws {
    let directory = try PayoutFixtures.temporaryDirectory()
    let out = directory + "/out"
    try PayoutFixtures.write(PayoutFixtures.orders(Self.earners.map { ($0, "100.00") }), to: directory + "/orders.csv")
    let affiliates = Array(("\u{FEFF}" + PayoutFixtures.affiliatesHeader + "\n").utf8) + Self.rows.flatMap(\.bytes)
    try AtomicFile.write(affiliates, to: directory + "/affiliates.csv")
    let period = try Month("2026-10")
    let summary = try PeriodSettlement(program: .alibaba, rates: try PayoutFixtures.rates(), period: period).run(
      PeriodSettlement.RunOptions(
        ordersPath: directory + "/orders.csv", outputDirectory: out, strict: false, programSource: "test",
        ratesSource: "rates/eurofxref-hist.xml", ratesSHA256: "test"))
    let file = try AffiliatesFile.load(
      path: directory + "/affiliates.csv", settlementCurrency: summary.program.settlementCurrency)
    let batch = try PayoutBatch(
      settlement: summary, affiliates: file, payer: try PayoutFixtures.payer(), rates: try PayoutFixtures.rates(),
      options: .defaults(for: period, createdAt: try Timestamp("2026-11-02T09:00:00Z"), wireFormat: .pain00100109))
    let files = try PayoutFiles(
      batch: batch,
      sources: ManifestSources(
        ordersPath: "orders.csv", programSource: "test", ratesSource: "rates", ratesSHA256: "test", affiliates: file,
        payerPath: "payer.yaml"))
    try files.write(to: out)

    // Every row is counted; the header is line 1, row i is line i + 2.
    #expect(file.rowCount == Self.rows.count)
    let rejected = Self.rows.indices.filter { Self.rows[$0].fate == "rejected" }
    #expect(file.rejectedRows.map(\.line) == rejected.map { $0 + 2 })
    for (index, rejection) in zip(rejected, file.rejectedRows) {
      #expect(rejection.reason.hasPrefix(Self.rows[index].reason), "line \(rejection.line): \(rejection.reason)")
    }
    let manifest = try PayoutFixtures.text(out + "/manifest.json")
    for rejection in file.rejectedRows { #expect(manifest.contains("\"line\": \(rejection.line)")) }
    #expect(manifest.contains("\"rows\": \(Self.rows.count)"))

    // Every earner has exactly one payout in payouts.csv: ready, or held for its row's reason.
    let report = try PayoutFixtures.text(out + "/payouts.csv").split(separator: "\n").dropFirst()
    #expect(report.map { String($0.prefix { $0 != "," }) } == Self.earners)
    #expect(batch.payouts.map(\.affiliateID) == Self.earners)
    for payout in batch.payouts {
      guard let row = Self.rows.first(where: { $0.affiliateID == payout.affiliateID && $0.fate != "rejected" }) else {
        #expect(payout.holdReason?.code == .unknownAffiliate, "\(payout.affiliateID)")
        continue
      }
      if row.fate == "ready" {
        #expect(payout.isReady, "\(payout.affiliateID): \(payout.holdReason?.description ?? "")")
      } else {
        #expect(payout.holdReason?.code.rawValue == row.reason, "\(payout.affiliateID)")
      }
    }
    // Held rows name their file and line; both duplicate lines are named.
    func detail(_ id: String) -> String { batch.payouts.first { $0.affiliateID == id }?.holdReason?.detail ?? "" }
    #expect(detail("C1") == "\(directory)/affiliates.csv:21: name holds a NUL byte")
    #expect(detail("C2") == "\(directory)/affiliates.csv:22: name is not valid UTF-8")
    #expect(detail("D1") == "\(directory)/affiliates.csv: lines 19 and 20 both have affiliate_id \"D1\"")
    // Ready plus held is the period's commission: nothing lost, nothing paid twice.
    #expect(batch.readyTotal + batch.heldTotal == summary.totalCommission)
    #expect(summary.totalCommission == Int128(Self.earners.count) * 1000)
    #expect(manifest.contains("\"reconciled\": true"))
    #expect(batch.payouts.filter(\.isReady).map(\.affiliateID) == ["P1", "P2", "P3", "R1", "W1"])
  }
}

import Dates
import Digest
import Files
import Money
@testable import Rates
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The history check beside the store: written after a whole read of a settled file, trusted only
/// while the file keeps its identity, and ignored when it is not exactly a check.
@Suite struct HistoryCheckTests {
  static func october() throws -> ClosedRange<Day> {
    try Fixtures.day("2026-10-01")...(try Fixtures.day("2026-10-31"))
  }

  /// A store of four publications, newest first as the ECB writes them, in a fresh directory.
  static func store(_ days: [(String, [(String, String)])]? = nil) throws -> RatesStore {
    let store = RatesStore(directory: try Fixtures.temporaryDirectory())
    let feed = Fixtures.feed(
      days ?? [
        ("2026-10-30", [("USD", "1.1600"), ("JPY", "177.20")]),
        ("2026-10-29", [("USD", "1.1590"), ("JPY", "176.90")]),
        ("2026-09-01", [("USD", "1.1700"), ("JPY", "170.10")]),
        ("2019-03-01", [("USD", "1.1300"), ("CYP", "0.5853")]),
      ])
    try AtomicFile.write(feed, to: store.historyPath)
    return store
  }

  @Test func aWholeReadOfASettledFileWritesTheCheckAndTheNextReadTrustsIt() throws {
    let store = try Self.store()
    let first = try store.loadWindow(for: try Self.october(), settledSecondsMin: 0)
    #expect(first.readWhole)
    let check = try #require(store.historyCheck())
    #expect(check.identity == FileIdentity(path: store.historyPath))
    #expect(check.sha256 == SHA256.hexDigest(of: try Fixtures.bytes(store.historyPath)))
    #expect(check.isNewestFirst)
    #expect(check.listing.map(\.code) == ["CYP", "JPY", "USD"])
    let second = try store.loadWindow(for: try Self.october(), settledSecondsMin: 0)
    #expect(!second.readWhole)
    #expect(second.sha256 == first.sha256)
    #expect(second.table.currencies == first.table.currencies)
    #expect(second.table.publications == first.table.publications)
  }

  @Test func aFileJustWrittenGetsNoCheck() throws {
    let store = try Self.store()
    // Written a moment ago: a second write in the same tick of the clock would keep its identity.
    #expect(try store.loadWindow(for: try Self.october()).readWhole)
    #expect(!FileReader.exists(store.directory + "/" + RatesStore.historyCheckFileName))
  }

  @Test func aFileChangedInPlaceIsReadWholeAgain() throws {
    let store = try Self.store()
    let first = try store.loadWindow(for: try Self.october(), settledSecondsMin: 0)
    // One digit of a rate changed in place: same inode, same size.
    var bytes = try Fixtures.bytes(store.historyPath)
    let offset = try #require(bytes.firstRange(of: Array("1.1600".utf8))).lowerBound
    bytes[offset + 5] = UInt8(ascii: "9")
    let descriptor = open(store.historyPath, O_WRONLY)
    #expect(descriptor >= 0)
    #expect(pwrite(descriptor, [UInt8(ascii: "9")], 1, off_t(offset + 5)) == 1)
    close(descriptor)
    let second = try store.loadWindow(for: try Self.october(), settledSecondsMin: 0)
    #expect(second.readWhole)
    #expect(second.sha256 == SHA256.hexDigest(of: bytes))
    #expect(second.sha256 != first.sha256)
    let usd = try Fixtures.currency("USD")
    #expect(try second.table.rate(for: usd, on: try Fixtures.day("2026-10-30")).rate == (try FixedDecimal("1.1609")))
    #expect(try #require(store.historyCheck()).sha256 == second.sha256)
  }

  @Test func aReplacedFileIsReadWholeAgain() throws {
    let store = try Self.store()
    _ = try store.loadWindow(for: try Self.october(), settledSecondsMin: 0)
    let replacement = Fixtures.feed([("2026-10-30", [("USD", "1.2000")])])
    try AtomicFile.write(replacement, to: store.historyPath)
    let loaded = try store.loadWindow(for: try Self.october(), settledSecondsMin: 0)
    #expect(loaded.readWhole)
    #expect(loaded.sha256 == SHA256.hexDigest(of: replacement))
    #expect(loaded.table.currencies.map(\.code) == ["USD"])
  }

  @Test(arguments: [
    "", "nonsense\n", "device\tinode\n",
  ])
  func aCheckThatIsNotOneIsIgnoredAndWrittenAgain(text: String) throws {
    let store = try Self.store()
    try AtomicFile.write(Array(text.utf8), to: store.historyCheckPath)
    let loaded = try store.loadWindow(for: try Self.october(), settledSecondsMin: 0)
    #expect(loaded.readWhole)
    #expect(store.historyCheck()?.sha256 == loaded.sha256)
  }

  @Test func theCheckTextReadsBackAndRefusesAnyChangedField() throws {
    let identity = FileIdentity(
      device: 65_024, inode: 5_308_988, bytes: 9_142_654, modifiedNanoseconds: 1_796_596_143_171_066_946,
      changedNanoseconds: 1_796_596_143_171_066_947)
    let check = HistoryCheck(
      identity: identity, sha256: String(repeating: "c9", count: 32), isNewestFirst: true,
      listing: [try Fixtures.currency("CYP"), try Fixtures.currency("USD")])
    #expect(HistoryCheck(text: check.text) == check)
    let lines = check.text.split(separator: "\n").map(String.init)
    let values = lines[2].split(separator: "\t").map(String.init)
    func with(_ index: Int, _ value: String) -> String {
      var changed = values
      changed[index] = value
      return [lines[0], lines[1], changed.joined(separator: "\t")].joined(separator: "\n") + "\n"
    }
    let broken = [
      with(0, "-1"), with(2, "9,142,654"), with(5, String(repeating: "C9", count: 32)), with(5, "c9"),
      with(6, "maybe"), with(7, "CYP usd"), with(7, ""), check.text + "more\n", String(check.text.dropLast()),
    ]
    for text in broken { #expect(HistoryCheck(text: text) == nil, "\(text)") }
  }

  /// Under a check, a newest-first file is read down to the window's oldest day and no further:
  /// a recent window does not reach a broken tail, an old one does.
  @Test func aNewestFirstFileIsReadDownToTheWindowOnly() throws {
    let store = try Self.store()
    let good = try Fixtures.bytes(store.historyPath)
    let text = String(decoding: good, as: UTF8.self)
    let tail = try #require(text.range(of: "<Cube time='2019-03-01'>"))
    let broken = Array((String(text[..<tail.lowerBound]) + "<Cube time='2019-03-01'><Cube currency='USD' rate='-").utf8)
    try AtomicFile.write(broken, to: store.historyPath)
    let identity = try #require(FileIdentity(path: store.historyPath))
    let check = HistoryCheck(
      identity: identity, sha256: SHA256.hexDigest(of: broken), isNewestFirst: true,
      listing: [try Fixtures.currency("JPY"), try Fixtures.currency("USD")])
    try AtomicFile.write(Array(check.text.utf8), to: store.historyCheckPath)
    let recent = try store.loadWindow(for: try Self.october(), settledSecondsMin: 0)
    #expect(!recent.readWhole)
    #expect(recent.table.publications.map(\.day.description) == ["2026-10-29", "2026-10-30"])
    #expect(throws: RatesError.self) {
      try store.loadWindow(for: try Fixtures.day("2019-03-01")...(try Fixtures.day("2019-03-31")), settledSecondsMin: 0)
    }
  }

  /// A file not newest first is parsed whole under its check (but not hashed again), and answers the same.
  @Test func aFileNotNewestFirstIsParsedWholeUnderItsCheck() throws {
    let store = try Self.store([
      ("2019-03-01", [("USD", "1.1300")]), ("2026-10-29", [("USD", "1.1590")]), ("2026-10-30", [("USD", "1.1600")]),
    ])
    let first = try store.loadWindow(for: try Self.october(), settledSecondsMin: 0)
    #expect(try #require(store.historyCheck()).isNewestFirst == false)
    let second = try store.loadWindow(for: try Self.october(), settledSecondsMin: 0)
    #expect(!second.readWhole)
    #expect(second.table.publications == first.table.publications)
    #expect(second.table.publications.count == 2)
  }
}

import Dates
import Ledger
import Testing

/// Two runs on one ledger: the run lock keeps them apart, and opening the file must be safe too.
@Suite struct ConcurrencyTests {
  @Test func aSecondRunLockIsRefusedWhileTheFirstIsHeld() throws {
    let treasury = try Treasury()
    let october = try Month("2026-10")
    let first = try treasury.ledger.lockForRun(october)
    #expect(
      throws: LedgerError(
        path: treasury.ledgerPath + ".lock", "2026-10 is being settled by another run; nothing was changed")
    ) {
      try Ledger(path: treasury.ledgerPath).lockForRun(october)
    }
    withExtendedLifetime(first) {}
  }

  /// The twin: once the first run lets go, the next one takes the lock.
  @Test func theRunLockIsTakenAgainOnceReleased() throws {
    let treasury = try Treasury()
    let october = try Month("2026-10")
    do {
      let first = try treasury.ledger.lockForRun(october)
      withExtendedLifetime(first) {}
    }
    let second = try Ledger(path: treasury.ledgerPath).lockForRun(october)
    withExtendedLifetime(second) {}
  }

  /// Two runs that open a new ledger file at the same moment both read "no migration applied" and
  /// both try to create the schema; SQLite commits one and fails the other ("table accounts
  /// already exists", or "no such table: grdb_migrations"), which `Ledger.init` retries and then
  /// finds the schema made. Thirty pairs, every one of which must open.
  @Test func twoRunsOpeningANewLedgerAtOnceBothOpenIt() async throws {
    var failures: [String] = []
    for _ in 0..<30 {
      let path = try LedgerFixtures.temporaryDirectory() + "/settle.db"
      let errors = await withTaskGroup(of: String?.self) { group in
        for _ in 0..<2 {
          group.addTask {
            do {
              let ledger = try Ledger(path: path)
              return try ledger.verify().first
            } catch {
              return "\(error)"
            }
          }
        }
        var errors: [String] = []
        for await error in group { if let error { errors.append(error) } }
        return errors
      }
      failures += errors
    }
    #expect(failures == [])
  }
}

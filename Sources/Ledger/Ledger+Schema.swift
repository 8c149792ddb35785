import GRDB

extension Ledger {
  /// The versioned migrations, applied in order, each in its own transaction; a ledger that has
  /// one this build does not know was written by a newer Settle and is refused.
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1: accounts, journals, transfers, periods, batches") { db in
      try db.execute(sql: schemaVersion1)
    }
    migrator.registerMigration("v2: period commissions kept at close, access tokens") { db in
      try db.execute(sql: schemaVersion2)
    }
    migrator.registerMigration("v3: an affiliate's rows found by index") { db in
      try db.execute(sql: schemaVersion3)
    }
    migrator.registerMigration("v4: an affiliate's earnings read from covering indexes") { db in
      try db.execute(sql: schemaVersion4)
    }
    return migrator
  }

  static let schemaVersion1 = """
    CREATE TABLE accounts (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('commission_expense', 'payable', 'paid_out')),
      currency TEXT NOT NULL CHECK (length(currency) = 3),
      affiliate_id TEXT,
      debits_posted INTEGER NOT NULL DEFAULT 0,
      credits_posted INTEGER NOT NULL DEFAULT 0,
      CHECK ((kind = 'payable') = (affiliate_id IS NOT NULL))
    );
    CREATE UNIQUE INDEX accounts_by_name ON accounts(kind, currency, ifnull(affiliate_id, ''));

    -- One per run that posts: a period's close, an adjustment run, a confirmation.
    CREATE TABLE journals (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('close', 'adjustments', 'confirm')),
      period TEXT NOT NULL,
      program_sha256 TEXT NOT NULL,
      rates_sha256 TEXT NOT NULL,
      batch_id TEXT,
      orders_path TEXT NOT NULL,
      created_at TEXT NOT NULL,
      -- Its transfers are the rows with these ids (none when last < first): written in one
      -- transaction, they are contiguous, so they are read by rowid without an index.
      first_transfer INTEGER NOT NULL,
      last_transfer INTEGER NOT NULL
    );

    -- No foreign keys and no index here: parent lookups and index entries per row would double
    -- the cost of closing a month (a transfer per order). The writer uses only ids it has just
    -- read or made; verify() checks every transfer's journal and accounts exist; transfers are
    -- found through their journal's id range.
    CREATE TABLE transfers (
      id INTEGER PRIMARY KEY,
      journal_id INTEGER NOT NULL,
      -- Spelled out rather than IN (...): SQLite 3.40 builds the IN list for every row, which
      -- costs as much as the insert itself (4.7 against 2.1 µs a row, measured).
      kind TEXT NOT NULL
        CHECK (kind = 'accrual' OR kind = 'adjustment' OR kind = 'payout' OR kind = 'payout_failed'),
      debit_account INTEGER NOT NULL,
      credit_account INTEGER NOT NULL,
      amount INTEGER NOT NULL CHECK (amount > 0),
      source_period TEXT NOT NULL,
      order_id TEXT,
      line INTEGER,
      rate_day TEXT,
      reference TEXT,
      CHECK (debit_account <> credit_account)
    );

    CREATE TRIGGER transfers_are_never_updated BEFORE UPDATE ON transfers
      BEGIN SELECT RAISE(ABORT, 'transfers are never updated: post a correction'); END;
    CREATE TRIGGER transfers_are_never_deleted BEFORE DELETE ON transfers
      BEGIN SELECT RAISE(ABORT, 'transfers are never deleted: post a correction'); END;
    CREATE TRIGGER journals_are_never_updated BEFORE UPDATE ON journals
      BEGIN SELECT RAISE(ABORT, 'journals are never updated'); END;
    CREATE TRIGGER journals_are_never_deleted BEFORE DELETE ON journals
      BEGIN SELECT RAISE(ABORT, 'journals are never deleted'); END;

    CREATE TABLE periods (
      period TEXT PRIMARY KEY,
      status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
      settlement_currency TEXT NOT NULL,
      batch_id TEXT,
      closed_at TEXT,
      CHECK ((status = 'closed') = (batch_id IS NOT NULL))
    );

    -- An open period's latest settlement run, replaced by each new one; not postings.
    CREATE TABLE provisional_runs (
      period TEXT PRIMARY KEY REFERENCES periods(period),
      recorded_at TEXT NOT NULL,
      orders_path TEXT NOT NULL,
      program_sha256 TEXT NOT NULL,
      rates_sha256 TEXT NOT NULL,
      input_rows INTEGER NOT NULL
    );
    CREATE TABLE provisional_commissions (
      period TEXT NOT NULL REFERENCES periods(period),
      affiliate_id TEXT NOT NULL,
      market TEXT NOT NULL,
      orders INTEGER NOT NULL,
      sales INTEGER NOT NULL,
      commission INTEGER NOT NULL,
      currency TEXT NOT NULL,
      PRIMARY KEY (period, affiliate_id, market)
    );

    CREATE TABLE batches (
      id TEXT PRIMARY KEY,
      period TEXT NOT NULL UNIQUE REFERENCES periods(period),
      journal_id INTEGER NOT NULL REFERENCES journals(id) DEFERRABLE INITIALLY DEFERRED,
      created_at TEXT NOT NULL,
      settlement_currency TEXT NOT NULL,
      owed INTEGER NOT NULL,
      ready INTEGER NOT NULL,
      held INTEGER NOT NULL
    );
    -- The files as written, so a closed batch can be written again byte for byte.
    CREATE TABLE batch_files (
      batch_id TEXT NOT NULL REFERENCES batches(id),
      position INTEGER NOT NULL,
      name TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      payments INTEGER NOT NULL,
      control_sums TEXT NOT NULL,
      bytes BLOB NOT NULL,
      PRIMARY KEY (batch_id, name)
    );
    CREATE TABLE payouts (
      batch_id TEXT NOT NULL REFERENCES batches(id),
      period TEXT NOT NULL,
      affiliate_id TEXT NOT NULL,
      reference TEXT NOT NULL,
      method TEXT NOT NULL,
      settlement_amount INTEGER NOT NULL CHECK (settlement_amount > 0),
      payout_amount INTEGER NOT NULL CHECK (payout_amount > 0),
      payout_currency TEXT NOT NULL,
      file TEXT NOT NULL,
      transfer_id INTEGER NOT NULL REFERENCES transfers(id),
      state TEXT NOT NULL CHECK (state IN ('instructed', 'paid', 'failed')),
      PRIMARY KEY (batch_id, affiliate_id)
    );
    CREATE UNIQUE INDEX one_payout_per_affiliate_and_period ON payouts(period, affiliate_id);
    CREATE TRIGGER payouts_change_state_once BEFORE UPDATE ON payouts
      WHEN OLD.state <> 'instructed' OR NEW.state = 'instructed'
        OR NEW.batch_id IS NOT OLD.batch_id OR NEW.period IS NOT OLD.period
        OR NEW.affiliate_id IS NOT OLD.affiliate_id OR NEW.reference IS NOT OLD.reference
        OR NEW.method IS NOT OLD.method OR NEW.settlement_amount IS NOT OLD.settlement_amount
        OR NEW.payout_amount IS NOT OLD.payout_amount OR NEW.payout_currency IS NOT OLD.payout_currency
        OR NEW.file IS NOT OLD.file OR NEW.transfer_id IS NOT OLD.transfer_id
      BEGIN SELECT RAISE(ABORT, 'a payout goes from instructed to paid or failed, once, and nothing else changes'); END;
    CREATE TRIGGER payouts_are_never_deleted BEFORE DELETE ON payouts
      BEGIN SELECT RAISE(ABORT, 'payouts are never deleted'); END;
    CREATE TRIGGER batch_files_are_never_updated BEFORE UPDATE ON batch_files
      BEGIN SELECT RAISE(ABORT, 'batch files are never updated'); END;
    CREATE TRIGGER batch_files_are_never_deleted BEFORE DELETE ON batch_files
      BEGIN SELECT RAISE(ABORT, 'batch files are never deleted'); END;
    """

  /// Version 2: a period's commissions per affiliate and market are kept when it closes (the
  /// closing run's figures, frozen), so an affiliate's earnings can be shown per market for every
  /// period; and the access tokens of the preview server, stored as SHA-256 hashes only.
  static let schemaVersion2 = """
    ALTER TABLE provisional_commissions RENAME TO period_commissions;
    CREATE TABLE tokens (
      sha256 TEXT PRIMARY KEY,
      affiliate_id TEXT,
      treasury INTEGER NOT NULL CHECK (treasury IN (0, 1)),
      issued_at TEXT NOT NULL,
      revoked_at TEXT,
      CHECK ((treasury = 1) = (affiliate_id IS NULL))
    );
    """

  /// Version 3: indexes by affiliate, so one affiliate's history (the preview server's every
  /// request) reads its own rows instead of scanning a year of commissions and payouts.
  static let schemaVersion3 = """
    CREATE INDEX period_commissions_by_affiliate ON period_commissions(affiliate_id, period);
    CREATE INDEX payouts_by_affiliate ON payouts(affiliate_id, period);
    CREATE INDEX accounts_by_affiliate ON accounts(affiliate_id);
    """

  /// Version 4: version 3's indexes by affiliate replaced by covering ones, which hold every column
  /// an affiliate's history reads, in the order it reads them: the preview server answers from the
  /// index alone, without a table lookup per row or a sort.
  static let schemaVersion4 = """
    DROP INDEX period_commissions_by_affiliate;
    CREATE INDEX period_commissions_of_affiliate
      ON period_commissions(affiliate_id, period, market, orders, sales, commission, currency);
    DROP INDEX payouts_by_affiliate;
    CREATE INDEX payouts_of_affiliate
      ON payouts(affiliate_id, period, batch_id, reference, method, settlement_amount, payout_amount, payout_currency,
        state);
    DROP INDEX accounts_by_affiliate;
    CREATE INDEX accounts_of_affiliate ON accounts(affiliate_id, kind, currency, credits_posted, debits_posted);
    """
}

import type Database from 'better-sqlite3'

/**
 * The owner PIN and the audit log (#13).
 *
 * `owner_pin` is one row: the PIN and the recovery code as scrypt hashes
 * (each with its own random salt), and the wrong-PIN counter with its
 * lockout, kept here so a restart does not hand out fresh tries.
 *
 * `audit_log` is append-only: triggers refuse UPDATE and DELETE, so a row
 * once written stays as written (only replacing the whole database file,
 * a restore, could take it away). Rows never hold a secret: the code that
 * writes them leaves API key and webhook secrets, the PIN and the recovery
 * code out (engine/owner/audit.ts).
 */
export function m0004Owner(db: Database.Database): void {
  db.exec(`
    CREATE TABLE owner_pin (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      -- scrypt(pin, salt); NULL while no PIN is set (a shop from before the PIN existed).
      pin_hash TEXT,
      pin_salt TEXT,
      recovery_hash TEXT,
      recovery_salt TEXT,
      -- Wrong PINs (or recovery codes) since the last right one.
      failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
      -- Unix ms; no PIN is even checked before then.
      locked_until_ms INTEGER,
      updated_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE audit_log (
      seq INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      device TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('cashier', 'owner')),
      kind TEXT NOT NULL,
      subject TEXT,
      before TEXT CHECK (before IS NULL OR json_valid(before)),
      after TEXT CHECK (after IS NULL OR json_valid(after))
    ) STRICT;
    CREATE INDEX audit_log_by_kind ON audit_log (kind, seq);
    CREATE INDEX audit_log_by_at ON audit_log (at, seq);

    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN
      SELECT RAISE(ABORT, 'the audit log is append-only');
    END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN
      SELECT RAISE(ABORT, 'the audit log is append-only');
    END;
  `)
}

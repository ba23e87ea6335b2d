import type Database from 'better-sqlite3'

/**
 * Tills (registers) and the devices that work at them (#13).
 *
 * A device is one browser (serve mode) or the desktop window (`local`). Its
 * session secret (the cookie) and its header token are stored only as
 * SHA-256 hashes: both are 190+ random bits, so a plain hash is enough and a
 * copy of the database signs nobody in. Sessions live here, not in memory,
 * so a till stays signed in across a restart of the server.
 *
 * Pairing codes are one-time: `used_at` is set in the same transaction that
 * makes the device. Every sale records the till it was taken at; sales made
 * before tills existed belong to "Till 1".
 */
export function m0005DevicesTills(db: Database.Database): void {
  db.exec(`
    CREATE TABLE tills (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
    INSERT INTO tills (id, name, created_at) VALUES ('till_1', 'Till 1', unixepoch());

    CREATE TABLE devices (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      till_id TEXT NOT NULL REFERENCES tills(id),
      -- What the device is for: a cashier's screen, or a customer display facing the counter.
      role_hint TEXT NOT NULL CHECK (role_hint = 'cashier' OR role_hint = 'display'),
      created_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL,
      -- The network address it last came from (shown to the owner; never used to authenticate).
      address TEXT,
      secret_hash TEXT UNIQUE,
      header_hash TEXT,
      revoked_at INTEGER
    ) STRICT;
    -- The desktop window: one local device on Till 1, with no session to steal.
    INSERT INTO devices (id, name, till_id, role_hint, created_at, last_seen_at)
      VALUES ('local', 'This computer', 'till_1', 'cashier', unixepoch(), unixepoch());

    CREATE TABLE pairing_codes (
      code_hash TEXT PRIMARY KEY,
      till_id TEXT NOT NULL REFERENCES tills(id),
      role_hint TEXT NOT NULL CHECK (role_hint = 'cashier' OR role_hint = 'display'),
      created_by TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      used_at INTEGER,
      used_by TEXT
    ) STRICT;

    -- No REFERENCES: SQLite cannot add a foreign-key column with a non-null default. The engine only writes known tills.
    ALTER TABLE sessions ADD COLUMN till_id TEXT NOT NULL DEFAULT 'till_1';
  `)
}

import type Database from 'better-sqlite3'

/**
 * Tips and shifts (#17).
 *
 * A tip request is a charge waiting for the customer's tip on the till's
 * customer display: the sale's input is kept as it came (JSON), with the base
 * price in minor units and the buttons offered, so the answer makes exactly
 * the sale the cashier charged. At most one is pending per till; a new charge
 * replaces it. (The tip settings themselves are app settings, in `settings`.)
 *
 * A shift is a cashier's time at a till, opened and closed there; at most one
 * is open per till. Its sales are the till's sales created while it was open.
 */
export function m0009TipsShifts(db: Database.Database): void {
  db.exec(`
    CREATE TABLE tip_requests (
      id TEXT PRIMARY KEY,
      till_id TEXT NOT NULL,
      -- The device that charged: it (the till's own window) or a display of its till may answer.
      device TEXT NOT NULL,
      sale TEXT NOT NULL,
      currency TEXT NOT NULL,
      base_minor INTEGER NOT NULL CHECK (base_minor > 0),
      percentages TEXT NOT NULL,
      custom INTEGER NOT NULL CHECK (custom IN (0, 1)),
      status TEXT NOT NULL
        CHECK (status = 'pending' OR status = 'answered' OR status = 'skipped' OR status = 'cancelled' OR status = 'failed'),
      tip_minor INTEGER,
      percent INTEGER,
      session_id TEXT,
      error TEXT,
      created_at INTEGER NOT NULL,
      answered_at INTEGER
    ) STRICT;
    CREATE INDEX tip_requests_pending ON tip_requests (till_id) WHERE status = 'pending';

    CREATE TABLE shifts (
      id TEXT PRIMARY KEY,
      till_id TEXT NOT NULL REFERENCES tills(id),
      opened_at INTEGER NOT NULL,
      opened_by TEXT NOT NULL,
      closed_at INTEGER,
      closed_by TEXT
    ) STRICT;
    CREATE UNIQUE INDEX shifts_one_open_per_till ON shifts (till_id) WHERE closed_at IS NULL;
    CREATE INDEX shifts_by_till ON shifts (till_id, opened_at);
  `)
}

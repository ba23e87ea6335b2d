import type Database from 'better-sqlite3'

/**
 * The owner's alerts for completed sales whose payment a chain reorganisation
 * took back (exception `reversed`). One row per sale while its reversal
 * stands; `acknowledged_at` is set when the owner has seen it, so the alert
 * stays gone after a restart. A small table of its own so that every screen
 * can ask "anything unacknowledged?" with one index read, not a scan of every
 * sale's exceptions.
 */
export function m0002ReversalAlerts(db: Database.Database): void {
  db.exec(`
    CREATE TABLE reversal_alerts (
      session_seq INTEGER PRIMARY KEY REFERENCES sessions(seq),
      reversed_at INTEGER NOT NULL,
      acknowledged_at INTEGER
    ) STRICT;
    CREATE INDEX reversal_alerts_open ON reversal_alerts (reversed_at) WHERE acknowledged_at IS NULL;
  `)
}

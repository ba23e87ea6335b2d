import type Database from 'better-sqlite3'

/**
 * Indexes on two references that SQLite checks by reading the whole child table.
 *
 * - A new outbox event fans out to webhook deliveries through a trigger, which
 *   makes its INSERT a multi-row write; SQLite then looks for deliveries that
 *   already point at the new event, by `event_seq`. Unindexed, every status
 *   change read the whole delivery log, which only grows.
 * - Dropping a paid sale's remainder QR deletes its payment option; SQLite
 *   checks that no transfer still points at it, and the payment code re-points
 *   them first, both by `option_id`. Unindexed, both read every transfer.
 */
export function m0006IndexedReferences(db: Database.Database): void {
  db.exec(`
    CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_seq) WHERE event_seq IS NOT NULL;
    CREATE INDEX transfers_by_option ON transfers (option_id) WHERE option_id IS NOT NULL;
  `)
}

import type Database from 'better-sqlite3'

/**
 * Order numbers a cashier can say aloud (#15): "A-0042" is the 42nd sale of
 * the day at the till whose letter is A (till_1 is A, till_2 is B, …). The
 * counter starts again each shop day, per till. Sales made before this have
 * none (null); the API's `order_id` stays as the caller gave it.
 *
 * History finds a sale by the start of its order number, order id, session id,
 * tx hash or address, in any case: the NOCASE indexes answer those prefixes
 * with a range look-up instead of a scan.
 */
export function m0010OrderNumbers(db: Database.Database): void {
  db.exec(`
    ALTER TABLE sessions ADD COLUMN order_number TEXT;
    ALTER TABLE sessions ADD COLUMN order_day TEXT;
    ALTER TABLE sessions ADD COLUMN order_seq INTEGER;
    CREATE UNIQUE INDEX sessions_order_counter ON sessions (till_id, order_day, order_seq);
    CREATE INDEX sessions_by_order_number ON sessions (order_number COLLATE NOCASE);
    CREATE INDEX sessions_by_order_id_nocase ON sessions (order_id COLLATE NOCASE);
  `)
}

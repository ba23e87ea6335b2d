import type Database from 'better-sqlite3'

/**
 * History finds a sale by its price as the cashier typed it (#15): "6.66"
 * picks out the sales of 6.66 in the shop's currency. The index answers
 * `amount_minor = ? AND currency IN (…)` with a look-up instead of reading
 * every sale ever made.
 */
export function m0011AmountSearch(db: Database.Database): void {
  db.exec(`
    CREATE INDEX sessions_by_amount ON sessions (amount_minor, currency);
  `)
}

import type Database from 'better-sqlite3'

/**
 * History finds a sale by its price as the cashier typed it (#15): "6.66"
 * picks out the sales of 6.66 in the shop's currency. The index answers
 * `amount_minor = ? AND currency IN (…)` with a look-up instead of reading
 * every sale ever made.
 *
 * The first till takes the shop's language (#15): a shop already working in
 * Chinese sees "收银台 1" where it saw "Till 1" (unless the owner renamed it);
 * from now on Settings renames it when the language changes (devices/index.ts).
 */
export function m0011AmountSearchTillName(db: Database.Database): void {
  db.exec(`
    CREATE INDEX sessions_by_amount ON sessions (amount_minor, currency);
    UPDATE tills SET name = '收银台 1'
      WHERE id = 'till_1' AND name = 'Till 1' AND (SELECT value FROM settings WHERE key = 'language') = '"zh-CN"';
  `)
}

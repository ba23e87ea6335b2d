import type Database from 'better-sqlite3'

/**
 * Fewer B-trees written per new sale. A commit writes every page it dirtied to
 * the WAL, and a create used to dirty ~24: the session's 7, then for each
 * payment option three indexes keyed by a random-looking amount, plus the
 * timeline's 2. Now ~15:
 *
 * - One index both guards and searches the reserved amounts. Token amounts are
 *   TEXT (bigint base units), so the index leads with `length(amount)`: for
 *   canonical integer strings, (length, text) order is numeric order, and the
 *   next free amount above a price is a range read in this index. It replaces
 *   the UNIQUE index on amount and the separate (base_amount, suffix) index.
 * - Released reservations (late window over) get their own partial index:
 *   written when a hold lapses, in the expiry batch, not while a cashier waits.
 * - One index per order: the rule "one live session per order" becomes a
 *   UNIQUE index over (merchant, mode, order, open_order), where `open_order`
 *   is 1 while the session is PENDING/PROCESSING and NULL after (NULLs never
 *   collide), so the same index also finds an order's finished sessions.
 * - Pay addresses are indexed for search only where they tell sales apart:
 *   xpub mode's one-per-sale child addresses. In address mode every sale pays
 *   the shop's one address.
 * - A session's "created" step is its `created_at`; the timeline stores only
 *   the changes that follow.
 */
export function m0004LeanCreate(db: Database.Database): void {
  db.exec(`
    DROP INDEX payment_options_reserved;
    DROP INDEX payment_options_suffixes;
    DROP INDEX payment_options_by_amount;
    CREATE UNIQUE INDEX payment_options_reserved ON payment_options (chain_id, token_address, address, length(amount), amount)
      WHERE active = 1;
    CREATE INDEX payment_options_released ON payment_options (chain_id, token_address, address, amount)
      WHERE active = 0;

    ALTER TABLE sessions ADD COLUMN open_order INTEGER
      GENERATED ALWAYS AS (CASE WHEN status IN ('PENDING', 'PROCESSING') THEN 1 END) VIRTUAL;
    DROP INDEX sessions_by_order;
    DROP INDEX sessions_one_live_order;
    CREATE UNIQUE INDEX sessions_by_order ON sessions (merchant_id, livemode, order_id, open_order);

    DROP INDEX payment_options_by_address;
    CREATE INDEX payment_options_by_child_address ON payment_options (address COLLATE NOCASE) WHERE child_index IS NOT NULL;

    DELETE FROM session_timeline WHERE from_status IS NULL AND to_status = 'PENDING' AND reason = 'created';
  `)
}

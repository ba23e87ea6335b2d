import type Database from 'better-sqlite3'

/**
 * A sale's rows are found by its row number. Two indexes are no longer
 * written per sale, and one CHECK no longer builds a temporary table:
 *
 * - Session ids carry their row number (sessions/ids.ts), so the UNIQUE index
 *   of ids goes. Ids issued before this version keep working through
 *   `session_legacy_ids`: they were shown to back offices and sent in webhooks.
 *   The key that scrambles row numbers in ids is made here, once per shop.
 * - Payment option ids are numbered within their session:
 *   `session_seq * 65536 + n`. A session's options are then a range of the
 *   table itself, so the index by session goes. Existing options are
 *   renumbered, and so are the transfers and sessions that point at them.
 * - `status IN (five values)` in a CHECK made SQLite build a temporary B-tree
 *   on every insert and status change; the same rule as ORs builds none.
 *
 * Both tables are rebuilt (SQLite cannot drop a column's UNIQUE or change a
 * CHECK in place). migrate() runs this with foreign keys off and checks them
 * before commit, as SQLite's own procedure for table changes asks.
 */
export function m0005RowsBySale(db: Database.Database): void {
  db.exec(`
    CREATE TABLE sessions_v5 (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL,
      merchant_id TEXT NOT NULL REFERENCES merchants(id),
      livemode INTEGER NOT NULL CHECK (livemode IN (0, 1)),
      order_id TEXT NOT NULL,
      amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
      currency TEXT NOT NULL,
      metadata TEXT NOT NULL,
      status TEXT NOT NULL
        CHECK (status = 'PENDING' OR status = 'PROCESSING' OR status = 'COMPLETED' OR status = 'EXPIRED' OR status = 'CANCELLED'),
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      ended_at INTEGER,
      exchange_rate TEXT,
      rate_locked_at INTEGER,
      usd_cents INTEGER NOT NULL,
      -- Once a payment is credited, the option it paid; amounts below are in its token's base units.
      paid_option_id INTEGER,
      amount_due TEXT,
      amount_paid TEXT NOT NULL DEFAULT '0',
      confirmations INTEGER NOT NULL DEFAULT 0,
      required_confirmations INTEGER NOT NULL,
      exceptions TEXT NOT NULL DEFAULT '[]',
      ever_processing INTEGER NOT NULL DEFAULT 0,
      completed_at INTEGER,
      updated_at INTEGER NOT NULL,
      -- 1 while the session is live, NULL after: the UNIQUE index by order lets one live session per order.
      open_order INTEGER GENERATED ALWAYS AS (CASE WHEN status IN ('PENDING', 'PROCESSING') THEN 1 END) VIRTUAL
    ) STRICT;

    -- Ids issued before ids carried their row number.
    CREATE TABLE session_legacy_ids (
      id TEXT PRIMARY KEY,
      seq INTEGER NOT NULL REFERENCES sessions(seq)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO session_legacy_ids (id, seq) SELECT id, seq FROM sessions;

    -- Old option id → new, dropped below.
    CREATE TABLE option_numbers (old_id INTEGER PRIMARY KEY, new_id INTEGER NOT NULL) STRICT;
    INSERT INTO option_numbers (old_id, new_id)
      SELECT id, session_seq * 65536 + row_number() OVER (PARTITION BY session_seq ORDER BY id) - 1 FROM payment_options;

    INSERT INTO sessions_v5 (seq, id, merchant_id, livemode, order_id, amount_minor, currency, metadata, status, created_at,
        expires_at, ended_at, exchange_rate, rate_locked_at, usd_cents, paid_option_id, amount_due, amount_paid, confirmations,
        required_confirmations, exceptions, ever_processing, completed_at, updated_at)
      SELECT seq, id, merchant_id, livemode, order_id, amount_minor, currency, metadata, status, created_at,
        expires_at, ended_at, exchange_rate, rate_locked_at, usd_cents,
        (SELECT new_id FROM option_numbers WHERE old_id = paid_option_id), amount_due, amount_paid, confirmations,
        required_confirmations, exceptions, ever_processing, completed_at, updated_at
      FROM sessions;
    DROP TABLE sessions;
    ALTER TABLE sessions_v5 RENAME TO sessions;
    CREATE INDEX sessions_by_created ON sessions (merchant_id, livemode, created_at);
    CREATE INDEX sessions_by_status ON sessions (merchant_id, livemode, status, created_at);
    CREATE UNIQUE INDEX sessions_by_order ON sessions (merchant_id, livemode, order_id, open_order);
    CREATE INDEX sessions_open_by_expiry ON sessions (expires_at) WHERE status IN ('PENDING', 'PROCESSING');

    -- A payment option is also the reservation of its amount on (chain, token, address):
    -- held while the session is open and through the late window after it ends.
    CREATE TABLE payment_options_v5 (
      -- session_seq * 65536 + n: a session's options are one range of ids.
      id INTEGER PRIMARY KEY,
      session_seq INTEGER NOT NULL REFERENCES sessions(seq) CHECK (id >> 16 = session_seq),
      kind TEXT NOT NULL CHECK (kind IN ('payment', 'remainder')),
      chain_id INTEGER NOT NULL,
      token_symbol TEXT NOT NULL,
      token_address TEXT NOT NULL,
      decimals INTEGER NOT NULL,
      address TEXT NOT NULL,
      child_index INTEGER,
      base_amount TEXT NOT NULL,
      suffix INTEGER NOT NULL,
      amount TEXT NOT NULL,
      held_until INTEGER,
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
    ) STRICT;
    INSERT INTO payment_options_v5 (id, session_seq, kind, chain_id, token_symbol, token_address, decimals, address, child_index,
        base_amount, suffix, amount, held_until, active)
      SELECT n.new_id, o.session_seq, o.kind, o.chain_id, o.token_symbol, o.token_address, o.decimals, o.address, o.child_index,
        o.base_amount, o.suffix, o.amount, o.held_until, o.active
      FROM payment_options o JOIN option_numbers n ON n.old_id = o.id;
    UPDATE transfers SET option_id = (SELECT new_id FROM option_numbers WHERE old_id = option_id) WHERE option_id IS NOT NULL;
    DROP TABLE payment_options;
    ALTER TABLE payment_options_v5 RENAME TO payment_options;
    CREATE UNIQUE INDEX payment_options_reserved ON payment_options (chain_id, token_address, address, length(amount), amount)
      WHERE active = 1;
    CREATE INDEX payment_options_released ON payment_options (chain_id, token_address, address, amount) WHERE active = 0;
    CREATE INDEX payment_options_release ON payment_options (held_until) WHERE active = 1 AND held_until IS NOT NULL;
    CREATE INDEX payment_options_by_child_address ON payment_options (address COLLATE NOCASE) WHERE child_index IS NOT NULL;
    DROP TABLE option_numbers;

    -- Keys of this shop's own, never shown: what scrambles row numbers in session ids.
    CREATE TABLE shop_keys (
      name TEXT PRIMARY KEY,
      key BLOB NOT NULL
    ) STRICT;
    INSERT INTO shop_keys (name, key) VALUES ('session_ids', randomblob(16));
  `)
}

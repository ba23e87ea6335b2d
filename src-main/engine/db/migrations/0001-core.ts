import type Database from 'better-sqlite3'

/**
 * The shop, its networks, payment sessions and the outbox.
 *
 * Token amounts are TEXT (bigint base units): an 18-decimal token overflows a
 * SQLite INTEGER at 9.2 tokens. Fiat amounts are INTEGER minor units
 * (at most 12 integer digits + 3 decimals, far inside 2^63). Times are unix seconds.
 */
export function m0001Core(db: Database.Database): void {
  db.exec(`
    CREATE TABLE merchants (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      currency TEXT NOT NULL,
      receive_mode TEXT NOT NULL CHECK (receive_mode IN ('address', 'xpub')),
      receive_address TEXT,
      receive_xpub TEXT,
      -- xpub mode: the next child index; only ever grows, so an address is never reused.
      next_child_index INTEGER NOT NULL DEFAULT 0,
      session_ttl_seconds INTEGER NOT NULL DEFAULT 900,
      time_zone TEXT NOT NULL DEFAULT 'UTC',
      created_at INTEGER NOT NULL,
      CHECK ((receive_mode = 'address' AND receive_address IS NOT NULL)
          OR (receive_mode = 'xpub' AND receive_xpub IS NOT NULL))
    ) STRICT;

    CREATE TABLE api_keys (
      id TEXT PRIMARY KEY,
      merchant_id TEXT NOT NULL REFERENCES merchants(id),
      -- Only the SHA-256 of the key is kept; the key itself is shown once.
      key_sha256 TEXT NOT NULL UNIQUE,
      livemode INTEGER NOT NULL CHECK (livemode IN (0, 1)),
      hint TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      revoked_at INTEGER
    ) STRICT;

    CREATE TABLE chains (
      chain_id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      testnet INTEGER NOT NULL CHECK (testnet IN (0, 1)),
      rpc_urls TEXT NOT NULL,
      ws_urls TEXT NOT NULL,
      confirmations INTEGER NOT NULL CHECK (confirmations >= 1),
      poll_interval_ms INTEGER,
      block_time_ms INTEGER NOT NULL,
      explorer_url TEXT,
      color TEXT NOT NULL,
      enabled INTEGER NOT NULL CHECK (enabled IN (0, 1))
    ) STRICT;

    CREATE TABLE tokens (
      chain_id INTEGER NOT NULL REFERENCES chains(chain_id),
      symbol TEXT NOT NULL,
      address TEXT NOT NULL,
      decimals INTEGER NOT NULL CHECK (decimals BETWEEN 2 AND 36),
      enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
      PRIMARY KEY (chain_id, symbol),
      UNIQUE (chain_id, address)
    ) STRICT;

    CREATE TABLE rates (
      currency TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('provider', 'manual')),
      usd_per_unit TEXT NOT NULL,
      as_of INTEGER NOT NULL,
      fetched_at INTEGER NOT NULL,
      PRIMARY KEY (currency, source)
    ) STRICT;

    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE sessions (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      merchant_id TEXT NOT NULL REFERENCES merchants(id),
      livemode INTEGER NOT NULL CHECK (livemode IN (0, 1)),
      order_id TEXT NOT NULL,
      amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
      currency TEXT NOT NULL,
      metadata TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('PENDING', 'PROCESSING', 'COMPLETED', 'EXPIRED', 'CANCELLED')),
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
      updated_at INTEGER NOT NULL
    ) STRICT;
    -- Lists are newest first by (created_at, seq); seq is the rowid, so these indexes end in it and
    -- hand rows over already in list order, for any created_at range.
    CREATE INDEX sessions_by_created ON sessions (merchant_id, livemode, created_at);
    CREATE INDEX sessions_by_status ON sessions (merchant_id, livemode, status, created_at);
    CREATE INDEX sessions_by_order ON sessions (merchant_id, livemode, order_id, seq);
    CREATE INDEX sessions_open_by_expiry ON sessions (expires_at) WHERE status IN ('PENDING', 'PROCESSING');
    -- One live session per (merchant, mode, order): enforced by the database, not by a check in code.
    CREATE UNIQUE INDEX sessions_one_live_order ON sessions (merchant_id, livemode, order_id)
      WHERE status IN ('PENDING', 'PROCESSING');

    -- A payment option is also the reservation of its amount on (chain, token, address):
    -- held while the session is open and through the late window after it ends.
    CREATE TABLE payment_options (
      id INTEGER PRIMARY KEY,
      session_seq INTEGER NOT NULL REFERENCES sessions(seq),
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
    CREATE UNIQUE INDEX payment_options_reserved ON payment_options (chain_id, token_address, address, amount)
      WHERE active = 1;
    CREATE INDEX payment_options_suffixes ON payment_options (chain_id, token_address, address, base_amount, suffix)
      WHERE active = 1;
    CREATE INDEX payment_options_by_session ON payment_options (session_seq);
    CREATE INDEX payment_options_by_address ON payment_options (address COLLATE NOCASE);
    CREATE INDEX payment_options_release ON payment_options (held_until) WHERE active = 1 AND held_until IS NOT NULL;

    CREATE TABLE session_timeline (
      id INTEGER PRIMARY KEY,
      session_seq INTEGER NOT NULL REFERENCES sessions(seq),
      at INTEGER NOT NULL,
      from_status TEXT,
      to_status TEXT NOT NULL,
      reason TEXT NOT NULL
    ) STRICT;
    CREATE INDEX session_timeline_by_session ON session_timeline (session_seq, id);

    -- Every ERC-20 transfer seen to a watched address, recorded once.
    CREATE TABLE transfers (
      id INTEGER PRIMARY KEY,
      chain_id INTEGER NOT NULL,
      tx_hash TEXT NOT NULL,
      log_index INTEGER NOT NULL,
      token_symbol TEXT NOT NULL,
      token_address TEXT NOT NULL,
      from_address TEXT NOT NULL,
      to_address TEXT NOT NULL,
      amount TEXT NOT NULL,
      block_number INTEGER NOT NULL,
      block_hash TEXT NOT NULL,
      block_timestamp INTEGER NOT NULL,
      confirmations INTEGER NOT NULL DEFAULT 0,
      state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'orphaned')),
      session_seq INTEGER REFERENCES sessions(seq),
      option_id INTEGER REFERENCES payment_options(id),
      seen_at INTEGER NOT NULL,
      UNIQUE (chain_id, tx_hash, log_index)
    ) STRICT;
    CREATE INDEX transfers_by_session ON transfers (session_seq);
    CREATE INDEX transfers_unmatched ON transfers (chain_id, id) WHERE session_seq IS NULL;
    CREATE INDEX transfers_by_block ON transfers (chain_id, block_number);
    CREATE INDEX transfers_by_hash ON transfers (tx_hash);
    CREATE INDEX transfers_by_payer ON transfers (lower(from_address));

    -- The outbox: written in the same transaction as the change that caused it.
    CREATE TABLE events (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL,
      merchant_id TEXT NOT NULL,
      livemode INTEGER NOT NULL,
      session_id TEXT,
      created INTEGER NOT NULL,
      body TEXT NOT NULL
    ) STRICT;
    CREATE INDEX events_by_session ON events (session_id, seq);

    CREATE TABLE idempotency_keys (
      api_key_id TEXT NOT NULL,
      key TEXT NOT NULL,
      request_sha256 TEXT NOT NULL,
      status INTEGER NOT NULL,
      body TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (api_key_id, key)
    ) STRICT;
  `)
}

import type Database from 'better-sqlite3'

/**
 * The whole schema as first shipped: the shop, its networks, payment sessions,
 * the chain watcher's memory, the outbox and webhook deliveries.
 *
 * Token amounts are TEXT (bigint base units): an 18-decimal token overflows a
 * SQLite INTEGER at 9.2 tokens. Fiat amounts are INTEGER minor units (at most
 * 12 integer digits + 3 decimals, far inside 2^63). Times are unix seconds,
 * except the webhook scheduling columns (`*_ms`): backoffs start at seconds and
 * the delivery log orders attempts within a second.
 */
export function m0001Baseline(db: Database.Database): void {
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
      -- ps_ and 24 random base62 characters: shown to back offices, sent in webhooks.
      id TEXT NOT NULL,
      merchant_id TEXT NOT NULL REFERENCES merchants(id),
      livemode INTEGER NOT NULL CHECK (livemode IN (0, 1)),
      order_id TEXT NOT NULL,
      amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
      currency TEXT NOT NULL,
      metadata TEXT NOT NULL,
      -- ORs, not IN: SQLite checks an IN list of three or more values by building a temporary table, on every
      -- insert and status change (test/unit/queryPlans.test.ts).
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
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX sessions_by_id ON sessions (id);
    -- Lists are newest first by (created_at, seq); seq is the rowid, so these indexes end in it and
    -- hand rows over already in list order, for any created_at range.
    CREATE INDEX sessions_by_created ON sessions (merchant_id, livemode, created_at);
    CREATE INDEX sessions_by_status ON sessions (merchant_id, livemode, status, created_at);
    CREATE INDEX sessions_by_order ON sessions (merchant_id, livemode, order_id);
    -- One live session per (merchant, mode, order): enforced by the database, not by a check in code.
    CREATE UNIQUE INDEX sessions_one_live_order ON sessions (merchant_id, livemode, order_id)
      WHERE status IN ('PENDING', 'PROCESSING');
    CREATE INDEX sessions_open_by_expiry ON sessions (expires_at) WHERE status IN ('PENDING', 'PROCESSING');

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
    CREATE INDEX payment_options_by_session ON payment_options (session_seq);
    -- One index both guards and searches the reserved amounts. Amounts are canonical integer strings,
    -- so (length, text) order is numeric order: the next free amount above a price is a range read here.
    CREATE UNIQUE INDEX payment_options_reserved ON payment_options (chain_id, token_address, address, length(amount), amount)
      WHERE active = 1;
    -- Exact-amount matching must also find a reservation that was released while the app was offline
    -- but still covered the payment's block time.
    CREATE INDEX payment_options_released ON payment_options (chain_id, token_address, address, amount) WHERE active = 0;
    CREATE INDEX payment_options_release ON payment_options (held_until) WHERE active = 1 AND held_until IS NOT NULL;
    -- Pay addresses are searched only where they tell sales apart: xpub mode's one-per-sale child addresses.
    -- In address mode every sale pays the shop's one address.
    CREATE INDEX payment_options_by_child_address ON payment_options (address COLLATE NOCASE) WHERE child_index IS NOT NULL;

    -- The changes of a session's status. Its first step is not stored: every session starts PENDING at its created_at.
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
    -- Confirmations are refreshed each block for the few transfers still pending, not for history.
    CREATE INDEX transfers_pending ON transfers (chain_id, block_number) WHERE state = 'pending';
    -- Dropping a paid sale's remainder QR deletes its option: SQLite checks that no transfer still points at it,
    -- and the payment code re-points them first, both by option_id. Unindexed, both read every transfer.
    CREATE INDEX transfers_by_option ON transfers (option_id) WHERE option_id IS NOT NULL;

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

    -- The chain watcher: every block up to and including block_number has been scanned for transfers.
    -- Written in the same transaction as the transfers found, so a crash never skips nor double-counts a block.
    CREATE TABLE chain_cursors (
      chain_id INTEGER PRIMARY KEY,
      block_number INTEGER NOT NULL CHECK (block_number >= 0),
      block_hash TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;

    -- Recent headers the watcher has seen, pruned to a window behind the cursor: a new block whose parent is not
    -- the block scanned is a reorg, and these find the fork point. Sparse during catch-up, contiguous at the head.
    CREATE TABLE chain_blocks (
      chain_id INTEGER NOT NULL,
      number INTEGER NOT NULL,
      hash TEXT NOT NULL,
      parent_hash TEXT NOT NULL,
      timestamp INTEGER NOT NULL,
      PRIMARY KEY (chain_id, number)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE webhook_endpoints (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      merchant_id TEXT NOT NULL REFERENCES merchants(id),
      url TEXT NOT NULL,
      -- Sealed by the secret box (safeStorage or a 0600 key file); never the plain secret.
      secret_sealed TEXT NOT NULL,
      -- JSON array of event types, or ["*"].
      events TEXT NOT NULL CHECK (json_valid(events) AND json_type(events) = 'array'),
      enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
      -- 'config': named by the config file, which finds it again by (merchant, url).
      source TEXT NOT NULL CHECK (source IN ('app', 'config')),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX webhook_endpoints_by_merchant ON webhook_endpoints (merchant_id, seq);

    -- One delivery per event per endpoint.
    CREATE TABLE webhook_deliveries (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      endpoint_seq INTEGER NOT NULL REFERENCES webhook_endpoints(seq),
      -- The outbox row whose frozen body is sent; NULL only for a "send test event" delivery.
      event_seq INTEGER REFERENCES events(seq),
      event_id TEXT NOT NULL,
      event_type TEXT NOT NULL,
      session_id TEXT,
      -- A test event is not a shop event, so it is not in the outbox: its body lives here.
      test_body TEXT,
      state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_ms INTEGER,
      last_status INTEGER,
      last_error TEXT,
      created_ms INTEGER NOT NULL,
      finished_ms INTEGER,
      CHECK ((event_seq IS NULL) <> (test_body IS NULL)),
      CHECK ((state = 'pending') = (next_attempt_ms IS NOT NULL))
    ) STRICT;
    -- The sender's work queue: pending deliveries of one endpoint, soonest first.
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_seq, next_attempt_ms, seq) WHERE state = 'pending';
    -- Per endpoint, a session's events go out in order: "is an earlier one still pending?"
    CREATE INDEX webhook_deliveries_session_order ON webhook_deliveries (endpoint_seq, session_id, seq) WHERE state = 'pending';
    CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_seq, seq);
    CREATE INDEX webhook_deliveries_by_session ON webhook_deliveries (session_id, seq);
    -- The fan-out below makes an event's INSERT a multi-row write, and SQLite then looks for deliveries that
    -- already point at the new event. Unindexed, every status change would read the whole delivery log.
    CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_seq) WHERE event_seq IS NOT NULL;

    CREATE TABLE webhook_attempts (
      id INTEGER PRIMARY KEY,
      delivery_seq INTEGER NOT NULL REFERENCES webhook_deliveries(seq),
      at_ms INTEGER NOT NULL,
      status INTEGER,
      duration_ms INTEGER NOT NULL,
      error TEXT,
      -- The first 1 KB of the response body, for the delivery log.
      response_snippet TEXT
    ) STRICT;
    CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_seq, id);

    -- Fan-out: an event's deliveries are written in the same transaction as the event, so a crash can never
    -- leave an event that no endpoint will hear about. Only endpoints that exist and are enabled at commit
    -- time get one (events are not replayed to endpoints added later).
    CREATE TRIGGER webhook_fan_out AFTER INSERT ON events
    BEGIN
      INSERT INTO webhook_deliveries (id, endpoint_seq, event_seq, event_id, event_type, session_id, state, next_attempt_ms, created_ms)
      SELECT 'whd_' || lower(hex(randomblob(12))), e.seq, NEW.seq, NEW.id, NEW.type, NEW.session_id, 'pending', NEW.created * 1000, NEW.created * 1000
      FROM webhook_endpoints e
      WHERE e.merchant_id = NEW.merchant_id
        AND e.enabled = 1
        AND EXISTS (SELECT 1 FROM json_each(e.events) j WHERE j.value = '*' OR j.value = NEW.type)
      ORDER BY e.seq;
    END;
  `)
}

import type Database from 'better-sqlite3'

/**
 * Refunds (#11): money going back to a customer, paid by the owner from the
 * shop's wallet and proven on-chain by the watcher. One row per refund; the
 * outgoing transfer that pays it is kept on the row itself (it is not a
 * payment to the shop, so it is not in `transfers`). Amounts are TEXT base
 * units of the refund's token, like every token amount.
 */
export function m0003Refunds(db: Database.Database): void {
  db.exec(`
    CREATE TABLE refunds (
      seq INTEGER PRIMARY KEY,
      -- re_ and 24 random base62 characters.
      id TEXT NOT NULL,
      merchant_id TEXT NOT NULL REFERENCES merchants(id),
      livemode INTEGER NOT NULL CHECK (livemode IN (0, 1)),
      session_seq INTEGER NOT NULL REFERENCES sessions(seq),
      -- The merchant's idempotency key.
      refund_id TEXT NOT NULL,
      chain_id INTEGER NOT NULL,
      token_symbol TEXT NOT NULL,
      token_address TEXT NOT NULL,
      decimals INTEGER NOT NULL,
      amount TEXT NOT NULL,
      destination TEXT NOT NULL,
      reason TEXT NOT NULL,
      description TEXT,
      metadata TEXT NOT NULL,
      status TEXT NOT NULL
        CHECK (status = 'pending' OR status = 'processing' OR status = 'succeeded' OR status = 'canceled' OR status = 'failed'),
      -- The outgoing transfer that pays it, once seen.
      tx_hash TEXT,
      log_index INTEGER,
      from_address TEXT,
      block_number INTEGER,
      block_hash TEXT,
      confirmations INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      succeeded_at INTEGER,
      ended_at INTEGER,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX refunds_by_id ON refunds (id);
    CREATE UNIQUE INDEX refunds_by_refund_id ON refunds (merchant_id, livemode, refund_id);
    CREATE INDEX refunds_by_session ON refunds (session_seq, seq);
    CREATE INDEX refunds_by_created ON refunds (merchant_id, livemode, created_at);
    -- The watcher reads the open ones every block (their destinations) and expiry the pending ones every second:
    -- both stay index reads of a handful of rows, never a scan of every refund ever made.
    CREATE INDEX refunds_open ON refunds (chain_id, status) WHERE status IN ('pending', 'processing');
    CREATE INDEX refunds_pending_by_expiry ON refunds (expires_at) WHERE status = 'pending';
    -- One transfer pays one refund.
    CREATE UNIQUE INDEX refunds_by_transfer ON refunds (chain_id, tx_hash, log_index) WHERE tx_hash IS NOT NULL;
  `)
}

import type Database from 'better-sqlite3'

/**
 * The chain watcher's memory: how far each chain has been scanned, and the
 * recent canonical block hashes that let it notice a reorg (a new block whose
 * parent is not the block we scanned) and rewind to the fork point.
 */
export function m0002Watcher(db: Database.Database): void {
  db.exec(`
    -- Every block up to and including block_number has been scanned for transfers.
    -- Written in the same transaction as the transfers found, so a crash never skips nor double-counts a block.
    CREATE TABLE chain_cursors (
      chain_id INTEGER PRIMARY KEY,
      block_number INTEGER NOT NULL CHECK (block_number >= 0),
      block_hash TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;

    -- Recent headers the watcher has seen, pruned to a window behind the cursor.
    -- Sparse during catch-up (only the blocks it fetched), contiguous when following the head.
    CREATE TABLE chain_blocks (
      chain_id INTEGER NOT NULL,
      number INTEGER NOT NULL,
      hash TEXT NOT NULL,
      parent_hash TEXT NOT NULL,
      timestamp INTEGER NOT NULL,
      PRIMARY KEY (chain_id, number)
    ) STRICT, WITHOUT ROWID;

    -- Confirmations are refreshed each block for the few transfers still pending, not for history.
    CREATE INDEX transfers_pending ON transfers (chain_id, block_number) WHERE state = 'pending';

    -- Exact-amount matching must also find a reservation that was released while the app was
    -- offline but still covered the payment's block time; the existing index only holds active ones.
    CREATE INDEX payment_options_by_amount ON payment_options (chain_id, token_address, address, amount);
  `)
}

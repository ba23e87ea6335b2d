import type { Db } from '../db'
import { all, get, run, value, values } from '../db/sql'
import type { BlockHeader } from './rpc'

export interface Cursor {
  number: number
  hash: string
}

interface HeaderRow {
  number: number
  hash: string
  parent_hash: string
  timestamp: number
}

const toHeader = (r: HeaderRow): BlockHeader => ({ number: r.number, hash: r.hash, parentHash: r.parent_hash, timestamp: r.timestamp })

/**
 * The watcher's persisted position per chain and the recent canonical headers.
 * Every write here happens inside the same SQLite transaction as the transfers
 * found in those blocks.
 */
export class ChainStore {
  constructor(private readonly db: Db) {}

  cursor(chainId: number): Cursor | null {
    const row = get<{ block_number: number; block_hash: string }>(
      this.db,
      'SELECT block_number, block_hash FROM chain_cursors WHERE chain_id = ?',
      chainId,
    )
    return row ? { number: row.block_number, hash: row.block_hash } : null
  }

  setCursor(chainId: number, header: BlockHeader, now: number): void {
    run(
      this.db,
      `INSERT INTO chain_cursors (chain_id, block_number, block_hash, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (chain_id) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash, updated_at = excluded.updated_at`,
      chainId,
      header.number,
      header.hash,
      now,
    )
  }

  block(chainId: number, number: number): BlockHeader | null {
    const row = get<HeaderRow>(
      this.db,
      'SELECT number, hash, parent_hash, timestamp FROM chain_blocks WHERE chain_id = ? AND number = ?',
      chainId,
      number,
    )
    return row ? toHeader(row) : null
  }

  /** Stored headers at or below `atOrBelow`, newest first (the reorg walk compares these). */
  blocksDescending(chainId: number, atOrBelow: number, limit: number): BlockHeader[] {
    return all<HeaderRow>(
      this.db,
      'SELECT number, hash, parent_hash, timestamp FROM chain_blocks WHERE chain_id = ? AND number <= ? ORDER BY number DESC LIMIT ?',
      chainId,
      atOrBelow,
      limit,
    ).map(toHeader)
  }

  oldestBlock(chainId: number): number | null {
    return value<number | null>(this.db, 'SELECT min(number) FROM chain_blocks WHERE chain_id = ?', chainId) ?? null
  }

  saveHeaders(chainId: number, headers: Iterable<BlockHeader>): void {
    for (const h of headers)
      run(
        this.db,
        `INSERT INTO chain_blocks (chain_id, number, hash, parent_hash, timestamp) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (chain_id, number) DO UPDATE SET hash = excluded.hash, parent_hash = excluded.parent_hash, timestamp = excluded.timestamp`,
        chainId,
        h.number,
        h.hash,
        h.parentHash,
        h.timestamp,
      )
  }

  /** Forgets headers above the fork point: they belong to the abandoned branch. */
  dropAbove(chainId: number, number: number): void {
    run(this.db, 'DELETE FROM chain_blocks WHERE chain_id = ? AND number > ?', chainId, number)
  }

  prune(chainId: number, below: number): void {
    run(this.db, 'DELETE FROM chain_blocks WHERE chain_id = ? AND number < ?', chainId, below)
  }

  /** Receiving addresses of address-mode shops: watched always, so no payment to the shop goes unseen. */
  shopAddresses(): string[] {
    return values<string>(
      this.db,
      `SELECT DISTINCT receive_address FROM merchants WHERE receive_mode = 'address' AND receive_address IS NOT NULL`,
    )
  }

  /** Addresses and tokens still holding a reservation on this chain (open sessions and late windows). */
  reservedTargets(chainId: number): { addresses: string[]; tokens: string[] } {
    const rows = all<{ token_address: string; address: string }>(
      this.db,
      'SELECT DISTINCT token_address, address FROM payment_options WHERE chain_id = ? AND active = 1',
      chainId,
    )
    return { addresses: [...new Set(rows.map((r) => r.address))], tokens: [...new Set(rows.map((r) => r.token_address))] }
  }

  /**
   * Whether a sale is open on this chain right now: it decides between the counter pace and the idle pace.
   * Reads the chain's held amounts (open sales, and sales within their late window), never past sales.
   */
  hasOpenSession(chainId: number): boolean {
    return (
      value(
        this.db,
        `SELECT 1 FROM payment_options o JOIN sessions s ON s.seq = o.session_seq
         WHERE o.chain_id = ? AND o.active = 1 AND s.status IN ('PENDING', 'PROCESSING') LIMIT 1`,
        chainId,
      ) !== undefined
    )
  }

  /**
   * Whether money is awaited on this chain right now: an open sale, or a refund the owner is paying from the
   * shop's wallet (#11: the owner stands at the till until it shows "Refunded"). Either keeps the counter pace.
   */
  awaitsMoney(chainId: number): boolean {
    return (
      this.hasOpenSession(chainId) ||
      value(this.db, `SELECT 1 FROM refunds WHERE chain_id = ? AND status IN ('pending', 'processing') LIMIT 1`, chainId) !== undefined
    )
  }

  /** When the oldest open sale began: the watcher starts early enough to see its payments. */
  oldestOpenSessionCreatedAt(): number | null {
    return value<number | null>(this.db, `SELECT min(created_at) FROM sessions WHERE status IN ('PENDING', 'PROCESSING')`) ?? null
  }
}

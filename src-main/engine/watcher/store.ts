import type Database from 'better-sqlite3'
import type { Db } from '../db'
import type { BlockHeader } from './rpc'
import { optionsOfSession } from '../sessions/options'

export interface Cursor {
  number: number
  hash: string
}

/**
 * The watcher's persisted position per chain and the recent canonical headers.
 * Every write here happens inside the same SQLite transaction as the transfers
 * found in those blocks.
 */
export class ChainStore {
  private readonly statements = new Map<string, Database.Statement>()

  constructor(private readonly db: Db) {}

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql)
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)))
    return s
  }

  cursor(chainId: number): Cursor | null {
    const row = this.stmt('SELECT block_number, block_hash FROM chain_cursors WHERE chain_id = ?').get(chainId) as
      { block_number: number; block_hash: string } | undefined
    return row ? { number: row.block_number, hash: row.block_hash } : null
  }

  setCursor(chainId: number, header: BlockHeader, now: number): void {
    this.stmt(
      `INSERT INTO chain_cursors (chain_id, block_number, block_hash, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (chain_id) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash, updated_at = excluded.updated_at`,
    ).run(chainId, header.number, header.hash, now)
  }

  block(chainId: number, number: number): BlockHeader | null {
    const row = this.stmt('SELECT number, hash, parent_hash, timestamp FROM chain_blocks WHERE chain_id = ? AND number = ?').get(
      chainId,
      number,
    ) as { number: number; hash: string; parent_hash: string; timestamp: number } | undefined
    return row ? { number: row.number, hash: row.hash, parentHash: row.parent_hash, timestamp: row.timestamp } : null
  }

  /** Stored headers at or below `atOrBelow`, newest first (the reorg walk compares these). */
  blocksDescending(chainId: number, atOrBelow: number, limit: number): BlockHeader[] {
    const rows = this.stmt(
      'SELECT number, hash, parent_hash, timestamp FROM chain_blocks WHERE chain_id = ? AND number <= ? ORDER BY number DESC LIMIT ?',
    ).all(chainId, atOrBelow, limit) as Array<{ number: number; hash: string; parent_hash: string; timestamp: number }>
    return rows.map((r) => ({ number: r.number, hash: r.hash, parentHash: r.parent_hash, timestamp: r.timestamp }))
  }

  oldestBlock(chainId: number): number | null {
    const row = this.stmt('SELECT min(number) AS n FROM chain_blocks WHERE chain_id = ?').get(chainId) as { n: number | null }
    return row.n
  }

  saveHeaders(chainId: number, headers: Iterable<BlockHeader>): void {
    const upsert = this.stmt(
      `INSERT INTO chain_blocks (chain_id, number, hash, parent_hash, timestamp) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (chain_id, number) DO UPDATE SET hash = excluded.hash, parent_hash = excluded.parent_hash, timestamp = excluded.timestamp`,
    )
    for (const h of headers) upsert.run(chainId, h.number, h.hash, h.parentHash, h.timestamp)
  }

  /** Forgets headers above the fork point: they belong to the abandoned branch. */
  dropAbove(chainId: number, number: number): void {
    this.stmt('DELETE FROM chain_blocks WHERE chain_id = ? AND number > ?').run(chainId, number)
  }

  prune(chainId: number, below: number): void {
    this.stmt('DELETE FROM chain_blocks WHERE chain_id = ? AND number < ?').run(chainId, below)
  }

  /** Receiving addresses of address-mode shops: watched always, so no payment to the shop goes unseen. */
  shopAddresses(): string[] {
    return this.stmt(`SELECT DISTINCT receive_address FROM merchants WHERE receive_mode = 'address' AND receive_address IS NOT NULL`)
      .pluck()
      .all() as string[]
  }

  /** Addresses and tokens still holding a reservation on this chain (open sessions and late windows). */
  reservedTargets(chainId: number): { addresses: string[]; tokens: string[] } {
    const rows = this.stmt('SELECT DISTINCT token_address, address FROM payment_options WHERE chain_id = ? AND active = 1').all(
      chainId,
    ) as Array<{
      token_address: string
      address: string
    }>
    const addresses = new Set<string>()
    const tokens = new Set<string>()
    for (const r of rows) {
      addresses.add(r.address)
      tokens.add(r.token_address)
    }
    return { addresses: [...addresses], tokens: [...tokens] }
  }

  /** Whether a sale is open on this chain right now: it decides between the counter pace and the idle pace. */
  hasOpenSession(chainId: number): boolean {
    const row = this.stmt(
      // `+` keeps SQLite on the session's own id range, not on every hold of the chain.
      // The open sessions' own index: the status index would be read whole, past every finished sale.
      `SELECT 1 FROM sessions s INDEXED BY sessions_open_by_expiry WHERE s.status IN ('PENDING', 'PROCESSING')
         AND EXISTS (SELECT 1 FROM payment_options o WHERE ${optionsOfSession('s.seq', 'o.id')} AND +o.chain_id = ? AND +o.active = 1)
       LIMIT 1`,
    ).get(chainId)
    return row !== undefined
  }
}

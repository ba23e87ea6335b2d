import type { Transfer } from '../../../src-preload/contract'
import type { Db } from '../db'
import { all, get } from '../db/sql'
import { invalid, notFound } from '../errors'
import type { TransferRow as ShownTransferRow } from '../sessions'
import { toTransaction } from '../sessions'

/** The whole stored row; the part the API shows is the sessions module's `TransferRow`. */
export interface TransferRow extends ShownTransferRow {
  id: number
  block_hash: string
  session_seq: number | null
  option_id: number | null
  seen_at: number
}

export interface TransferListFilter {
  unmatched?: boolean
  limit?: number
  /** Opaque cursor: the `chain_id:tx_hash:log_index` of the last transfer of the previous page. */
  before?: string
}

/** Money sent to this shop in one mode, newest first: its sessions' payments and the transfers nobody claimed. */
export function listTransfers(db: Db, scope: { merchantId: string; livemode: boolean }, filter: TransferListFilter): Transfer[] {
  // Its form (limit 1-500, cursor shape) is checked by the channel's schema.
  const limit = filter.limit ?? 50
  let beforeId = Number.MAX_SAFE_INTEGER
  if (filter.before !== undefined) {
    const [chain, hash, index] = filter.before.split(':')
    const row = get<{ id: number }>(
      db,
      'SELECT id FROM transfers WHERE chain_id = ? AND tx_hash = ? AND log_index = ?',
      Number(chain),
      (hash ?? '').toLowerCase(),
      Number(index),
    )
    if (!row) throw invalid('parameter_invalid', 'before: no such transfer (expected chain_id:tx_hash:log_index)', 'before')
    beforeId = row.id
  }
  const merchant = get<{ receive_address: string | null }>(db, 'SELECT receive_address FROM merchants WHERE id = ?', scope.merchantId)
  if (!merchant) throw notFound(`no merchant "${scope.merchantId}"`)
  // Only this mode's networks, and only money sent to this shop: its sessions, its address, any address it was paid at
  // (xpub children, an address it used before); `active = 1 OR active = 0` reads both hold indexes.
  const rows = all<TransferRow & { session_id: string | null }>(
    db,
    `SELECT t.*, s.id AS session_id FROM transfers t
     JOIN chains c ON c.chain_id = t.chain_id AND c.testnet = @testnet
     LEFT JOIN sessions s ON s.seq = t.session_seq
     WHERE t.id < @before
       AND (@unmatched = 0 OR (t.session_seq IS NULL AND t.state != 'orphaned'))
       AND (s.merchant_id = @merchant OR (t.session_seq IS NULL AND (t.to_address = @address
            OR EXISTS (SELECT 1 FROM payment_options o JOIN sessions s2 ON s2.seq = o.session_seq
                       WHERE o.chain_id = t.chain_id AND o.token_address = t.token_address AND o.address = t.to_address
                         AND (o.active = 1 OR o.active = 0) AND s2.merchant_id = @merchant))))
     ORDER BY t.id DESC LIMIT @limit`,
    {
      testnet: scope.livemode ? 0 : 1,
      before: beforeId,
      unmatched: filter.unmatched ? 1 : 0,
      merchant: scope.merchantId,
      address: merchant.receive_address ?? '',
      limit,
    },
  )
  return rows.map((r) => toTransfer(r, r.session_id))
}

export function transferById(db: Db, id: number): Transfer {
  const row = get<TransferRow & { session_id: string | null }>(
    db,
    'SELECT t.*, s.id AS session_id FROM transfers t LEFT JOIN sessions s ON s.seq = t.session_seq WHERE t.id = ?',
    id,
  )
  if (!row) throw notFound(`no transfer #${id}`)
  return toTransfer(row, row.session_id)
}

function toTransfer(t: TransferRow, sessionId: string | null): Transfer {
  return { ...toTransaction(t), session_id: sessionId }
}

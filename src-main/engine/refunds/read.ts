import type { Refund, RefundFilter, RefundPage, RefundReason, RefundStatus } from '../../../src-preload/contract'
import type { Db } from '../db'
import { all, get, value } from '../db/sql'
import { invalid, notFound } from '../errors'
import { formatBaseUnits } from '../money'
import { buildPaymentUri } from '../receive'
import type { SessionScope } from '../sessions'

export interface RefundRow {
  seq: number
  id: string
  merchant_id: string
  livemode: number
  session_seq: number
  refund_id: string
  chain_id: number
  token_symbol: string
  token_address: string
  decimals: number
  amount: string
  destination: string
  reason: RefundReason
  description: string | null
  metadata: string
  status: RefundStatus
  tx_hash: string | null
  log_index: number | null
  from_address: string | null
  block_number: number | null
  block_hash: string | null
  confirmations: number
  created_at: number
  expires_at: number
  succeeded_at: number | null
  ended_at: number | null
  updated_at: number
}

/** A row with what its shape shows from elsewhere: the session's id, the network's name and confirmations. */
export interface ShownRefundRow extends RefundRow {
  session_id: string
  network: string | null
  required_confirmations: number | null
}

const SHOWN = `SELECT r.*, s.id AS session_id, c.name AS network, c.confirmations AS required_confirmations
  FROM refunds r JOIN sessions s ON s.seq = r.session_seq LEFT JOIN chains c ON c.chain_id = r.chain_id`

export function refundRowBySeq(db: Db, seq: number): ShownRefundRow | undefined {
  return get<ShownRefundRow>(db, `${SHOWN} WHERE r.seq = ?`, seq)
}

export function refundRowById(db: Db, id: string): ShownRefundRow | undefined {
  return get<ShownRefundRow>(db, `${SHOWN} WHERE r.id = ?`, id)
}

/** A refund as its merchant (in the caller's mode) may see it; anyone else, a test key asking for a live one included, gets 404. */
export function scopedRefund(db: Db, id: string, scope: SessionScope): ShownRefundRow {
  const row = refundRowById(db, id)
  if (!row || row.merchant_id !== scope.merchantId || (scope.livemode !== undefined && (row.livemode === 1) !== scope.livemode))
    throw notFound(`no refund "${id}"`, 'id')
  return row
}

/** A refund as the REST API, the webhooks and the screens show it. */
export function toRefund(row: ShownRefundRow): Refund {
  const amount = BigInt(row.amount)
  return {
    id: row.id,
    object: 'refund',
    livemode: row.livemode === 1,
    merchant_id: row.merchant_id,
    session_id: row.session_id,
    refund_id: row.refund_id,
    amount: formatBaseUnits(amount, row.decimals),
    amount_base_units: row.amount,
    token: row.token_symbol,
    token_address: row.token_address,
    decimals: row.decimals,
    chain_id: row.chain_id,
    network: row.network ?? `Chain ${row.chain_id}`,
    destination: row.destination,
    reason: row.reason,
    description: row.description,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    status: row.status,
    tx_hash: row.tx_hash,
    from: row.from_address,
    confirmations: row.confirmations,
    required_confirmations: row.required_confirmations ?? 1,
    payment_uri: buildPaymentUri({
      chainId: row.chain_id,
      tokenAddress: row.token_address,
      to: row.destination,
      amountBaseUnits: amount,
    }),
    created_at: row.created_at,
    expires_at: row.expires_at,
    succeeded_at: row.succeeded_at,
    ended_at: row.ended_at,
  }
}

/**
 * The WHERE terms (on `r`, the refunds table) of one merchant's refunds in one
 * mode, of one session and/or in one status: the same set for the list and
 * the CSV export.
 */
export function refundFilterSql(
  scope: SessionScope,
  filter: Pick<RefundFilter, 'session_id' | 'status'>,
): { where: string[]; params: Record<string, unknown> } {
  const where = ['r.merchant_id = @merchant']
  const params: Record<string, unknown> = { merchant: scope.merchantId }
  if (scope.livemode !== undefined) {
    where.push('r.livemode = @livemode')
    params.livemode = scope.livemode ? 1 : 0
  }
  if (filter.session_id !== undefined) {
    // An unknown (or someone else's) session simply has no refunds: an empty page, as for any filter.
    where.push('r.session_seq = (SELECT seq FROM sessions WHERE id = @session)')
    params.session = filter.session_id
  }
  if (filter.status !== undefined) {
    where.push('r.status = @status')
    params.status = filter.status
  }
  return { where, params }
}

/** Newest first, cursor-paged by `starting_after` (a refund id), for one merchant in one mode. */
export function listRefunds(db: Db, scope: SessionScope, filter: RefundFilter): RefundPage {
  const limit = filter.limit ?? 20
  const { where, params } = refundFilterSql(scope, filter)
  params.limit = limit + 1
  if (filter.starting_after !== undefined) {
    const cursor = refundRowById(db, filter.starting_after)
    if (!cursor || cursor.merchant_id !== scope.merchantId)
      throw invalid('parameter_invalid', `starting_after: no refund "${filter.starting_after}"`, 'starting_after')
    where.push('(r.created_at < @cursorAt OR (r.created_at = @cursorAt AND r.seq < @cursorSeq))')
    params.cursorAt = cursor.created_at
    params.cursorSeq = cursor.seq
  }
  const rows = all<ShownRefundRow>(db, `${SHOWN} WHERE ${where.join(' AND ')} ORDER BY r.created_at DESC, r.seq DESC LIMIT @limit`, params)
  const hasMore = rows.length > limit
  const page = rows.slice(0, limit)
  return { data: page.map(toRefund), has_more: hasMore, next_cursor: hasMore ? (page[page.length - 1]?.id ?? null) : null }
}

/**
 * Whether `address` is one of the merchant's own: its receiving address, or an
 * xpub child it derived for a sale (indexed by address). A refund never goes to
 * one, and only a transfer from one pays a refund.
 */
export function isShopAddress(db: Db, merchantId: string, address: string): boolean {
  return (
    value(
      db,
      `SELECT 1 FROM merchants WHERE id = @merchant AND receive_address = @address COLLATE NOCASE
       UNION ALL
       SELECT 1 FROM payment_options o JOIN sessions s ON s.seq = o.session_seq
        WHERE o.address = @address COLLATE NOCASE AND o.child_index IS NOT NULL AND s.merchant_id = @merchant
       LIMIT 1`,
      { merchant: merchantId, address },
    ) !== undefined
  )
}

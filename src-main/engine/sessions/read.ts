import type {
  PaymentOption,
  PaymentSession,
  SessionException,
  SessionFilter,
  SessionPage,
  SessionStatus,
  SessionTransaction,
  TimelineEntry,
} from '../../../src-preload/contract'
import type { Db } from '../db'
import { all, get } from '../db/sql'
import { invalid, notFound } from '../errors'
import type { CurrencyCode } from '../money'
import { formatBaseUnits, formatMinor } from '../money'
import { buildPaymentUri } from '../receive'
import type { SessionScope } from './filter'
import { parseSessionFilter, sessionFilterSql } from './filter'
import { OPEN_STATUSES } from './stateMachine'
import type { IncomingPayments } from '../watcher/pending/incoming'
import { paymentUrl, receiptUrl } from '../receipts/origin'

export interface SessionRow {
  seq: number
  id: string
  merchant_id: string
  livemode: number
  order_id: string
  amount_minor: number
  currency: string
  metadata: string
  status: SessionStatus
  created_at: number
  expires_at: number
  ended_at: number | null
  exchange_rate: string | null
  rate_locked_at: number | null
  usd_cents: number
  paid_option_id: number | null
  amount_due: string | null
  amount_paid: string
  confirmations: number
  required_confirmations: number
  exceptions: string
  ever_processing: number
  completed_at: number | null
  updated_at: number
  till_id: string
  /** JSON of StoredLineItem[] ('[]' for a keypad sale). */
  line_items: string
  tax_minor: number
  shipping_minor: number
  tip_minor: number
  discount_minor: number
  success_url: string | null
  cancel_url: string | null
}

/** A line as stored: its unit price in minor units as text (exact at any size); its amount is computed on read. */
export interface StoredLineItem {
  name: string
  description: string | null
  unit_minor: string
  quantity: number
  product_id: string | null
}

export interface OptionRow {
  id: number
  session_seq: number
  kind: 'payment' | 'remainder'
  chain_id: number
  token_symbol: string
  token_address: string
  decimals: number
  address: string
  child_index: number | null
  base_amount: string
  suffix: number
  amount: string
  held_until: number | null
  active: number
  network?: string
}

export interface TransferRow {
  chain_id: number
  tx_hash: string
  log_index: number
  token_symbol: string
  token_address: string
  from_address: string
  to_address: string
  amount: string
  block_number: number
  block_timestamp: number
  confirmations: number
  state: 'pending' | 'confirmed' | 'orphaned'
}

export function rowBySeq(db: Db, seq: number): SessionRow | undefined {
  return get<SessionRow>(db, 'SELECT * FROM sessions WHERE seq = ?', seq)
}

export function rowById(db: Db, id: string): SessionRow | undefined {
  return get<SessionRow>(db, 'SELECT * FROM sessions WHERE id = ?', id)
}

/** A session as its merchant (and mode, when given) may see it; anyone else gets 404. */
export function scopedRow(db: Db, id: string, scope: SessionScope): SessionRow {
  const row = typeof id === 'string' ? rowById(db, id) : undefined
  if (!row || row.merchant_id !== scope.merchantId || (scope.livemode !== undefined && (row.livemode === 1) !== scope.livemode))
    throw notFound(`no payment session "${String(id)}"`, 'id')
  return row
}

/** A session's payment options and remainder QRs, oldest first, with their network's name. */
export function optionsOf(db: Db, seq: number): OptionRow[] {
  return all<OptionRow>(
    db,
    'SELECT o.*, c.name AS network FROM payment_options o LEFT JOIN chains c USING (chain_id) WHERE o.session_seq = ? ORDER BY o.id',
    seq,
  )
}

export function timeline(db: Db, id: string, scope: SessionScope): TimelineEntry[] {
  const row = scopedRow(db, id, scope)
  // The first step is not stored: every session starts PENDING at its created_at.
  const created: TimelineEntry = { at: row.created_at, from_status: null, to_status: 'PENDING', reason: 'created' }
  const changes = all<TimelineEntry>(
    db,
    'SELECT at, from_status, to_status, reason FROM session_timeline WHERE session_seq = ? ORDER BY id',
    row.seq,
  )
  return [created, ...changes]
}

/** Newest first, cursor-paged by `starting_after` (a session id). */
export function listSessions(db: Db, scope: SessionScope, input: SessionFilter): SessionPage {
  const raw = (input ?? {}) as SessionFilter
  // The limit's range (1-100) is checked by the request schemas; the cursor needs stored data, so it is checked here.
  const limit = raw.limit ?? 20
  // The same filtered set as the totals bar and the CSV (filter.ts); a list adds only the page.
  const { where, params } = sessionFilterSql(scope, parseSessionFilter({ ...raw, limit: undefined, starting_after: undefined }))
  const conditions = [where]
  params.limit = limit + 1
  if (raw.starting_after !== undefined) {
    const cursor = typeof raw.starting_after === 'string' ? rowById(db, raw.starting_after) : undefined
    if (!cursor || cursor.merchant_id !== scope.merchantId)
      throw invalid('parameter_invalid', `starting_after: no payment session "${String(raw.starting_after)}"`, 'starting_after')
    conditions.push('(s.created_at < @cursorAt OR (s.created_at = @cursorAt AND s.seq < @cursorSeq))')
    params.cursorAt = cursor.created_at
    params.cursorSeq = cursor.seq
  }
  const rows = all<SessionRow>(
    db,
    `SELECT s.* FROM sessions s WHERE ${conditions.join(' AND ')} ORDER BY s.created_at DESC, s.seq DESC LIMIT @limit`,
    params,
  )
  const hasMore = rows.length > limit
  const page = rows.slice(0, limit)
  return {
    data: toObjects(db, page),
    has_more: hasMore,
    next_cursor: hasMore ? (page[page.length - 1]?.id ?? null) : null,
  }
}

/** What a session's shape shows of its refunds (#11). */
export interface SessionRefundRow {
  session_seq: number
  id: string
  status: string
  chain_id: number
  token_address: string
  amount: string
}

function refundsOfSession(db: Db, seq: number): SessionRefundRow[] {
  return all<SessionRefundRow>(
    db,
    'SELECT session_seq, id, status, chain_id, token_address, amount FROM refunds WHERE session_seq = ? ORDER BY seq',
    seq,
  )
}

/** Many sessions with three queries in all (options, transfers, refunds), not three per session. */
export function toObjects(db: Db, rows: SessionRow[]): PaymentSession[] {
  if (rows.length === 0) return []
  const seqs = JSON.stringify(rows.map((r) => r.seq))
  const options = groupBySession(
    all<OptionRow>(
      db,
      `SELECT o.*, c.name AS network FROM payment_options o LEFT JOIN chains c ON c.chain_id = o.chain_id
       WHERE o.session_seq IN (SELECT value FROM json_each(?)) ORDER BY o.id`,
      seqs,
    ),
  )
  const transfers = groupBySession(
    all<TransferRow & { session_seq: number }>(
      db,
      'SELECT * FROM transfers WHERE session_seq IN (SELECT value FROM json_each(?)) ORDER BY block_number, log_index',
      seqs,
    ),
  )
  const refunds = groupBySession(
    all<SessionRefundRow>(
      db,
      `SELECT session_seq, id, status, chain_id, token_address, amount FROM refunds
       WHERE session_seq IN (SELECT value FROM json_each(?)) ORDER BY seq`,
      seqs,
    ),
  )
  return rows.map((r) => toObject(db, r, options.get(r.seq) ?? [], transfers.get(r.seq) ?? [], refunds.get(r.seq) ?? []))
}

/** Rows grouped by the session they belong to, in their order. */
export function groupBySession<T extends { session_seq: number }>(rows: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>()
  for (const row of rows) {
    const list = map.get(row.session_seq)
    if (list) list.push(row)
    else map.set(row.session_seq, [row])
  }
  return map
}

/** The part of "payment incoming" (watcher/pending) a session's shape shows. */
export type IncomingView = Pick<IncomingPayments, 'of' | 'droppedOf'>

// What the watcher saw in the transaction pool is memory, not rows: it is kept beside the shop's connection,
// the way sql.ts keeps its statements, so every place that shapes a session shows it.
const incomingByDb = new WeakMap<Db, IncomingView>()

export function showIncoming(db: Db, view: IncomingView): void {
  incomingByDb.set(db, view)
}

/** A session as the REST API and the UI show it. */
export function toObject(
  db: Db,
  row: SessionRow,
  options: OptionRow[] = optionsOf(db, row.seq),
  transfers?: TransferRow[],
  refunds: SessionRefundRow[] = refundsOfSession(db, row.seq),
): PaymentSession {
  const payment = options.filter((o) => o.kind === 'payment').map(toOption)
  const remainders = options.filter((o) => o.kind === 'remainder' && o.active === 1)
  const lastRemainder = remainders[remainders.length - 1]
  transfers ??= all<TransferRow>(db, 'SELECT * FROM transfers WHERE session_seq = ? ORDER BY block_number, log_index', row.seq)
  const due = row.amount_due !== null ? BigInt(row.amount_due) : BigInt(options[0]?.amount ?? '0')
  const paid = BigInt(row.amount_paid)
  const remaining = due > paid ? due - paid : 0n
  const exceptions = JSON.parse(row.exceptions) as SessionException[]
  return {
    id: row.id,
    object: 'payment_session',
    status: row.status,
    livemode: row.livemode === 1,
    merchant_id: row.merchant_id,
    order_id: row.order_id,
    amount: formatMinor(BigInt(row.amount_minor), row.currency as Parameters<typeof formatMinor>[1]),
    currency: row.currency,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    created_at: row.created_at,
    expires_at: row.expires_at,
    exchange_rate: row.exchange_rate,
    rate_locked_at: row.rate_locked_at,
    amount_usd: formatMinor(BigInt(row.usd_cents), 'USD'),
    payment_options: payment,
    remainder_option: lastRemainder && remaining > 0n && OPEN_STATUSES.includes(row.status) ? toOption(lastRemainder) : null,
    amount_paid_base_units: paid.toString(),
    amount_remaining_base_units: remaining.toString(),
    confirmations: row.confirmations,
    required_confirmations: row.required_confirmations,
    transactions: transfers.map(toTransaction),
    exceptions,
    completed_at: row.completed_at,
    pending_tx: incomingByDb.get(db)?.of(row) ?? null,
    pending_tx_dropped: incomingByDb.get(db)?.droppedOf(row) ?? null,
    receipt_url: row.status === 'COMPLETED' ? receiptUrl(db, row.id) : null,
    amount_refunded: amountRefunded(options, row.paid_option_id, refunds),
    refunds: refunds.map((r) => r.id),
    till: row.till_id,
    ...composition(row),
    payment_url: paymentUrl(db, row.id),
    success_url: row.success_url,
    cancel_url: row.cancel_url,
  }
}

/** The lines and the non-goods parts of a sale's amount, in its currency's decimals. */
function composition(row: SessionRow): Pick<PaymentSession, 'line_items' | 'tax_amount' | 'shipping_amount' | 'tip_amount' | 'discount_amount'> {
  const currency = row.currency as CurrencyCode
  const money = (minor: number | bigint) => formatMinor(BigInt(minor), currency)
  const lines = JSON.parse(row.line_items) as StoredLineItem[]
  return {
    line_items: lines.map((l) => ({
      name: l.name,
      description: l.description,
      unit_amount: money(BigInt(l.unit_minor)),
      quantity: l.quantity,
      amount: money(BigInt(l.unit_minor) * BigInt(l.quantity)),
      product_id: l.product_id,
    })),
    tax_amount: money(row.tax_minor),
    shipping_amount: money(row.shipping_minor),
    tip_amount: money(row.tip_minor),
    discount_amount: money(row.discount_minor),
  }
}

/** The succeeded refunds' total in the token the sale was paid in ("0" when none). */
function amountRefunded(options: OptionRow[], paidOptionId: number | null, refunds: SessionRefundRow[]): string {
  const paid = options.find((o) => o.id === paidOptionId)
  if (!paid) return '0'
  let total = 0n
  for (const r of refunds)
    if (r.status === 'succeeded' && r.chain_id === paid.chain_id && r.token_address === paid.token_address) total += BigInt(r.amount)
  return total === 0n ? '0' : formatBaseUnits(total, paid.decimals)
}

function toOption(o: OptionRow): PaymentOption {
  const amount = BigInt(o.amount)
  return {
    chain_id: o.chain_id,
    network: o.network ?? `Chain ${o.chain_id}`,
    token: o.token_symbol,
    token_address: o.token_address,
    decimals: o.decimals,
    address: o.address,
    amount: formatBaseUnits(amount, o.decimals),
    amount_base_units: o.amount,
    payment_uri: buildPaymentUri({ chainId: o.chain_id, tokenAddress: o.token_address, to: o.address, amountBaseUnits: amount }),
  }
}

/** A stored transfer as the API shows it on a session (and, with its session id, in the transfers list). */
export function toTransaction(t: TransferRow): SessionTransaction {
  return {
    chain_id: t.chain_id,
    tx_hash: t.tx_hash,
    log_index: t.log_index,
    token: t.token_symbol,
    token_address: t.token_address,
    from: t.from_address,
    to: t.to_address,
    amount_base_units: t.amount,
    block_number: t.block_number,
    block_timestamp: t.block_timestamp,
    confirmations: t.confirmations,
    state: t.state,
  }
}

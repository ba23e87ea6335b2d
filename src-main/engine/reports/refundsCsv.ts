import type { Writable } from 'node:stream'
import type { RefundFilter } from '../../../src-preload/contract'
import { safeTimeZone, shopDateTime } from '../../../src-preload/shared/time'
import type { Engine } from '..'
import { all, value } from '../db/sql'
import type { ShownRefundRow } from '../refunds'
import { toRefund } from '../refunds'
import type { SessionScope } from '../sessions'
import { CSV_PAGE_ROWS, csvRow, UTF8_BOM, watchSink, write } from './csv'
import { exportCsvToFile } from './file'

/** One row per refund, in the shop's words. */
export const REFUNDS_CSV_COLUMNS = [
  'created',
  'refund id',
  'merchant refund id',
  'session id',
  'order id',
  'status',
  'amount',
  'token',
  'network',
  'destination',
  'reason',
  'description',
  'tx hash',
  'paid from',
  'succeeded',
] as const

export const REFUNDS_CSV_HEADER = UTF8_BOM + csvRow(REFUNDS_CSV_COLUMNS)

/**
 * Streams the merchant's refunds (optionally of one session, or in one status)
 * as CSV, newest first, a page of SQL at a time, like the sales export
 * (csv.ts): same BOM, quoting and formula guard, same backpressure. Resolves
 * with the rows written, `complete: false` when the sink went away early.
 */
export async function writeRefundsCsv(
  engine: Engine,
  scope: SessionScope,
  filter: Pick<RefundFilter, 'session_id' | 'status'>,
  sink: Writable,
  options: { pageRows?: number } = {},
): Promise<{ rows: number; complete: boolean }> {
  const pageRows = options.pageRows ?? CSV_PAGE_ROWS
  const timeZone = safeTimeZone(engine.merchants.get(scope.merchantId).time_zone)
  const where = ['r.merchant_id = @merchant']
  const params: Record<string, unknown> = { merchant: scope.merchantId }
  if (scope.livemode !== undefined) {
    where.push('r.livemode = @livemode')
    params.livemode = scope.livemode ? 1 : 0
  }
  if (filter.session_id !== undefined) {
    where.push('r.session_seq = (SELECT seq FROM sessions WHERE id = @session)')
    params.session = filter.session_id
  }
  if (filter.status !== undefined) {
    where.push('r.status = @status')
    params.status = filter.status
  }
  const newest = value<number | null>(engine.db, 'SELECT max(seq) FROM refunds') ?? 0
  const page = (beforeAt: number, beforeSeq: number) =>
    all<ShownRefundRow & { order_id: string }>(
      engine.db,
      `SELECT r.*, s.id AS session_id, s.order_id, c.name AS network, c.confirmations AS required_confirmations
         FROM refunds r JOIN sessions s ON s.seq = r.session_seq LEFT JOIN chains c ON c.chain_id = r.chain_id
        WHERE ${where.join(' AND ')} AND r.seq <= @newest AND (r.created_at < @beforeAt OR (r.created_at = @beforeAt AND r.seq < @beforeSeq))
        ORDER BY r.created_at DESC, r.seq DESC LIMIT @pageRows`,
      { ...params, newest, beforeAt, beforeSeq, pageRows },
    )
  const closed = watchSink(sink)
  let rows = 0
  const stopped = () => {
    const error = closed.error()
    if (error) throw error
    return { rows, complete: false }
  }
  try {
    if (!(await write(sink, REFUNDS_CSV_HEADER, closed))) return stopped()
    let beforeAt = Number.MAX_SAFE_INTEGER
    let beforeSeq = Number.MAX_SAFE_INTEGER
    for (;;) {
      const refunds = page(beforeAt, beforeSeq)
      if (refunds.length === 0) break
      let chunk = ''
      for (const row of refunds) {
        const r = toRefund(row)
        chunk += csvRow([
          shopDateTime(r.created_at, timeZone),
          r.id,
          r.refund_id,
          r.session_id,
          row.order_id,
          r.status,
          r.amount,
          r.token,
          r.network,
          r.destination,
          r.reason,
          r.description ?? '',
          r.tx_hash ?? '',
          r.from ?? '',
          r.succeeded_at === null ? '' : shopDateTime(r.succeeded_at, timeZone),
        ])
      }
      rows += refunds.length
      const last = refunds[refunds.length - 1]!
      beforeAt = last.created_at
      beforeSeq = last.seq
      if (!(await write(sink, chunk, closed))) return stopped()
      if (refunds.length < pageRows) break
      await new Promise((resolve) => setImmediate(resolve))
    }
    return { rows, complete: true }
  } finally {
    closed.dispose()
  }
}

/** To a file the owner chose: written under a temporary name and renamed when complete (as the sales export). */
export function exportRefundsCsvToFile(engine: Engine, scope: SessionScope, filter: RefundFilter, path: string): Promise<{ rows: number }> {
  return exportCsvToFile(path, (sink) => writeRefundsCsv(engine, scope, filter, sink))
}

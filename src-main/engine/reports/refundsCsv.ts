import type { Writable } from 'node:stream'
import type { RefundFilter } from '../../../src-preload/contract'
import { safeTimeZone, shopDateTime } from '../../../src-preload/shared/time'
import type { Engine } from '..'
import { all, value } from '../db/sql'
import type { ShownRefundRow } from '../refunds'
import { refundFilterSql, toRefund } from '../refunds'
import type { SessionScope } from '../sessions'
import { CSV_PAGE_ROWS, csvRow, streamPagedCsv, UTF8_BOM } from './csv'
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
  const { where, params } = refundFilterSql(scope, filter)
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
  return streamPagedCsv(sink, REFUNDS_CSV_HEADER, { pageRows, page }, (refunds) =>
    refunds.map((row) => {
      const r = toRefund(row)
      return [
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
      ]
    }),
  )
}

/** To a file the owner chose: written under a temporary name and renamed when complete (as the sales export). */
export function exportRefundsCsvToFile(engine: Engine, scope: SessionScope, filter: RefundFilter, path: string): Promise<{ rows: number }> {
  return exportCsvToFile(path, (sink) => writeRefundsCsv(engine, scope, filter, sink))
}

import type { Writable } from 'node:stream'
import type { SessionStatus } from '../../../src-preload/contract'
import { safeTimeZone, shopDateTime } from '../../../src-preload/shared/time'
import type { Engine } from '..'
import { all, value } from '../db/sql'
import type { CurrencyCode } from '../money'
import { formatMinor } from '../money'
import type { SessionScope, StoredLineItem } from '../sessions'
import { parseSessionFilter, sessionFilterSql } from '../sessions'
import { CSV_PAGE_ROWS, csvRow, UTF8_BOM, watchSink, write } from './csv'
import type { CsvOptions } from './csv'
import { exportCsvToFile } from './file'

/**
 * The line-items export (#17): one row per line of each sale, for what sold.
 * The sale's own figures (amount, discount, tax, tip) are on its first line
 * only, so a spreadsheet's column sums are each sale's once. Keypad sales
 * have no lines and are not in this file (the sales export has every sale).
 */
export const LINE_ITEMS_CSV_COLUMNS = [
  'created',
  'session id',
  'order id',
  'status',
  'currency',
  'line',
  'name',
  'product id',
  'unit amount',
  'quantity',
  'line amount',
  'sale discount',
  'sale tax',
  'sale tip',
  'sale amount',
] as const

export const LINE_ITEMS_CSV_HEADER = UTF8_BOM + csvRow(LINE_ITEMS_CSV_COLUMNS)

interface Row {
  seq: number
  id: string
  order_id: string
  status: SessionStatus
  currency: string
  created_at: number
  amount_minor: number
  line_items: string
  discount_minor: number
  tax_minor: number
  tip_minor: number
}

/** Streams the filtered sales' lines, newest sale first (as History lists them), a page of SQL at a time. */
export async function writeLineItemsCsv(
  engine: Engine,
  scope: SessionScope,
  rawFilter: unknown,
  sink: Writable,
  options: CsvOptions = {},
): Promise<{ rows: number; complete: boolean }> {
  const filter = parseSessionFilter(rawFilter)
  const pageRows = options.pageRows ?? CSV_PAGE_ROWS
  const timeZone = safeTimeZone(engine.merchants.get(scope.merchantId).time_zone)
  const { where, params } = sessionFilterSql(scope, filter)
  const newest = value<number | null>(engine.db, 'SELECT max(seq) FROM sessions') ?? 0
  const page = (beforeAt: number, beforeSeq: number) =>
    all<Row>(
      engine.db,
      `SELECT s.seq, s.id, s.order_id, s.status, s.currency, s.created_at, s.amount_minor, s.line_items, s.discount_minor, s.tax_minor, s.tip_minor
         FROM sessions s WHERE ${where} AND s.seq <= @newest AND s.line_items != '[]'
          AND (s.created_at < @beforeAt OR (s.created_at = @beforeAt AND s.seq < @beforeSeq))
        ORDER BY s.created_at DESC, s.seq DESC LIMIT @pageRows`,
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
    if (!(await write(sink, LINE_ITEMS_CSV_HEADER, closed))) return stopped()
    let beforeAt = Number.MAX_SAFE_INTEGER
    let beforeSeq = Number.MAX_SAFE_INTEGER
    for (;;) {
      const sessions = page(beforeAt, beforeSeq)
      if (sessions.length === 0) break
      let chunk = ''
      for (const s of sessions) {
        const currency = s.currency as CurrencyCode
        const money = (minor: bigint | number) => formatMinor(BigInt(minor), currency)
        const lines = JSON.parse(s.line_items) as StoredLineItem[]
        lines.forEach((l, i) => {
          const first = i === 0
          chunk += csvRow([
            shopDateTime(s.created_at, timeZone),
            s.id,
            s.order_id,
            s.status,
            s.currency,
            String(i + 1),
            l.name,
            l.product_id ?? '',
            money(BigInt(l.unit_minor)),
            String(l.quantity),
            money(BigInt(l.unit_minor) * BigInt(l.quantity)),
            first ? money(s.discount_minor) : '',
            first ? money(s.tax_minor) : '',
            first ? money(s.tip_minor) : '',
            first ? money(s.amount_minor) : '',
          ])
          rows++
        })
      }
      const last = sessions[sessions.length - 1]!
      beforeAt = last.created_at
      beforeSeq = last.seq
      if (!(await write(sink, chunk, closed))) return stopped()
      if (sessions.length < pageRows) break
      await new Promise((resolve) => setImmediate(resolve))
    }
    return { rows, complete: true }
  } finally {
    closed.dispose()
  }
}

export function exportLineItemsCsvToFile(engine: Engine, scope: SessionScope, rawFilter: unknown, path: string): Promise<{ rows: number }> {
  return exportCsvToFile(path, (sink) => writeLineItemsCsv(engine, scope, rawFilter, sink))
}

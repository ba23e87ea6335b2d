import type { Writable } from 'node:stream'
import type { SessionStatus } from '../../../src-preload/contract'
import { shopDateTime } from '../../../src-preload/shared/time'
import type { Engine } from '..'
import type { CurrencyCode } from '../money'
import { formatMinor } from '../money'
import type { SessionScope, StoredLineItem } from '../sessions'
import { csvRow, pagedSales, streamPagedCsv, UTF8_BOM } from './csv'
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
  // Keypad sales have no lines: they are not in this file.
  const { timeZone, pages } = pagedSales<Row>(
    engine,
    scope,
    rawFilter,
    options,
    's.seq, s.id, s.order_id, s.status, s.currency, s.created_at, s.amount_minor, s.line_items, s.discount_minor, s.tax_minor, s.tip_minor',
    " AND s.line_items != '[]'",
  )
  return streamPagedCsv(sink, LINE_ITEMS_CSV_HEADER, pages, (sessions) =>
    sessions.flatMap((s) => {
      const currency = s.currency as CurrencyCode
      const money = (minor: bigint | number) => formatMinor(BigInt(minor), currency)
      const lines = JSON.parse(s.line_items) as StoredLineItem[]
      return lines.map((l, i) => {
        const first = i === 0
        return [
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
        ]
      })
    }),
  )
}

export function exportLineItemsCsvToFile(engine: Engine, scope: SessionScope, rawFilter: unknown, path: string): Promise<{ rows: number }> {
  return exportCsvToFile(path, (sink) => writeLineItemsCsv(engine, scope, rawFilter, sink))
}

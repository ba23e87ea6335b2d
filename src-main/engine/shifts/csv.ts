import type { EndOfDayReport } from '../../../src-preload/contract'
import { shopDateTime } from '../../../src-preload/shared/time'
import { csvRow, UTF8_BOM } from '../reports/csv'

/**
 * The end-of-day report as one CSV table (UTF-8 with BOM, RFC 4180, the sales export's formula guard): one row per
 * line of the report, its `section` saying which (total, token, product, cancelled, expired, underpaid, reversed,
 * unmatched), so a spreadsheet filters it. Money is in the price currency, token amounts in the token.
 */
export const END_OF_DAY_CSV_COLUMNS = [
  'section',
  'till',
  'from',
  'to',
  'currency',
  'network',
  'token',
  'product id',
  'product',
  'count',
  'quantity',
  'gross',
  'tips',
  'tax',
  'refunds',
  'net',
  'token received',
  'token refunded',
  'token net',
  'session id',
  'order id',
  'tx hash',
] as const

type Column = (typeof END_OF_DAY_CSV_COLUMNS)[number]

export function endOfDayCsv(report: EndOfDayReport): string {
  const from = shopDateTime(report.from, report.time_zone)
  const to = shopDateTime(report.to, report.time_zone)
  const row = (cells: Partial<Record<Column, string | number | null>>) =>
    csvRow(
      END_OF_DAY_CSV_COLUMNS.map((c) => (c === 'till' ? report.till_name : c === 'from' ? from : c === 'to' ? to : String(cells[c] ?? ''))),
    )
  let out = UTF8_BOM + csvRow(END_OF_DAY_CSV_COLUMNS)
  for (const t of report.totals)
    out += row({
      section: 'total',
      currency: t.currency,
      count: t.sales,
      gross: t.gross,
      tips: t.tips,
      tax: t.tax,
      refunds: t.refunds,
      net: t.net,
    })
  for (const t of report.by_token)
    out += row({
      section: 'token',
      currency: t.currency,
      network: t.network,
      token: t.token,
      count: t.sales,
      gross: t.gross,
      tips: t.tips,
      tax: t.tax,
      refunds: t.refunds,
      'token received': t.received,
      'token refunded': t.refunded,
      'token net': t.net,
    })
  for (const p of report.by_product)
    out += row({
      section: 'product',
      currency: p.currency,
      'product id': p.product_id,
      product: p.name,
      quantity: p.quantity,
      gross: p.amount,
    })
  out += row({ section: 'cancelled', count: report.cancelled })
  out += row({ section: 'expired', count: report.expired })
  for (const e of report.exceptions)
    out += row({
      section: e.kind,
      currency: e.currency,
      token: e.token,
      gross: e.currency ? e.amount : null,
      'token received': e.currency ? null : e.amount,
      'session id': e.session_id,
      'order id': e.order_id,
      'tx hash': e.tx_hash,
    })
  return out
}

/**
 * The end-of-day report (#17): a till's day in the shop's time zone, or a
 * shift at that till. Sales count by their creation in the period (as the
 * History list and its totals do); refunds by their success in the period,
 * of this till's sales (a refund given today of yesterday's sale is today's
 * money going out). All sums are exact: minor units of the price currency
 * and token base units, as bigints.
 *
 * - counted sales: COMPLETED and not reversed (a reorg took a reversed one's
 *   payment back); gross is what they asked for (tips and tax included),
 *   tips and tax their own lines of it; net = gross - refunds.
 * - refunds in the price currency: the share of the price the sale's refunds
 *   gave back (reports/totals.ts `refundedMinor`: beyond an overpayment's
 *   excess, pro rata, half up), taken as the difference it made in the period.
 * - by product: the counted sales' line items, per product id (a line with
 *   none per name), quantity and unit × quantity added up.
 * - exceptions: underpaid and reversed sales of the period, and payments no
 *   sale claimed that arrived in it (those have no till: every till's report
 *   lists them).
 */
import type {
  EndOfDayException,
  EndOfDayMoney,
  EndOfDayProductLine,
  EndOfDayReport,
  EndOfDayTokenLine,
  SessionException,
  SessionStatus,
  Shift,
} from '../../../src-preload/contract'
import { safeTimeZone } from '../../../src-preload/shared/time'
import type { Engine } from '..'
import { nowSeconds } from '../clock'
import { all, each } from '../db/sql'
import { formatBaseUnits, formatMinor, isCurrency } from '../money'
import type { StoredLineItem } from '../sessions/read'
import { refundedMinor } from '../reports/totals'

export interface ReportPeriod {
  merchantId: string
  livemode: boolean
  till: string
  tillName: string
  from: number
  to: number
  day: string | null
  shift: Shift | null
}

interface SaleRow {
  seq: number
  id: string
  order_id: string
  status: SessionStatus
  amount_minor: number
  currency: string
  tip_minor: number
  tax_minor: number
  line_items: string
  amount_paid: string
  amount_due: string | null
  exceptions: string
  created_at: number
  chain_id: number | null
  token: string | null
  token_address: string | null
  decimals: number | null
}

interface MoneySum {
  currency: string
  sales: number
  gross: bigint
  tips: bigint
  tax: bigint
  refunds: bigint
}

interface TokenSum extends MoneySum {
  chainId: number
  token: string
  decimals: number
  received: bigint
  refunded: bigint
}

const money = (minor: bigint, currency: string) => (isCurrency(currency) ? formatMinor(minor, currency) : minor.toString())

export function endOfDayReport(engine: Engine, period: ReportPeriod): EndOfDayReport {
  const merchant = engine.merchants.get(period.merchantId)
  const timeZone = safeTimeZone(merchant.time_zone)
  const params = {
    merchant: period.merchantId,
    livemode: period.livemode ? 1 : 0,
    till: period.till,
    from: period.from,
    to: period.to,
  }

  const totals = new Map<string, MoneySum>()
  const tokens = new Map<string, TokenSum>()
  const products = new Map<string, { productId: string | null; name: string; currency: string; quantity: number; minor: bigint }>()
  const exceptions: EndOfDayException[] = []
  let cancelled = 0
  let expired = 0

  const totalOf = (currency: string) => {
    let sum = totals.get(currency)
    if (!sum) totals.set(currency, (sum = { currency, sales: 0, gross: 0n, tips: 0n, tax: 0n, refunds: 0n }))
    return sum
  }
  const tokenOf = (chainId: number, token: string, decimals: number, currency: string) => {
    const key = `${chainId}|${token}|${currency}`
    let sum = tokens.get(key)
    if (!sum)
      tokens.set(
        key,
        (sum = { chainId, token, decimals, currency, sales: 0, gross: 0n, tips: 0n, tax: 0n, refunds: 0n, received: 0n, refunded: 0n }),
      )
    return sum
  }

  const visit = (row: SaleRow) => {
    const flags = JSON.parse(row.exceptions) as SessionException[]
    const attention = (kind: 'underpaid' | 'reversed') =>
      exceptions.push({
        kind,
        session_id: row.id,
        order_id: row.order_id,
        amount: money(BigInt(row.amount_minor), row.currency),
        currency: row.currency,
        token: row.token,
        tx_hash: null,
        at: row.created_at,
      })
    if (flags.includes('underpaid')) attention('underpaid')
    if (flags.includes('reversed')) attention('reversed')
    if (row.status === 'CANCELLED') cancelled++
    if (row.status === 'EXPIRED') expired++
    if (row.status !== 'COMPLETED' || flags.includes('reversed')) return

    const gross = BigInt(row.amount_minor)
    const tips = BigInt(row.tip_minor ?? 0)
    const tax = BigInt(row.tax_minor ?? 0)
    const token = row.chain_id !== null ? tokenOf(row.chain_id, row.token ?? '', row.decimals ?? 0, row.currency) : null
    for (const sum of token ? [totalOf(row.currency), token] : [totalOf(row.currency)]) {
      sum.sales++
      sum.gross += gross
      sum.tips += tips
      sum.tax += tax
    }
    if (token) token.received += BigInt(row.amount_paid)
    // The foundation's stored lines: unit price in minor units (text), quantity, product id or null.
    for (const line of JSON.parse(row.line_items) as StoredLineItem[]) {
      const name = line.name
      const key = `${row.currency}|${line.product_id ? `id:${line.product_id}` : `name:${name}`}`
      const entry = products.get(key)
      const quantity = line.quantity
      const minor = BigInt(line.unit_minor) * BigInt(quantity)
      if (entry) {
        entry.quantity += quantity
        entry.minor += minor
      } else products.set(key, { productId: line.product_id ?? null, name, currency: row.currency, quantity, minor })
    }
  }
  const sales = `SELECT s.seq, s.id, s.order_id, s.status, s.amount_minor, s.currency, s.tip_minor, s.tax_minor, s.line_items, s.amount_paid,
            s.amount_due, s.exceptions, s.created_at, o.chain_id, o.token_symbol AS token, o.token_address, o.decimals
       FROM sessions s LEFT JOIN payment_options o ON o.id = s.paid_option_id
      WHERE s.merchant_id = @merchant AND s.livemode = @livemode AND s.till_id = @till
        AND s.created_at >= @from AND s.created_at < @to
      ORDER BY s.created_at, s.seq`
  for (const row of each<SaleRow>(engine.db, sales, params)) visit(row)

  addRefunds(engine, params, totalOf, tokenOf)

  // Payments nobody's sale claimed, that arrived in the period: they have no till, so every till's report shows them.
  for (const t of all<{
    chain_id: number
    tx_hash: string
    token_symbol: string
    amount: string
    block_timestamp: number
    decimals: number | null
  }>(
    engine.db,
    `SELECT t.chain_id, t.tx_hash, t.token_symbol, t.amount, t.block_timestamp, k.decimals
       FROM transfers t LEFT JOIN tokens k ON k.chain_id = t.chain_id AND k.address = t.token_address
      WHERE t.session_seq IS NULL AND t.state != 'orphaned' AND t.block_timestamp >= @from AND t.block_timestamp < @to
      ORDER BY t.block_timestamp, t.id`,
    { from: period.from, to: period.to },
  ))
    exceptions.push({
      kind: 'unmatched',
      session_id: null,
      order_id: null,
      amount: t.decimals === null ? t.amount : formatBaseUnits(BigInt(t.amount), t.decimals),
      currency: null,
      token: t.token_symbol,
      tx_hash: t.tx_hash,
      at: t.block_timestamp,
    })

  const networkName = (chainId: number) => engine.networks.find(chainId)?.name ?? `Chain ${chainId}`
  const moneyOf = (s: MoneySum): EndOfDayMoney => ({
    currency: s.currency,
    sales: s.sales,
    gross: money(s.gross, s.currency),
    tips: money(s.tips, s.currency),
    tax: money(s.tax, s.currency),
    refunds: money(s.refunds, s.currency),
    net: money(s.gross - s.refunds, s.currency),
  })
  return {
    object: 'end_of_day_report',
    till: period.till,
    till_name: period.tillName,
    day: period.day,
    shift: period.shift,
    from: period.from,
    to: period.to,
    time_zone: timeZone,
    generated_at: nowSeconds(engine.clock),
    livemode: period.livemode,
    totals: [...totals.values()].sort((a, b) => cmp(a.currency, b.currency)).map(moneyOf),
    by_token: [...tokens.values()]
      .sort((a, b) => a.chainId - b.chainId || cmp(a.token, b.token) || cmp(a.currency, b.currency))
      .map((s): EndOfDayTokenLine => ({
        chain_id: s.chainId,
        network: networkName(s.chainId),
        token: s.token,
        decimals: s.decimals,
        ...moneyOf(s),
        received: formatBaseUnits(s.received, s.decimals),
        refunded: formatBaseUnits(s.refunded, s.decimals),
        net: formatBaseUnits(s.received - s.refunded, s.decimals),
      })),
    by_product: [...products.values()]
      .sort((a, b) => (a.minor === b.minor ? cmp(a.name, b.name) : a.minor > b.minor ? -1 : 1))
      .map((p): EndOfDayProductLine => ({
        product_id: p.productId,
        name: p.name,
        currency: p.currency,
        quantity: p.quantity,
        amount: money(p.minor, p.currency),
      })),
    cancelled,
    expired,
    exceptions: exceptions.sort((a, b) => a.at - b.at),
  }
}

/** Refunds that succeeded in the period, of this till's sales, in the token each sale was paid in. */
function addRefunds(
  engine: Engine,
  params: Record<string, unknown>,
  totalOf: (currency: string) => MoneySum,
  tokenOf: (chainId: number, token: string, decimals: number, currency: string) => TokenSum,
): void {
  const rows = all<{
    seq: number
    amount_minor: number
    amount_paid: string
    amount_due: string | null
    currency: string
    chain_id: number
    token: string
    decimals: number
    amount: string
    succeeded_at: number
  }>(
    engine.db,
    `SELECT s.seq, s.amount_minor, s.amount_paid, s.amount_due, s.currency, o.chain_id, o.token_symbol AS token, o.decimals,
            r.amount, r.succeeded_at
       FROM refunds r JOIN sessions s ON s.seq = r.session_seq JOIN payment_options o ON o.id = s.paid_option_id
      WHERE r.status = 'succeeded' AND r.chain_id = o.chain_id AND r.token_address = o.token_address
        AND s.merchant_id = @merchant AND s.livemode = @livemode AND s.till_id = @till
        AND r.succeeded_at IS NOT NULL AND r.succeeded_at < @to
        AND s.seq IN (SELECT r2.session_seq FROM refunds r2 WHERE r2.status = 'succeeded' AND r2.succeeded_at >= @from AND r2.succeeded_at < @to)`,
    params,
  )
  const bySale = new Map<number, { row: (typeof rows)[number]; before: bigint; during: bigint }>()
  for (const row of rows) {
    const entry = bySale.get(row.seq) ?? { row, before: 0n, during: 0n }
    if (row.succeeded_at >= (params.from as number)) entry.during += BigInt(row.amount)
    else entry.before += BigInt(row.amount)
    bySale.set(row.seq, entry)
  }
  for (const { row, before, during } of bySale.values()) {
    const price = BigInt(row.amount_minor)
    const paid = BigInt(row.amount_paid)
    const due = BigInt(row.amount_due ?? row.amount_paid)
    // The price given back in the period: what all refunds so far give back, less what the earlier ones had.
    const minor = refundedMinor(price, paid, due, before + during) - refundedMinor(price, paid, due, before)
    totalOf(row.currency).refunds += minor
    const token = tokenOf(row.chain_id, row.token, row.decimals, row.currency)
    token.refunds += minor
    token.refunded += during
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

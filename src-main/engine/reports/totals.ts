import type { DailyTotal } from '../../../src-preload/contract'
import { safeTimeZone, shopDay } from '../../../src-preload/shared/time'
import type { Engine } from '..'
import { all, get } from '../db/sql'
import type { SessionScope } from '../sessions'
import { sessionFilterSql, parseSessionFilter } from '../sessions'

/**
 * Every zone in use today is offset from UTC by a multiple of 15 minutes
 * (+05:45 Nepal, +08:45 Eucla, -09:30 Marquesas) and switches DST on a
 * quarter hour, so a 15-minute bucket never straddles the shop's midnight.
 * SQL sums per bucket; JS names each bucket's local day. A bucket that would
 * straddle (an exotic historical zone) is re-summed by the second.
 */
export const BUCKET_SECONDS = 900

/**
 * Token amounts are TEXT base units (uint256, up to 78 digits): SQLite cannot
 * add them, so each is cut into 12-digit limbs that it can. A limb is below
 * 10^12, so a bucket may hold nine million sessions before a limb sum nears
 * 2^63; 7 limbs cover 84 digits.
 */
const LIMB_DIGITS = 12
const LIMBS = 7
const LIMB_BASE = 10n ** BigInt(LIMB_DIGITS)
// Fiat minor units reach 10^15 per sale; two limbs keep a sum of millions of sales inside 64 bits too.
const MINOR_SPLIT = 1_000_000_000

/** Sums come back as TEXT (the exact 64-bit integer), since a JS number is exact only to 2^53. */
interface BucketRow {
  bucket: number
  chain_id: number
  token: string
  decimals: number
  currency: string
  n: number
  minor_hi: string
  minor_lo: string
  tip: string
  longest: number
  [limb: `l${number}`]: string | null
}

interface Sum {
  day: string
  chainId: number
  token: string
  decimals: number
  currency: string
  baseUnits: bigint
  minor: bigint
  count: number
  refundedBaseUnits: bigint
  refundedMinor: bigint
  tipMinor: bigint
}

/** The SQL condition a COMPLETED sale must also meet to count: its payment was not reversed (exceptions is a JSON array of names). */
export const COUNTED_IN_TOTALS = `instr(s.exceptions, '"reversed"') = 0`

/** How long one SQL slice may hold the event loop: the till and the watcher share this thread. */
const SLICE_TARGET_MS = 20

export interface TotalsOptions {
  /** Yield between slices (default: setImmediate). Tests may count the slices. */
  yieldBetweenSlices?: () => Promise<void>
}

/**
 * Daily takings of the filtered set: COMPLETED sessions (a paid sale) not
 * flagged `reversed` (a reorg took the payment back), per
 * day in the shop's time zone (by creation, like the History list and its
 * date filter), per network and token received and per price currency. Each
 * row is one (day, network, token, currency); the UI adds rows up per token
 * or per currency. `amount_base_units` is what actually arrived (an
 * overpayment included); `amount_minor` is the sales' price.
 *
 * A million sessions take a second or two to add up, so the work is cut into
 * time slices of about 20 ms each, aligned to quarter hours, with the event
 * loop free between them: a payment arriving meanwhile is still seen at once.
 */
export async function sessionTotals(
  engine: Engine,
  scope: SessionScope,
  rawFilter: unknown,
  options: TotalsOptions = {},
): Promise<DailyTotal[]> {
  const filter = parseSessionFilter(rawFilter)
  if (filter.status !== undefined && filter.status !== 'COMPLETED') return []
  const timeZone = safeTimeZone(engine.merchants.get(scope.merchantId).time_zone)
  const filtered = sessionFilterSql(scope, { ...filter, status: 'COMPLETED' })
  const params = filtered.params
  // A reversed sale (a reorg took its payment back) stays COMPLETED but is not revenue until the payment returns.
  const where = `${filtered.where} AND ${COUNTED_IN_TOTALS}`
  const pause = options.yieldBetweenSlices ?? (() => new Promise<void>((resolve) => setImmediate(resolve)))

  const sums = new Map<string, Sum>()
  const dayOf = new Map<number, string>()
  const straddling = new Set<number>()

  const add = (row: BucketRow, day: string) => {
    if (row.longest > LIMB_DIGITS * LIMBS)
      throw new Error(`a paid amount has ${row.longest} digits; totals handle up to ${LIMB_DIGITS * LIMBS}`)
    let baseUnits = 0n
    for (let k = LIMBS - 1; k >= 0; k--) baseUnits = baseUnits * LIMB_BASE + BigInt(row[`l${k}`] ?? 0)
    const minor = BigInt(row.minor_hi) * BigInt(MINOR_SPLIT) + BigInt(row.minor_lo)
    const tip = BigInt(row.tip ?? 0)
    const key = `${day}|${row.chain_id}|${row.token}|${row.decimals}|${row.currency}`
    const sum = sums.get(key)
    if (sum) {
      sum.baseUnits += baseUnits
      sum.minor += minor
      sum.tipMinor += tip
      sum.count += row.n
    } else {
      sums.set(key, {
        day,
        chainId: row.chain_id,
        token: row.token,
        decimals: row.decimals,
        currency: row.currency,
        baseUnits,
        minor,
        count: row.n,
        refundedBaseUnits: 0n,
        refundedMinor: 0n,
        tipMinor: tip,
      })
    }
  }
  const addBuckets = (rows: BucketRow[]) => {
    for (const row of rows) {
      const bucket = row.bucket
      let day = dayOf.get(bucket)
      if (day === undefined) {
        const first = shopDay(bucket * BUCKET_SECONDS, timeZone)
        day = first === shopDay(bucket * BUCKET_SECONDS + BUCKET_SECONDS - 1, timeZone) ? first : ''
        if (day === '') straddling.add(bucket)
        dayOf.set(bucket, day)
      }
      if (day !== '') add(row, day)
    }
  }

  const span = filter.search?.trim() || filter.order_id !== undefined ? null : createdSpan(engine, scope, filter)
  if (span === null) {
    // A search or an order id names a handful of sessions: one query, no slices.
    addBuckets(aggregate(engine, BUCKET_SECONDS, where, params))
  } else {
    let width = 86400
    for (let start = span.from; start < span.to;) {
      const end = Math.min(start + width, span.to)
      const began = performance.now()
      addBuckets(
        aggregate(engine, BUCKET_SECONDS, `${where} AND s.created_at >= @sliceFrom AND s.created_at < @sliceTo`, {
          ...params,
          sliceFrom: start,
          sliceTo: end,
        }),
      )
      const took = performance.now() - began
      start = end
      // Aim the next slice at the target from this one's pace; quarter-hour aligned so a bucket is summed in one slice.
      const scale = Math.min(2, Math.max(0.25, SLICE_TARGET_MS / Math.max(took, 1)))
      width = Math.max(BUCKET_SECONDS, Math.round((width * scale) / BUCKET_SECONDS) * BUCKET_SECONDS)
      if (start < span.to) await pause()
    }
  }
  for (const bucket of straddling) {
    const range = `s.created_at >= @bucketStart AND s.created_at < @bucketEnd`
    const rangeParams = { ...params, bucketStart: bucket * BUCKET_SECONDS, bucketEnd: (bucket + 1) * BUCKET_SECONDS }
    for (const row of aggregate(engine, 1, `${where} AND ${range}`, rangeParams)) add(row, shopDay(row.bucket, timeZone))
  }

  addRefunds(engine, where, params, timeZone, sums)

  return [...sums.values()]
    .sort(
      (a, b) =>
        (a.day < b.day ? 1 : a.day > b.day ? -1 : 0) || a.chainId - b.chainId || cmp(a.token, b.token) || cmp(a.currency, b.currency),
    )
    .map((s) => ({
      day: s.day,
      token: s.token,
      chain_id: s.chainId,
      amount_base_units: s.baseUnits.toString(),
      decimals: s.decimals,
      currency: s.currency,
      amount_minor: s.minor.toString(),
      count: s.count,
      refunded_base_units: s.refundedBaseUnits.toString(),
      refunded_minor: s.refundedMinor.toString(),
      net_base_units: (s.baseUnits - s.refundedBaseUnits).toString(),
      net_minor: (s.minor - s.refundedMinor).toString(),
      tip_minor: s.tipMinor.toString(),
    }))
}

/**
 * Refunds (#11) of the counted sales, on each sale's own row (its day, network,
 * token, currency), so that gross − refunded = net line by line. Only succeeded
 * refunds in the token the sale was paid in count. In the price currency, a
 * refund first gives back the overpayment's excess (which was never part of the
 * price), then the price, pro rata (half up). Refunds are few: one query over
 * them, joined to the filtered sales.
 */
function addRefunds(engine: Engine, where: string, params: Record<string, unknown>, timeZone: string, sums: Map<string, Sum>): void {
  const rows = all<{
    seq: number
    created_at: number
    amount_minor: number
    amount_paid: string
    amount_due: string | null
    currency: string
    chain_id: number
    token: string
    decimals: number
    amount: string
  }>(
    engine.db,
    `SELECT s.seq, s.created_at, s.amount_minor, s.amount_paid, s.amount_due, s.currency, o.chain_id, o.token_symbol AS token, o.decimals,
            r.amount
       FROM refunds r JOIN sessions s ON s.seq = r.session_seq JOIN payment_options o ON o.id = s.paid_option_id
      WHERE r.status = 'succeeded' AND r.chain_id = o.chain_id AND r.token_address = o.token_address AND ${where}`,
    params,
  )
  const bySession = new Map<number, { row: (typeof rows)[number]; refunded: bigint }>()
  for (const row of rows) {
    const entry = bySession.get(row.seq)
    if (entry) entry.refunded += BigInt(row.amount)
    else bySession.set(row.seq, { row, refunded: BigInt(row.amount) })
  }
  for (const { row, refunded } of bySession.values()) {
    const key = `${shopDay(row.created_at, timeZone)}|${row.chain_id}|${row.token}|${row.decimals}|${row.currency}`
    const sum = sums.get(key)
    if (!sum) continue
    sum.refundedBaseUnits += refunded
    sum.refundedMinor += refundedMinor(
      BigInt(row.amount_minor),
      BigInt(row.amount_paid),
      BigInt(row.amount_due ?? row.amount_paid),
      refunded,
    )
  }
}

/** The price (minor units) a refund gives back: beyond the overpaid excess, in proportion to what was due, half up. */
export function refundedMinor(priceMinor: bigint, paid: bigint, due: bigint, refunded: bigint): bigint {
  if (due <= 0n) return 0n
  const excess = paid > due ? paid - due : 0n
  let ofPrice = refunded > excess ? refunded - excess : 0n
  if (ofPrice > due) ofPrice = due
  return (priceMinor * ofPrice * 2n + due) / (2n * due)
}

/**
 * The creation times the set can span, quarter-hour aligned: the merchant's
 * oldest and newest session (two index seeks) narrowed by the date filter;
 * empty (from = to) when there is nothing to add up.
 */
function createdSpan(
  engine: Engine,
  scope: SessionScope,
  filter: { created_gte?: number; created_lt?: number },
): { from: number; to: number } {
  const mode = scope.livemode === undefined ? '' : ' AND livemode = @livemode'
  const edge = (order: 'ASC' | 'DESC') =>
    get<{ created_at: number }>(
      engine.db,
      `SELECT created_at FROM sessions WHERE merchant_id = @merchant${mode} ORDER BY created_at ${order} LIMIT 1`,
      {
        merchant: scope.merchantId,
        ...(scope.livemode === undefined ? {} : { livemode: scope.livemode ? 1 : 0 }),
      },
    )?.created_at
  const oldest = edge('ASC')
  const newest = edge('DESC')
  if (oldest === undefined || newest === undefined) return { from: 0, to: 0 }
  const from = Math.max(oldest, filter.created_gte ?? 0)
  const to = Math.min(newest + 1, filter.created_lt ?? Number.MAX_SAFE_INTEGER)
  if (from >= to) return { from: 0, to: 0 }
  return { from: Math.floor(from / BUCKET_SECONDS) * BUCKET_SECONDS, to: Math.ceil(to / BUCKET_SECONDS) * BUCKET_SECONDS }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function aggregate(engine: Engine, bucketSeconds: number, where: string, params: Record<string, unknown>): BucketRow[] {
  // Upper limbs are cut only from amounts long enough to have them (most sales fit one limb).
  const limbs = Array.from({ length: LIMBS }, (_, k) => {
    const limb = `CAST(substr(s.amount_paid, ${-LIMB_DIGITS * (k + 1)}, ${LIMB_DIGITS}) AS INTEGER)`
    return k === 0
      ? `CAST(sum(${limb}) AS TEXT) AS l0`
      : `CAST(sum(CASE WHEN length(s.amount_paid) > ${LIMB_DIGITS * k} THEN ${limb} END) AS TEXT) AS l${k}`
  }).join(',\n      ')
  const sql = `SELECT s.created_at / ${bucketSeconds} AS bucket, o.chain_id AS chain_id, o.token_symbol AS token, o.decimals AS decimals,
      s.currency AS currency, count(*) AS n,
      CAST(sum(s.amount_minor / ${MINOR_SPLIT}) AS TEXT) AS minor_hi, CAST(sum(s.amount_minor % ${MINOR_SPLIT}) AS TEXT) AS minor_lo,
      CAST(sum(s.tip_minor) AS TEXT) AS tip,
      max(length(s.amount_paid)) AS longest,
      ${limbs}
    FROM sessions s JOIN payment_options o ON o.id = s.paid_option_id
    WHERE ${where}
    GROUP BY bucket, o.chain_id, o.token_symbol, o.decimals, s.currency`
  return all<BucketRow>(engine.db, sql, params)
}

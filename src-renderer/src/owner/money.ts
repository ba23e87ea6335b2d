import type { DailyTotal } from '../../../src-preload/contract'
import { baseUnitsToDecimal } from '../../../src-preload/shared/money'
// Pure formatting, apart from the i18n tables: unit-tested under Node.
import { priceDecimals } from '../i18n/format'

/**
 * Adding the engine's daily totals up for the bar: bigint all the way, a
 * decimal string only at the end (money is never a JS number).
 */

export interface TokenSum {
  chainId: number
  token: string
  decimals: number
  baseUnits: bigint
  count: number
  /** Refunds (#11): what went back in this token, and gross − refunded. */
  refundedBaseUnits: bigint
  netBaseUnits: bigint
}

export interface CurrencySum {
  currency: string
  minor: bigint
  count: number
  /** Refunds (#11): the part of the prices refunded, and gross − refunded (an overpayment's excess refunded is 0 here). */
  refundedMinor: bigint
  netMinor: bigint
  /** Tips (#17): the customers' tips inside `minor`. */
  tipMinor: bigint
}

export interface DaySum {
  day: string
  count: number
  currencies: CurrencySum[]
  tokens: TokenSum[]
}

export interface TotalsSummary {
  count: number
  currencies: CurrencySum[]
  tokens: TokenSum[]
  days: DaySum[]
}

function sumUp(rows: readonly DailyTotal[]): { count: number; currencies: CurrencySum[]; tokens: TokenSum[] } {
  const currencies = new Map<string, CurrencySum>()
  const tokens = new Map<string, TokenSum>()
  let count = 0
  for (const row of rows) {
    count += row.count
    const c = currencies.get(row.currency) ?? { currency: row.currency, minor: 0n, count: 0, refundedMinor: 0n, netMinor: 0n, tipMinor: 0n }
    c.minor += BigInt(row.amount_minor)
    c.count += row.count
    c.refundedMinor += BigInt(row.refunded_minor)
    c.netMinor += BigInt(row.net_minor)
    c.tipMinor += BigInt(row.tip_minor ?? '0')
    currencies.set(row.currency, c)
    // Same symbol on two networks (or with other decimals) is a different asset in a different wallet view.
    const key = `${row.chain_id}:${row.token}:${row.decimals}`
    const t = tokens.get(key) ?? {
      chainId: row.chain_id,
      token: row.token,
      decimals: row.decimals,
      baseUnits: 0n,
      count: 0,
      refundedBaseUnits: 0n,
      netBaseUnits: 0n,
    }
    t.baseUnits += BigInt(row.amount_base_units)
    t.count += row.count
    t.refundedBaseUnits += BigInt(row.refunded_base_units)
    t.netBaseUnits += BigInt(row.net_base_units)
    tokens.set(key, t)
  }
  const byName =
    <T>(name: (x: T) => string) =>
    (a: T, b: T) =>
      name(a).localeCompare(name(b))
  return {
    count,
    currencies: [...currencies.values()].sort(byName((c) => c.currency)),
    tokens: [...tokens.values()].sort((a, b) => a.token.localeCompare(b.token) || a.chainId - b.chainId),
  }
}

/** The whole filtered set, and each day of it (newest first, as the engine sends them). */
export function summarise(rows: readonly DailyTotal[]): TotalsSummary {
  const byDay = new Map<string, DailyTotal[]>()
  for (const row of rows) {
    const list = byDay.get(row.day)
    if (list) list.push(row)
    else byDay.set(row.day, [row])
  }
  const days = [...byDay.entries()].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0)).map(([day, list]) => ({ day, ...sumUp(list) }))
  return { ...sumUp(rows), days }
}

/** Minor units (integer string or bigint) to the currency's decimal string: 12345n EUR → "123.45". */
export function minorToDecimal(minor: bigint | string, currency: string): string {
  return baseUnitsToDecimal(String(minor), priceDecimals(currency))
}

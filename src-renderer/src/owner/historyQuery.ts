import type { PaymentSession, SessionException, SessionFilter, SessionStatus } from '../../../src-preload/contract'
// Pure formatting, apart from the i18n tables: this file is unit-tested under Node.
import { baseUnitsToDecimal } from '../i18n/format'
import { addDays, dayStart, shopDay } from './time'

/**
 * The History filter as the owner sets it, and as the engine reads it
 * (SessionFilter): pure functions, shared by the store, the CSV link and tests.
 */

export type DatePreset = 'all' | 'today' | 'yesterday' | 'last7' | 'last30' | 'custom'
export const DATE_PRESETS: readonly DatePreset[] = ['all', 'today', 'yesterday', 'last7', 'last30', 'custom']

export interface HistoryFilter {
  status: SessionStatus | ''
  preset: DatePreset
  /** Custom range, shop days "YYYY-MM-DD", both inclusive. */
  from: string
  to: string
  chainId: number | null
  token: string
  search: string
}

export const EMPTY_FILTER: HistoryFilter = { status: '', preset: 'all', from: '', to: '', chainId: null, token: '', search: '' }

export interface HistoryRow {
  id: string
  orderId: string
  /** "A-0042" (#15); null for sales made before order numbers. */
  orderNumber: string | null
  createdAt: number
  status: SessionStatus
  amount: string
  currency: string
  exceptions: SessionException[]
  /** What it was paid with, or what it offered while unpaid. */
  tokens: string[]
  chainIds: number[]
  /** Token amount received (decimal string), when anything arrived. */
  paid: string | null
  paidToken: string | null
  txHash: string | null
  txChainId: number | null
  txCount: number
}

export const PAGE_SIZE = 100

export function toHistoryRow(session: PaymentSession): HistoryRow {
  const tx = session.transactions.find((t) => t.state !== 'orphaned') ?? null
  const paidOption = tx ? session.payment_options.find((o) => o.chain_id === tx.chain_id && o.token === tx.token) : undefined
  const shown = paidOption ? [paidOption] : session.payment_options
  const paidSomething = session.amount_paid_base_units !== '0' && paidOption !== undefined
  return {
    id: session.id,
    orderId: session.order_id,
    orderNumber: session.order_number ?? null,
    createdAt: session.created_at,
    status: session.status,
    amount: session.amount,
    currency: session.currency,
    exceptions: session.exceptions,
    tokens: [...new Set(shown.map((o) => o.token))],
    chainIds: [...new Set(shown.map((o) => o.chain_id))],
    paid: paidSomething ? baseUnitsToDecimal(session.amount_paid_base_units, paidOption.decimals) : null,
    paidToken: paidSomething ? paidOption.token : null,
    txHash: tx?.tx_hash ?? null,
    txChainId: tx?.chain_id ?? null,
    txCount: session.transactions.filter((t) => t.state !== 'orphaned').length,
  }
}

/** The owner's filter as the engine's SessionFilter; days are the shop's days. */
export function toSessionFilter(filter: HistoryFilter, timeZone: string, nowSeconds: number): SessionFilter {
  const out: SessionFilter = {}
  if (filter.status) out.status = filter.status
  if (filter.chainId !== null) out.chain_id = filter.chainId
  if (filter.token) out.token = filter.token
  const search = filter.search.trim()
  if (search) out.search = search
  const today = shopDay(nowSeconds, timeZone)
  const range = (fromDay: string, toDayInclusive: string) => {
    out.created_gte = dayStart(fromDay, timeZone)
    out.created_lt = dayStart(addDays(toDayInclusive, 1), timeZone)
  }
  switch (filter.preset) {
    case 'today':
      range(today, today)
      break
    case 'yesterday':
      range(addDays(today, -1), addDays(today, -1))
      break
    case 'last7':
      range(addDays(today, -6), today)
      break
    case 'last30':
      range(addDays(today, -29), today)
      break
    case 'custom':
      if (filter.from) out.created_gte = dayStart(filter.from, timeZone)
      if (filter.to) out.created_lt = dayStart(addDays(filter.to, 1), timeZone)
      break
    case 'all':
      break
  }
  return out
}

/** Where the browser downloads the filtered set as CSV (serve mode; see src-main/http/exportRoute.ts). */
export function exportHref(filter: SessionFilter): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null || value === '' || key === 'limit' || key === 'starting_after') continue
    params.set(key, String(value))
  }
  const query = params.toString()
  return `export/sessions.csv${query ? `?${query}` : ''}`
}

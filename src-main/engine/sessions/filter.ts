import type { SessionFilter, SessionStatus } from '../../../src-preload/contract'
import { CURRENCY_DECIMALS, SESSION_STATUSES } from '../../../src-preload/contract'
import { MAX_AMOUNT_INT_DIGITS } from '../../../src-preload/shared/money'
import { invalid } from '../errors'

/** Whose sessions a list or report covers: a key's or the UI's merchant, in one mode when given. */
export interface SessionScope {
  merchantId: string
  livemode?: boolean
}

/** The filtered set: a SessionFilter without paging (a report covers every matching session, a list pages through it). */
export type SessionSetFilter = Omit<SessionFilter, 'limit' | 'starting_after'>

export interface SessionFilterSql {
  /** Conditions on `s` (sessions), joined with AND. */
  where: string
  params: Record<string, unknown>
}

const MAX_TEXT = 256

/** Above every character: `x >= q AND x < q + PREFIX_END` is "x starts with q" as an index range. */
const PREFIX_END = '\u{10FFFF}'
/** The shortest start of a session id, tx hash or address searched as a prefix ("0xd172", "ps_4f2"). */
const MIN_ID_PREFIX = 6

/**
 * Checks a filter as it arrives from JSON or a query string (the contract's
 * types hold at compile time only) and drops the paging fields.
 */
export function parseSessionFilter(raw: unknown): SessionSetFilter {
  if (raw === undefined || raw === null) return {}
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('parameter_invalid', 'the filter must be an object')
  const input = raw as Record<string, unknown>
  const filter: SessionSetFilter = {}
  if (input.status !== undefined && input.status !== null) {
    if (typeof input.status !== 'string' || !(SESSION_STATUSES as readonly string[]).includes(input.status))
      throw invalid('parameter_invalid', `status must be one of ${SESSION_STATUSES.join(', ')}`, 'status')
    filter.status = input.status as SessionStatus
  }
  for (const key of ['order_id', 'token', 'search', 'till'] as const) {
    const value = input[key]
    if (value === undefined || value === null) continue
    if (typeof value !== 'string' || value.length > MAX_TEXT)
      throw invalid('parameter_invalid', `${key} must be a string of at most ${MAX_TEXT} characters`, key)
    filter[key] = value
  }
  for (const key of ['created_gte', 'created_lt'] as const) {
    const value = input[key]
    if (value === undefined || value === null) continue
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
      throw invalid('parameter_invalid', `${key} must be unix seconds`, key)
    filter[key] = value
  }
  if (input.chain_id !== undefined && input.chain_id !== null) {
    if (typeof input.chain_id !== 'number' || !Number.isSafeInteger(input.chain_id))
      throw invalid('parameter_invalid', 'chain_id must be an integer', 'chain_id')
    filter.chain_id = input.chain_id
  }
  return filter
}

/**
 * The one definition of a filtered set of sessions, as SQL over `sessions s`:
 * `Sessions.list`, the totals bar and the CSV all use it, so they always
 * describe exactly the same rows (listed newest first by created_at, then seq).
 */
export function sessionFilterSql(scope: SessionScope, filter: SessionSetFilter): SessionFilterSql {
  const where: string[] = ['s.merchant_id = @merchant']
  const params: Record<string, unknown> = { merchant: scope.merchantId }
  if (scope.livemode !== undefined) {
    where.push('s.livemode = @livemode')
    params.livemode = scope.livemode ? 1 : 0
  }
  if (filter.status !== undefined) {
    where.push('s.status = @status')
    params.status = filter.status
  }
  if (filter.order_id !== undefined) {
    where.push('s.order_id = @order')
    params.order = filter.order_id
  }
  if (filter.till !== undefined) {
    where.push('s.till_id = @till')
    params.till = filter.till
  }
  if (filter.created_gte !== undefined) {
    where.push('s.created_at >= @created_gte')
    params.created_gte = filter.created_gte
  }
  if (filter.created_lt !== undefined) {
    where.push('s.created_at < @created_lt')
    params.created_lt = filter.created_lt
  }
  if (filter.chain_id !== undefined || filter.token !== undefined) {
    // A paid session counts under the network it was paid on; an unpaid one under every network it offered.
    where.push(
      `EXISTS (SELECT 1 FROM payment_options o WHERE o.session_seq = s.seq AND o.kind = 'payment'` +
        (filter.chain_id !== undefined ? ' AND o.chain_id = @chain' : '') +
        (filter.token !== undefined ? ' AND o.token_symbol = @token' : '') +
        ' AND (s.paid_option_id IS NULL OR s.paid_option_id = o.id))',
    )
    if (filter.chain_id !== undefined) params.chain = filter.chain_id
    if (filter.token !== undefined) params.token = filter.token
  }
  const q = filter.search?.trim()
  if (q) {
    const lower = q.toLowerCase()
    params.q = q
    params.qLower = lower
    // The end of a prefix range: every text that starts with q sorts below q + the highest code point.
    params.qEnd = q + PREFIX_END
    params.qLowerEnd = lower + PREFIX_END
    // A union of index look-ups, never a table scan: exact matches, and the start of an order number ("a-004"),
    // order id, session id, tx hash ("0xd172" as shown) or address, in any case where the value has none.
    // `livemode IN (0, 1)` lets the order index be searched in both modes. A pay address finds its sale in
    // xpub mode (one address per sale); in address mode every sale pays the shop's one address, which picks
    // out nothing. Short prefixes of ids and hashes would pick out nearly everything: they must be typed longer.
    const parts = [
      'SELECT seq FROM sessions WHERE id = @q',
      'SELECT seq FROM sessions WHERE merchant_id = @merchant AND livemode IN (0, 1) AND order_id = @q',
      'SELECT session_seq FROM transfers WHERE tx_hash = @qLower',
      'SELECT session_seq FROM transfers WHERE lower(from_address) = @qLower',
      'SELECT session_seq FROM payment_options WHERE address = @q COLLATE NOCASE AND child_index IS NOT NULL',
      'SELECT seq FROM sessions WHERE order_number >= @q COLLATE NOCASE AND order_number < @qEnd COLLATE NOCASE',
      'SELECT seq FROM sessions WHERE order_id >= @q COLLATE NOCASE AND order_id < @qEnd COLLATE NOCASE',
    ]
    if (q.length >= MIN_ID_PREFIX)
      parts.push(
        'SELECT seq FROM sessions WHERE id >= @q AND id < @qEnd',
        'SELECT session_seq FROM transfers WHERE tx_hash >= @qLower AND tx_hash < @qLowerEnd',
        'SELECT session_seq FROM transfers WHERE lower(from_address) >= @qLower AND lower(from_address) < @qLowerEnd',
        `SELECT session_seq FROM payment_options WHERE address >= @q COLLATE NOCASE AND address < @qEnd COLLATE NOCASE
           AND child_index IS NOT NULL`,
      )
    // A price as typed ("6.66", "6,66", "1,250.00"): the sales of exactly that amount, each in its own
    // currency's minor units (6.66 is 666 cents of USD, 6660 of KWD; JPY has no cents, so not 6.66 yen).
    for (const { decimals, minor, currencies } of searchedAmounts(q)) {
      const name = `amount${decimals}`
      params[name] = minor
      parts.push(`SELECT seq FROM sessions WHERE amount_minor = @${name} AND currency IN (${currencies.map((c) => `'${c}'`).join(', ')})`)
    }
    where.push(`s.seq IN (${parts.join(' UNION ALL ')})`)
  }
  return { where: where.join(' AND '), params }
}

/** The supported currencies grouped by their number of decimals (0: JPY, VND; 2: USD, EUR, …; 3: KWD, OMR). */
const CURRENCIES_BY_DECIMALS = Object.entries(CURRENCY_DECIMALS).reduce((groups, [code, decimals]) => {
  groups.set(decimals, [...(groups.get(decimals) ?? []), code])
  return groups
}, new Map<number, string[]>())

/**
 * What a search text means as a price, for each number of currency decimals
 * it fits: none when it is not an amount. A comma is read as the owner
 * meant it: grouping in "1,250.00" (as History shows amounts), the decimal
 * point in "6,66" (as much of the world writes it).
 */
export function searchedAmounts(text: string): Array<{ decimals: number; minor: number; currencies: string[] }> {
  let plain = text.trim()
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(plain)) plain = plain.replace(/,/g, '')
  else if (/^\d+,\d{1,2}$/.test(plain)) plain = plain.replace(',', '.')
  const m = /^(\d+)(?:\.(\d+))?$/.exec(plain)
  if (!m) return []
  const int = (m[1] ?? '').replace(/^0+/, '')
  const frac = m[2] ?? ''
  if (int.length > MAX_AMOUNT_INT_DIGITS) return []
  const found: Array<{ decimals: number; minor: number; currencies: string[] }> = []
  for (const [decimals, currencies] of CURRENCIES_BY_DECIMALS) {
    // "6.660" is 6.66 in a 2-decimal currency: zeros past its decimals change nothing; other digits rule it out.
    if (/[1-9]/.test(frac.slice(decimals))) continue
    // At most 15 digits (12 + 3 decimals): exact as a JS number, and SQLite compares INTEGER with it exactly.
    const minor = Number((int || '0') + frac.slice(0, decimals).padEnd(decimals, '0'))
    if (minor > 0) found.push({ decimals, minor, currencies })
  }
  return found
}

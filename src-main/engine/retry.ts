/**
 * How long to wait before trying again, the same way for everything the shop
 * asks over the network: each RPC URL (watcher/rpc.ts), each chain's scan
 * loop (watcher/chainWatcher.ts), the WebSocket head feed's reconnects
 * (watcher/headFeed.ts) and webhook deliveries (webhooks/policy.ts). Each
 * caller passes its own numbers and says beside them why they are what they are.
 */

export interface BackoffOptions {
  /** The wait after the first failure; each further failure doubles it. */
  baseMs: number
  /** No wait is longer than this. */
  maxMs: number
  /**
   * Spread as a fraction: 0.25 puts each wait anywhere from 75 % to 125 % of
   * the doubled value (still never above maxMs). 0 (the default): exact waits.
   */
  jitter?: number
  /** A number in [0, 1); Math.random unless a test pins it. */
  random?: () => number
}

/**
 * The wait after the `attempt`-th failure in a row (1-based): baseMs·2^(attempt-1),
 * capped at maxMs, spread by the jitter, in whole milliseconds and at least 1
 * (a zero wait would retry in a tight loop).
 */
export function backoff(attempt: number, options: BackoffOptions): number {
  // The exponent is capped only so the product stays finite; maxMs is what really bounds the wait.
  const exponent = Math.min(Math.max(attempt, 1) - 1, 52)
  const nominal = Math.min(options.maxMs, options.baseMs * 2 ** exponent)
  const jitter = options.jitter ?? 0
  const spread = jitter > 0 ? nominal * (1 - jitter + 2 * jitter * (options.random ?? Math.random)()) : nominal
  return Math.max(1, Math.min(options.maxMs, Math.round(spread)))
}

export interface RetryAfterLimits {
  /** A shorter wait is raised to this (the caller's floor: 0 to honour "now"). */
  minMs: number
  /** A longer wait is cut to this, so one bad header cannot park the caller for days. */
  maxMs: number
}

/**
 * A Retry-After value (RFC 9110 §10.2.3) as milliseconds from `nowMs`, kept
 * within the caller's limits; null when absent or not a valid value, so the
 * caller falls back to its own backoff.
 *
 * Valid values are delay-seconds (digits only: "120") and an HTTP-date in any
 * of the three forms a recipient must accept (§5.6.7), always in GMT. A date
 * in the past means "now". Anything else ("1.5", "-5", "soon", an ISO date) is
 * not a Retry-After value: `Date.parse` would guess at it (it reads "1.5" as
 * 5 January 2001, and the asctime form in the machine's time zone), so it is
 * not used here.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number, limits: RetryAfterLimits): number | null {
  if (value === null || value === undefined) return null
  const text = value.trim()
  let ms: number
  if (/^\d+$/.test(text)) {
    // A value too long for a number is still a valid (very long) wait: the maximum applies.
    ms = Number(text) * 1000
  } else {
    const at = parseHttpDate(text, nowMs)
    if (at === null) return null
    ms = Math.max(0, at - nowMs)
  }
  return Math.min(limits.maxMs, Math.max(limits.minMs, ms))
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)'
const LONG_DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)'
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)'
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})'
// Sun, 06 Nov 1994 08:49:37 GMT (the one form senders should use)
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, 'i')
// Sunday, 06-Nov-94 08:49:37 GMT (obsolete)
const RFC850_DATE = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`, 'i')
// Sun Nov  6 08:49:37 1994 (obsolete, C's asctime; GMT although it does not say so)
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`, 'i')

/** An HTTP-date as Unix milliseconds, or null. The weekday is not checked: the date says which day it is. */
function parseHttpDate(text: string, nowMs: number): number | null {
  let year: number, month: string, day: string, time: string[]
  let m: RegExpExecArray | null
  if ((m = IMF_FIXDATE.exec(text))) {
    ;[day, month, year, time] = [m[1]!, m[2]!, Number(m[3]), m.slice(4, 7)]
  } else if ((m = RFC850_DATE.exec(text))) {
    ;[day, month, time] = [m[1]!, m[2]!, m.slice(4, 7)]
    // A two-digit year more than 50 years ahead is the most recent such year in the past (RFC 9110 §5.6.7).
    const thisYear = new Date(nowMs).getUTCFullYear()
    year = Math.floor(thisYear / 100) * 100 + Number(m[3])
    if (year > thisYear + 50) year -= 100
  } else if ((m = ASCTIME_DATE.exec(text))) {
    ;[month, day, time, year] = [m[1]!, m[2]!.trim(), m.slice(3, 6), Number(m[6])]
  } else return null
  const [hh, mm, ss] = time.map(Number) as [number, number, number]
  const monthIndex = MONTHS.indexOf(month.toLowerCase())
  const at = Date.UTC(year, monthIndex, Number(day), hh, mm, ss)
  // Date.UTC rolls 31 Feb over into March and 25:00 into the next day: such a date is invalid, not a guess.
  const check = new Date(at)
  const same =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === monthIndex &&
    check.getUTCDate() === Number(day) &&
    check.getUTCHours() === hh &&
    check.getUTCMinutes() === mm &&
    check.getUTCSeconds() === ss
  return same ? at : null
}

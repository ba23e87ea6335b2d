/**
 * When to retry a webhook delivery, and how long to wait: the webhook
 * sender's numbers for the engine's one backoff formula and Retry-After
 * parser (../retry.ts). Pure functions, tested on their own.
 */
import { backoff, parseRetryAfter } from '../retry'

export interface RetryPolicy {
  /** First backoff; doubles per failure. */
  baseMs: number
  /** No single wait is longer than this. */
  capMs: number
  /**
   * A delivery not delivered this long after its event is given up, time counted as the till lived it:
   * a wall clock that jumps forward does not count (the sender moves its deliveries' start with the jump).
   */
  giveUpAfterMs: number
  /**
   * ...and only once it was tried this many times (for deliveries waiting behind a dead endpoint: once the
   * endpoint failed this many probes in a row in this run). The window then rests on attempts really made,
   * not on a single reading of a clock that may have been set while the till was off.
   */
  giveUpAfterAttempts: number
  /** Longest Retry-After honoured; a bigger one is clamped so a bad header cannot park an endpoint for weeks. */
  maxRetryAfterMs: number
  random: () => number
}

/**
 * - 5 s first: a back office restarting or a router blinking is back within seconds.
 * - 1 hour cap: a back office that is away for a day gets a probe an hour (about
 *   70 over the whole window), not thousands, and hears from us within the hour
 *   once it is back (at once if the shop makes a sale meanwhile: a new event
 *   probes a paused endpoint early).
 * - 3 days: long enough to cover a back office closed over a long weekend.
 * - 5 attempts at least: the normal schedule makes about 80 in 3 days, and even
 *   a back office answering the longest Retry-After (a day) gets 4; a clock
 *   jump alone can never give up a delivery tried once or twice.
 * - Retry-After: at most a day, a third of the window, whatever the header says.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 5_000,
  capMs: 3_600_000,
  giveUpAfterMs: 3 * 86_400_000,
  giveUpAfterAttempts: 5,
  maxRetryAfterMs: 86_400_000,
  random: Math.random,
}

/**
 * ±25 %: a shop's backlog retried after an outage reaches the recovering back
 * office spread over a quarter of each wait, not all in the same second.
 */
const JITTER = 0.25
/** A Retry-After of 0 (or a date already past) still waits a second: retrying at once would spin on the same delivery. */
const MIN_RETRY_AFTER_MS = 1000

/**
 * What an attempt's outcome means:
 * - `delivered`: 2xx.
 * - `unreachable`: the endpoint as a whole is not taking requests (network error,
 *   timeout, 429, 502/503/504): retry, and pause the whole endpoint, probing it
 *   with one request at a time until it answers again.
 * - `retry`: this request failed on the server (408, 500 and other 5xx): retry
 *   this delivery on its own backoff; the endpoint keeps receiving others, so one
 *   event the back office chokes on does not hold up the rest.
 * - `final`: any other status (4xx, 3xx, 1xx): the back office refused it; retrying will not help.
 */
export type Verdict = 'delivered' | 'unreachable' | 'retry' | 'final'

export function classify(status: number | null): Verdict {
  if (status === null) return 'unreachable'
  if (status >= 200 && status < 300) return 'delivered'
  if (status === 429 || status === 502 || status === 503 || status === 504) return 'unreachable'
  if (status === 408 || status >= 500) return 'retry'
  return 'final'
}

/** The wait after the n-th failure (1-based): about base·2^(n-1), ±25 %, never above the cap. */
export function retryBackoffMs(failures: number, policy: RetryPolicy): number {
  return backoff(failures, { baseMs: policy.baseMs, maxMs: policy.capMs, jitter: JITTER, random: policy.random })
}

/** The endpoint's Retry-After in ms from `nowMs`, between 1 s and the policy's maximum; null when absent or invalid. */
export function retryAfterMs(value: string | undefined, nowMs: number, policy: RetryPolicy): number | null {
  return parseRetryAfter(value, nowMs, { minMs: MIN_RETRY_AFTER_MS, maxMs: policy.maxRetryAfterMs })
}

/**
 * When to retry, and how long to wait. Pure functions, tested on their own.
 */

export interface RetryPolicy {
  /** First backoff; doubles per failure. */
  baseMs: number
  /** No single wait is longer than this (1 hour). */
  capMs: number
  /** A delivery not delivered this long after its event is given up (3 days). */
  giveUpAfterMs: number
  /** Longest Retry-After honoured; a bigger one is clamped so a bad header cannot park an endpoint for weeks. */
  maxRetryAfterMs: number
  random: () => number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 5_000,
  capMs: 3_600_000,
  giveUpAfterMs: 3 * 86_400_000,
  maxRetryAfterMs: 86_400_000,
  random: Math.random,
}

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

/** Exponential backoff with jitter: the n-th failure (1-based) waits about base·2^(n-1), ±25 %, never above the cap. */
export function backoffMs(failures: number, policy: RetryPolicy): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30)
  const nominal = Math.min(policy.capMs, policy.baseMs * 2 ** exponent)
  // Jitter spreads a shop's backlog so a recovering back office is not hit by every retry in the same second.
  const jittered = nominal * (0.75 + 0.5 * policy.random())
  return Math.max(1, Math.min(policy.capMs, Math.round(jittered)))
}

/**
 * Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms from `nowMs`.
 * Null when absent or unreadable; at least 1 s (a zero would spin), at most the policy's maximum.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number, policy: RetryPolicy): number | null {
  if (value === undefined) return null
  const text = value.trim()
  let ms: number
  if (/^\d{1,10}$/.test(text)) ms = Number(text) * 1000
  else {
    const at = Date.parse(text)
    if (Number.isNaN(at)) return null
    ms = at - nowMs
  }
  return Math.min(policy.maxRetryAfterMs, Math.max(1000, ms))
}

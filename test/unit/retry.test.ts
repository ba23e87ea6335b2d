/**
 * The one backoff formula and the one Retry-After parser every caller uses
 * (RPC URLs, the chain watcher, WebSocket reconnects, webhook deliveries).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { backoff, parseRetryAfter } from '../../src-main/engine/retry'

describe('backoff', () => {
  it('doubles from the base on each failure in a row and stops at the maximum', () => {
    const rpcDown = { baseMs: 250, maxMs: 30_000 }
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoff(n, rpcDown))).toEqual([250, 500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000])
    // A count of 0 (or below) is treated as the first failure.
    expect(backoff(0, rpcDown)).toBe(250)
    // However long the run of failures, the number stays finite and capped.
    expect(backoff(10_000, rpcDown)).toBe(30_000)
  })

  it('without jitter it never asks for randomness; with it, waits spread evenly around the doubled value', () => {
    const noRandom = () => {
      throw new Error('not to be called')
    }
    expect(backoff(3, { baseMs: 100, maxMs: 10_000, random: noRandom })).toBe(400)
    const at = (r: number) => ({ baseMs: 1000, maxMs: 60_000, jitter: 0.25, random: () => r })
    expect(backoff(2, at(0))).toBe(1500)
    expect(backoff(2, at(0.5))).toBe(2000)
    expect(backoff(2, at(0.999999))).toBe(2500)
    // Near the cap the spread is cut at the cap, never above it.
    expect(backoff(7, at(0.999999))).toBe(60_000)
    expect(backoff(7, at(0))).toBe(45_000)
  })

  it('is whole milliseconds and never zero (a zero wait would retry in a tight loop)', () => {
    expect(backoff(1, { baseMs: 1, maxMs: 10, jitter: 0.5, random: () => 0 })).toBe(1)
    expect(backoff(1, { baseMs: 0, maxMs: 10 })).toBe(1)
    expect(Number.isInteger(backoff(2, { baseMs: 333, maxMs: 10_000, jitter: 0.25, random: () => 0.123 }))).toBe(true)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 10, 26, 12, 0, 0)
  const open = { minMs: 0, maxMs: Number.MAX_SAFE_INTEGER }
  const tz = process.env.TZ
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ
    else process.env.TZ = tz
  })

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now, open)).toBe(120_000)
    expect(parseRetryAfter('  7 ', now, open)).toBe(7_000)
    expect(parseRetryAfter('0', now, open)).toBe(0)
    expect(parseRetryAfter('007', now, open)).toBe(7_000)
  })

  it('reads the three HTTP-date forms, always as GMT', () => {
    const base = Date.UTC(2015, 9, 21, 7, 28, 0)
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', base, open)).toBe(10_000)
    expect(parseRetryAfter('Wednesday, 21-Oct-15 07:28:10 GMT', base, open)).toBe(10_000)
    expect(parseRetryAfter('Wed Oct 21 07:28:10 2015', base, open)).toBe(10_000)
    expect(parseRetryAfter('Sun Nov  6 08:49:37 1994', Date.UTC(1994, 10, 6, 8, 49, 0), open)).toBe(37_000)
    expect(parseRetryAfter(new Date(now + 90_000).toUTCString(), now, open)).toBe(90_000)
    // Both old parsers used Date.parse, which reads the asctime form in the machine's time zone:
    // a till in Shanghai would have waited eight hours less than asked. It is GMT wherever the till is.
    process.env.TZ = 'Asia/Shanghai'
    expect(parseRetryAfter('Wed Oct 21 07:28:10 2015', base, open)).toBe(10_000)
  })

  it('reads a two-digit year as the most recent one not more than 50 years ahead', () => {
    expect(parseRetryAfter('Thursday, 26-Nov-26 12:00:05 GMT', now, open)).toBe(5_000)
    // 2076 would be 50 years ahead: still read as 2076, so a wait that long (then capped by the caller).
    expect(parseRetryAfter('Thursday, 26-Nov-76 12:00:00 GMT', now, open)).toBe(Date.UTC(2076, 10, 26, 12) - now)
    // 2077 would be more than 50 years ahead: it is 1977, in the past, so now.
    expect(parseRetryAfter('Friday, 26-Nov-77 12:00:00 GMT', now, open)).toBe(0)
  })

  it('a date in the past means now', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now, open)).toBe(0)
  })

  it('is null for anything that is not a Retry-After value, where the old parsers disagreed or guessed', () => {
    for (const value of [
      undefined,
      null,
      '',
      '   ',
      'soon',
      'garbage',
      // The RPC parser read these as 1.5 s and 0 s; the webhook parser handed them to Date.parse,
      // which reads "1.5" as 5 January 2001 and "-5" as May 2001. Delay-seconds are digits only.
      '1.5',
      '-5',
      '+5',
      '1e3',
      '0x10',
      // Date.parse guesses a year for these (2001); they are not HTTP-dates.
      'Dec 25',
      '2026-11-26T12:00:10Z',
      // Not a real moment: Date.UTC would roll them over into the next month or day.
      'Tue, 31 Feb 2026 00:00:00 GMT',
      'Wed, 26 Nov 2026 25:00:00 GMT',
      // A date with a zone other than GMT is not an HTTP-date.
      'Wed, 26 Nov 2026 12:00:10 PST',
    ])
      expect(parseRetryAfter(value, now, open), String(value)).toBeNull()
  })

  it('keeps a valid value within the caller limits: a floor, and a maximum for huge values', () => {
    const webhook = { minMs: 1000, maxMs: 86_400_000 }
    expect(parseRetryAfter('0', now, webhook)).toBe(1000)
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now, webhook)).toBe(1000)
    expect(parseRetryAfter('120', now, webhook)).toBe(120_000)
    // The webhook parser took at most 10 digits and sent longer values to Date.parse (null); the RPC
    // parser clamped them. A huge delay is a valid value asking for a long wait: it gets the maximum.
    expect(parseRetryAfter('99999999999', now, webhook)).toBe(86_400_000)
    expect(parseRetryAfter('9'.repeat(400), now, webhook)).toBe(86_400_000)
    expect(parseRetryAfter('Fri, 01 Jan 9999 00:00:00 GMT', now, webhook)).toBe(86_400_000)
    const rpc = { minMs: 0, maxMs: 600_000 }
    expect(parseRetryAfter('0', now, rpc)).toBe(0)
    expect(parseRetryAfter('3600', now, rpc)).toBe(600_000)
  })
})

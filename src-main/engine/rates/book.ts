import type { Db } from '../db'
import { all, run, value } from '../db/sql'
import { MoneyError, isCurrency, normalizeRate, readableRate, type CurrencyCode } from '../money'
import { ECB_DAILY_URL, ecbToUsdPerUnit, parseEcbXml } from './ecb'
import { RateError } from './errors'
import { urlOrigin } from '../log'
import { transaction } from '../db/transaction'

export interface Clock {
  /** Milliseconds since the epoch (Date.now-compatible). */
  now(): number
}

export interface RateBookOptions {
  db: Db
  clock: Clock
  /** ECB eurofxref-format document; defaults to the ECB daily file. */
  providerUrl?: string
  /** Provider rates older than this (now - as_of) are refused. Default 4 days. */
  maxAgeSeconds?: number
  fetch?: typeof fetch
  /** Whole-request timeout (headers and body). Default 10 s; tests shorten it. */
  timeoutMs?: number
}

export type RateSource = 'manual' | 'provider'
export type NonUsdCurrency = Exclude<CurrencyCode, 'USD'>

/** A rate to price a non-USD sale with, locked at `lockedAt`. */
export interface FiatQuote {
  readonly currency: NonUsdCurrency
  /**
   * USD per one unit of `currency` as a person reads it, a plain decimal
   * (a cross rate rounded to 12 decimals): shown, and stored on the session.
   */
  readonly rate: string
  /** The same rate, exact (a decimal, or a quotient such as "1.0812/162.45"); feed to fiatToUsdCents. */
  readonly exactRate: string
  readonly source: RateSource
  /** Unix s: provider publication time, or when the manual rate was set. */
  readonly asOf: number
  /** Unix s: when this quote was taken (now). */
  readonly lockedAt: number
}

/**
 * USD needs no rate. Same shape with nulls, so callers can store
 * rate/source/asOf columns uniformly and pass `exactRate` (null) straight to
 * fiatToUsdCents, which requires null for USD.
 */
export interface UsdQuote {
  readonly currency: 'USD'
  readonly rate: null
  readonly exactRate: null
  readonly source: null
  readonly asOf: null
  readonly lockedAt: number
}

export type RateQuote = FiatQuote | UsdQuote

export interface RateListEntry {
  readonly currency: NonUsdCurrency
  /** As a person reads it, like FiatQuote.rate. */
  readonly rate: string
  readonly source: RateSource
  readonly asOf: number
  /** now - asOf in seconds, never negative. */
  readonly ageSeconds: number
  /** True only for provider rows past maxAgeSeconds; manual rows never go stale. */
  readonly stale: boolean
  /** True if quote() would use this row right now (manual wins; stale provider rows are not used). */
  readonly active: boolean
  /** Unix s from which quote() refuses this row (asOf + maxAgeSeconds); null for manual rows, which never go stale. */
  readonly staleAt: number | null
  /** A provider row that goes stale within STALE_SOON_SECONDS: the screens warn a day ahead. */
  readonly staleSoon: boolean
}

export const DEFAULT_MAX_AGE_SECONDS = 4 * 24 * 3600
/** How long before a provider rate goes stale the owner and the cashier are warned: a day, time to get the till online. */
export const STALE_SOON_SECONDS = 24 * 3600
const DEFAULT_TIMEOUT_MS = 10_000

interface RateRow {
  currency: string
  source: RateSource
  usd_per_unit: string
  as_of: number
}

const RATE_COLUMNS = 'currency, source, usd_per_unit, as_of'

/** Rows with as_of as a number even when the database hands out BigInts (unix seconds fit a double). */
function rateRows(db: Db, where: string, ...params: unknown[]): RateRow[] {
  return all<RateRow>(db, `SELECT ${RATE_COLUMNS} FROM rates ${where}`, ...params).map((r) => ({ ...r, as_of: Number(r.as_of) }))
}

/**
 * Exchange rates, "USD per one unit of currency", persisted in the `rates`
 * table (one row per currency and source).
 *
 * - Provider rates come from the ECB via refresh() and go stale after
 *   maxAgeSeconds: pricing a sale on a week-old rate is a silent loss.
 * - Manual rates override the provider and never go stale: the owner set
 *   them on purpose (e.g. for VND/AED/KWD, which the ECB does not publish, or
 *   to price at a fixed shop rate), and we must not stop their till on a
 *   timer. Removing one is an explicit clearManual().
 */
export class RateBook {
  private readonly db: Db
  private readonly clock: Clock
  private readonly providerUrl: string
  private readonly maxAgeSeconds: number
  private readonly fetchFn: typeof fetch
  private readonly timeoutMs: number

  constructor(opts: RateBookOptions) {
    this.db = opts.db
    this.clock = opts.clock
    this.providerUrl = opts.providerUrl ?? ECB_DAILY_URL
    this.maxAgeSeconds = opts.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS
    if (!Number.isSafeInteger(this.maxAgeSeconds) || this.maxAgeSeconds <= 0) {
      throw new RangeError(`maxAgeSeconds must be a positive integer, got ${String(opts.maxAgeSeconds)}`)
    }
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
    // Resolve the global lazily so a fetch installed after construction (tests, proxies) is used.
    this.fetchFn = opts.fetch ?? ((input, init) => globalThis.fetch(input, init))
  }

  /**
   * Download the provider document and replace all provider rows with it.
   *
   * Network and parsing happen first, then every row is written in one
   * synchronous transaction, so a failure at any point leaves the table
   * exactly as it was (no awaits inside the transaction: better-sqlite3
   * transactions must not span the event loop). A document older than the
   * stored rows (e.g. a stale CDN copy) does not overwrite newer ones;
   * `updated` counts rows actually written.
   */
  async refresh(options: { signal?: AbortSignal } = {}): Promise<{ updated: number; asOf: number }> {
    const body = await this.download(options.signal)
    const { asOf, perEur } = parseEcbXml(body)
    const usdPerUnit = ecbToUsdPerUnit(perEur)
    const fetchedAt = this.nowSeconds()
    const rows = Object.entries(usdPerUnit).filter(([code]) => isCurrency(code) && code !== 'USD')
    const updated = transaction(this.db, () => {
      let n = 0
      for (const [currency, rate] of rows) {
        n += run(
          this.db,
          `INSERT INTO rates (currency, source, usd_per_unit, as_of, fetched_at)
           VALUES (@currency, 'provider', @rate, @asOf, @fetchedAt)
           ON CONFLICT (currency, source) DO UPDATE SET
             usd_per_unit = excluded.usd_per_unit, as_of = excluded.as_of, fetched_at = excluded.fetched_at
           WHERE excluded.as_of >= rates.as_of`,
          { currency, rate, asOf, fetchedAt },
        ).changes
      }
      return n
    })
    return { updated, asOf }
  }

  /**
   * Set (or replace) the manual rate for `currency`. Re-setting the same value
   * (compared after normalisation, so "1.080" equals "1.08") changes nothing,
   * in particular not as_of: configuration is re-applied at every start and
   * must not make an old rate look freshly set.
   */
  setManual(currency: CurrencyCode, usdPerUnit: string): { changed: boolean } {
    const code = this.requireNonUsd(currency)
    let rate: string
    try {
      rate = normalizeRate(usdPerUnit)
    } catch (e) {
      if (e instanceof MoneyError) {
        throw new RateError('rate_invalid', `manual ${code} rate: ${e.message} (USD per 1 ${code}, e.g. "1.08")`)
      }
      throw e
    }
    const info = run(
      this.db,
      `INSERT INTO rates (currency, source, usd_per_unit, as_of, fetched_at)
       VALUES (@currency, 'manual', @rate, @now, @now)
       ON CONFLICT (currency, source) DO UPDATE SET
         usd_per_unit = excluded.usd_per_unit, as_of = excluded.as_of, fetched_at = excluded.fetched_at
       WHERE rates.usd_per_unit IS NOT excluded.usd_per_unit`,
      { currency: code, rate, now: this.nowSeconds() },
    )
    return { changed: info.changes > 0 }
  }

  /** Remove the manual rate so the provider rate applies again. */
  clearManual(currency: CurrencyCode): { removed: boolean } {
    return { removed: run(this.db, `DELETE FROM rates WHERE currency = ? AND source = 'manual'`, currency).changes > 0 }
  }

  /**
   * The rate to price a sale in `currency` with, right now. Manual beats
   * provider. Throws RateError `rate_stale` if only a too-old provider rate
   * exists, `rate_unavailable` if there is none, `currency_unsupported` for an
   * unknown code.
   */
  quote(currency: 'USD'): UsdQuote
  quote(currency: NonUsdCurrency): FiatQuote
  quote(currency: CurrencyCode): RateQuote
  quote(currency: CurrencyCode): RateQuote {
    const lockedAt = this.nowSeconds()
    if (currency === 'USD') return { currency: 'USD', rate: null, exactRate: null, source: null, asOf: null, lockedAt }
    const code = this.requireNonUsd(currency)
    const rows = rateRows(this.db, 'WHERE currency = ?', code)
    const quoteOf = (row: RateRow): FiatQuote => ({
      currency: code,
      rate: readableRate(row.usd_per_unit),
      exactRate: row.usd_per_unit,
      source: row.source,
      asOf: row.as_of,
      lockedAt,
    })
    const manual = rows.find((r) => r.source === 'manual')
    if (manual) return quoteOf(manual)
    const provider = rows.find((r) => r.source === 'provider')
    if (!provider) {
      throw new RateError(
        'rate_unavailable',
        `no exchange rate is available for ${code}: refresh rates from the provider, or set a manual rate for ${code}`,
      )
    }
    const age = lockedAt - provider.as_of
    if (age > this.maxAgeSeconds) {
      throw new RateError(
        'rate_stale',
        `the ${code} exchange rate is ${formatAge(age)} old (published ${formatUtc(provider.as_of)}); ` +
          `rates older than ${formatAge(this.maxAgeSeconds)} are not used. ` +
          `Refresh rates from the provider, or set a manual rate for ${code}`,
      )
    }
    return quoteOf(provider)
  }

  /** Every stored rate (manual rows first within a currency), for the settings screen. */
  list(): RateListEntry[] {
    const now = this.nowSeconds()
    const rows = rateRows(this.db, `ORDER BY currency, CASE source WHEN 'manual' THEN 0 ELSE 1 END`)
    const manualFor = new Set(rows.filter((r) => r.source === 'manual').map((r) => r.currency))
    const out: RateListEntry[] = []
    for (const r of rows) {
      // Rows for codes we no longer support (or USD) cannot be quoted; hide them.
      if (!isCurrency(r.currency) || r.currency === 'USD') continue
      const ageSeconds = Math.max(0, now - r.as_of)
      const stale = r.source === 'provider' && ageSeconds > this.maxAgeSeconds
      const active = r.source === 'manual' || (!manualFor.has(r.currency) && !stale)
      // quote() accepts an age of exactly maxAgeSeconds, so the first refused second is one later.
      const staleAt = r.source === 'provider' ? r.as_of + this.maxAgeSeconds + 1 : null
      out.push({
        currency: r.currency,
        rate: readableRate(r.usd_per_unit),
        source: r.source,
        asOf: r.as_of,
        ageSeconds,
        stale,
        active,
        staleAt,
        staleSoon: staleAt !== null && !stale && staleAt - now <= STALE_SOON_SECONDS,
      })
    }
    return out
  }

  /** Unix s of the newest provider publication stored, or null before the first refresh. */
  latestProviderAsOf(): number | null {
    const asOf = value<number | bigint | null>(this.db, `SELECT max(as_of) FROM rates WHERE source = 'provider'`)
    return asOf === null || asOf === undefined ? null : Number(asOf)
  }

  private async download(signal?: AbortSignal): Promise<string> {
    const url = this.providerUrl
    const timeout = AbortSignal.timeout(this.timeoutMs)
    try {
      const res = await this.fetchFn(url, {
        // The caller's signal lets a stopping service end a request in flight instead of waiting out the timeout.
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
        headers: { accept: 'application/xml, text/xml;q=0.9, */*;q=0.1' },
      })
      if (!res.ok) {
        // Release the connection; an error page body is of no use to us.
        await res.body?.cancel().catch(() => undefined)
        throw new RateError('rate_provider_unreachable', `rate provider ${urlOrigin(url)} answered HTTP ${res.status}`)
      }
      return await res.text()
    } catch (e) {
      if (e instanceof RateError) throw e
      if (signal?.aborted) throw new RateError('rate_provider_unreachable', `the request to ${urlOrigin(url)} was stopped`, { cause: e })
      throw new RateError(
        'rate_provider_unreachable',
        `could not reach the rate provider ${urlOrigin(url)}: ${describeFetchError(e, this.timeoutMs)}`,
        {
          cause: e,
        },
      )
    }
  }

  private requireNonUsd(currency: CurrencyCode): NonUsdCurrency {
    if (!isCurrency(currency)) {
      throw new RateError('currency_unsupported', `currency ${JSON.stringify(String(currency).slice(0, 40))} is not supported`)
    }
    if (currency === 'USD') {
      throw new RateError('currency_unsupported', 'USD is the settlement currency; it has no exchange rate to set')
    }
    return currency
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000)
  }
}

function describeFetchError(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) {
    return `no answer within ${timeoutMs / 1000} s`
  }
  if (e instanceof Error) {
    // undici reports "fetch failed" and hides the useful part (ECONNREFUSED, ENOTFOUND...) in cause.
    const cause = e.cause instanceof Error ? `: ${e.cause.message}` : ''
    return `${e.message}${cause}`
  }
  return String(e)
}

/** "5 days 3 hours", "2 hours 10 minutes", "45 seconds": for operator-facing messages. */
export function formatAge(seconds: number): string {
  const unit = (n: number, u: string) => `${n} ${u}${n === 1 ? '' : 's'}`
  const d = Math.floor(seconds / 86400)
  const h = Math.floor((seconds % 86400) / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  if (d > 0) return h > 0 ? `${unit(d, 'day')} ${unit(h, 'hour')}` : unit(d, 'day')
  if (h > 0) return m > 0 ? `${unit(h, 'hour')} ${unit(m, 'minute')}` : unit(h, 'hour')
  if (m > 0) return unit(m, 'minute')
  return unit(seconds, 'second')
}

function formatUtc(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

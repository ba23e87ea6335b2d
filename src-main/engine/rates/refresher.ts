import type { Db } from '../db'
import { values } from '../db/sql'
import { errorFields, log } from '../log'
import { isCurrency } from '../money'
import { backoff, type BackoffOptions } from '../retry'
import type { Clock, NonUsdCurrency, RateBook } from './book'
import { frankfurtDate, nextCheckAt } from './schedule'

/** setTimeout/clearTimeout, injectable so tests move time by hand instead of waiting. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemTimers: Timers = {
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms)
    // A pending rate check must not keep a stopping process alive.
    timer.unref()
    return timer
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>)
  },
}

export interface RateRefresherOptions {
  db: Db
  rates: RateBook
  clock: Clock
  timers?: Timers
  /**
   * Waits after failed tries. Default: 30 s doubling to at most 30 min, ±20 %:
   * quick enough that a till back online within minutes has its rates again,
   * and at most two requests an hour through a long outage.
   */
  retry?: BackoffOptions
  /**
   * How often a shop that needs no provider rate (USD only, or manual rates
   * for everything it prices in) looks again whether that changed: a local
   * query, no network.
   */
  idleCheckMs?: number
}

const DEFAULT_RETRY: BackoffOptions = { baseMs: 30_000, maxMs: 30 * 60_000, jitter: 0.2 }
const DEFAULT_IDLE_CHECK_MS = 15 * 60_000
/**
 * A back office may price sales in a currency other than the shop's own through
 * the API; the most recent sales say which. Looked up by rowid, so the query
 * costs the same on a table of any size.
 */
const RECENT_SALES = 500

/**
 * Keeps the ECB reference rates fresh by itself: at start (unless today's
 * rates are already stored), then a few times on each working day around the
 * ECB's publication (schedule.ts), and after a failure again with backoff
 * until a try succeeds. It asks the provider only for a shop that needs it:
 * one that prices in a currency other than USD without a manual rate for it.
 * A USD-only shop sends nothing.
 */
export class RateRefresher {
  private readonly db: Db
  private readonly rates: RateBook
  private readonly clock: Clock
  private readonly timers: Timers
  private readonly retry: BackoffOptions
  private readonly idleCheckMs: number
  private readonly logger = log('rates')
  private timer: unknown = null
  private inFlight: Promise<void> | null = null
  private abort: AbortController | null = null
  private failures = 0
  private running = false

  constructor(options: RateRefresherOptions) {
    this.db = options.db
    this.rates = options.rates
    this.clock = options.clock
    this.timers = options.timers ?? systemTimers
    this.retry = options.retry ?? DEFAULT_RETRY
    this.idleCheckMs = options.idleCheckMs ?? DEFAULT_IDLE_CHECK_MS
  }

  /** Starts checking (the first check runs now); returns stop(), which also ends a request in flight. */
  start(): () => Promise<void> {
    if (this.running) throw new Error('the rate refresher is already running')
    this.running = true
    this.check(true)
    return async () => {
      this.running = false
      if (this.timer !== null) this.timers.clearTimeout(this.timer)
      this.timer = null
      this.abort?.abort()
      await this.idle()
    }
  }

  /** Resolves once no check is in progress (tests wait on it after moving the clock). */
  async idle(): Promise<void> {
    while (this.inFlight) await this.inFlight
  }

  /**
   * Currencies the shop prices in (its merchants' and its recent sales')
   * other than USD, without a manual rate: those only the provider can price.
   */
  needed(): NonUsdCurrency[] {
    const codes = values<string>(
      this.db,
      `SELECT currency FROM merchants
       UNION SELECT currency FROM sessions WHERE seq > (SELECT coalesce(max(seq), 0) FROM sessions) - ${RECENT_SALES}
       EXCEPT SELECT currency FROM rates WHERE source = 'manual'`,
    )
    return codes.filter((c): c is NonUsdCurrency => isCurrency(c) && c !== 'USD').sort()
  }

  private check(atStart: boolean): void {
    this.timer = null
    if (!this.running) return
    const run = this.runCheck(atStart).finally(() => {
      if (this.inFlight === run) this.inFlight = null
    })
    this.inFlight = run
  }

  private async runCheck(atStart: boolean): Promise<void> {
    let needed: NonUsdCurrency[]
    try {
      needed = this.needed()
    } catch (error) {
      // The database closing under a stopping engine, say: look again later rather than die.
      this.logger.warn(errorFields(error), 'could not read which currencies need a rate')
      return this.schedule(this.clock.now() + this.idleCheckMs)
    }
    if (needed.length === 0) {
      this.failures = 0
      return this.schedule(this.clock.now() + this.idleCheckMs)
    }
    if (atStart && this.haveToday()) return this.schedule(nextCheckAt(this.clock.now(), true))

    const abort = new AbortController()
    this.abort = abort
    try {
      const { updated, asOf } = await this.rates.refresh({ signal: abort.signal })
      this.failures = 0
      this.logger.info({ updated, asOf, needed }, 'exchange rates refreshed')
      this.schedule(nextCheckAt(this.clock.now(), this.haveToday()))
    } catch (error) {
      if (!this.running) return
      this.failures++
      const wait = backoff(this.failures, this.retry)
      this.logger.warn({ ...errorFields(error), failures: this.failures, retryInMs: wait, needed }, 'exchange rate refresh failed')
      // A scheduled check that comes sooner than the backoff is kept: it is a good moment to try anyway.
      const now = this.clock.now()
      this.schedule(Math.min(now + wait, nextCheckAt(now, false)))
    } finally {
      if (this.abort === abort) this.abort = null
    }
  }

  /** The stored rates already carry today's ECB date: nothing newer is published before the next working day. */
  private haveToday(): boolean {
    const asOf = this.rates.latestProviderAsOf()
    // as_of is the reference date at 15:00 UTC (ecb.ts), so its UTC date is the ECB's date.
    return asOf !== null && new Date(asOf * 1000).toISOString().slice(0, 10) === frankfurtDate(this.clock.now())
  }

  private schedule(atMs: number): void {
    if (!this.running) return
    const delay = Math.max(1, atMs - this.clock.now())
    this.timer = this.timers.setTimeout(() => this.check(false), delay)
  }
}

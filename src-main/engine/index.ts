/**
 * The engine: plain TypeScript with no Electron import. It runs inside
 * Electron's main process and in a plain Node process (serve mode).
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { PaymentSession } from '../../src-preload/contract'
import type { Clock } from './clock'
import { systemClock } from './clock'
import { ClockGuard } from './clockGuard'
import type { Db } from './db'
import { openDatabase } from './db'
import { startCheckpointer } from './db/checkpointer'
import { EngineEvents } from './events'
import { RateBook, RateRefresher } from './rates'
import { Sessions } from './sessions'
import { ApiKeys, Merchants, Networks, Settings } from './shop'
import { IncomingPayments } from './watcher/pending/incoming'
import { Backups } from './backup/service'
import { Refunds } from './refunds'
import { Devices } from './devices'
import { errorFields, log } from './log'
import { AuditLog, OwnerAccess } from './owner'

export interface EngineOptions {
  /** Folder holding `stablepay.sqlite` (created if missing). */
  dataDir: string
  clock?: Clock
  lateWindowSeconds?: number
  rates?: { providerUrl?: string; maxAgeSeconds?: number }
  /** Pushed changes go here; the app passes its own so that listeners (screens, windows) outlive a restore. */
  events?: EngineEvents
}

export interface Engine {
  readonly db: Db
  readonly clock: Clock
  /** Sees the wall clock jump (set at boot, set by hand) against the monotonic clock; whoever keeps wall times listens. */
  readonly clockGuard: ClockGuard
  readonly events: EngineEvents
  readonly merchants: Merchants
  readonly apiKeys: ApiKeys
  readonly networks: Networks
  readonly settings: Settings
  readonly rates: RateBook
  readonly sessions: Sessions
  /** "Payment incoming": pending transactions shown on open sales (in memory; the watcher fills it). */
  readonly incoming: IncomingPayments
  /** The data folder (database, backups/, logs/). */
  readonly dataDir: string
  readonly backups: Backups
  /** Refunds (#11): created here, proven on-chain by the watcher. */
  readonly refunds: Refunds
  /** The append-only audit log of changes to the receiving side, networks, API keys, webhooks and the PIN (#13). */
  readonly audit: AuditLog
  /** The owner PIN and which devices hold the owner role (#13). */
  readonly owner: OwnerAccess
  /** Tills and the devices signed in at them (#13). */
  readonly devices: Devices
  /** Starts long-running services (expiry timer; later the watcher and the webhook sender). Returns stop(). */
  start(): () => Promise<void>
  close(): void
}

export const DATABASE_FILE = 'stablepay.sqlite'

export function createEngine(options: EngineOptions): Engine {
  mkdirSync(options.dataDir, { recursive: true })
  const db = openDatabase(join(options.dataDir, DATABASE_FILE))
  const clock = options.clock ?? systemClock
  const clockGuard = new ClockGuard(clock)
  const events = options.events ?? new EngineEvents()
  const merchants = new Merchants(db, clock)
  const apiKeys = new ApiKeys(db, clock)
  const networks = new Networks(db)
  const settings = new Settings(db)
  const rates = new RateBook({ db, clock, providerUrl: options.rates?.providerUrl, maxAgeSeconds: options.rates?.maxAgeSeconds })
  const incoming: IncomingPayments = new IncomingPayments({ events, session: (id) => sessionObject(id) })
  const sessions = new Sessions(db, clock, events, merchants, networks, rates, {
    lateWindowSeconds: options.lateWindowSeconds,
    incoming,
    clockGuard,
  })
  const sessionObject = (id: string): PaymentSession | null => {
    const row = sessions.rowById(id)
    return row ? sessions.toObject(row) : null
  }

  const backups = new Backups(db, clock, merchants, settings, options.dataDir)
  const refunds = new Refunds({ db, clock, events, sessions })
  const audit = new AuditLog(db, clock)
  const owner = new OwnerAccess(db, clock, audit)

  const services: Array<() => void | Promise<void>> = []
  let closed = false

  return {
    db,
    clock,
    clockGuard,
    events,
    merchants,
    apiKeys,
    networks,
    settings,
    rates,
    sessions,
    incoming,
    dataDir: options.dataDir,
    backups,
    refunds,
    audit,
    owner,
    devices: new Devices(db, clock),
    start() {
      // Expiry is cheap (an indexed range query), so a one-second tick is plenty for a 15-minute session.
      const expiry = setInterval(() => {
        try {
          sessions.expireDue()
        } catch (error) {
          log('sessions').error(errorFields(error), 'expiry tick failed')
        }
        try {
          // A refund not paid within its week fails (refund.failed): same cheap indexed tick.
          refunds.expireDue()
        } catch (error) {
          log('refunds').error(errorFields(error), 'refund expiry tick failed')
        }
      }, 1000)
      expiry.unref()
      services.push(() => clearInterval(expiry))
      services.push(startCheckpointer(db))
      services.push(backups.start())
      services.push(new RateRefresher({ db, rates, clock }).start())
      return async () => {
        for (const stop of services.splice(0).reverse()) await stop()
      }
    },
    close() {
      if (closed) return
      closed = true
      incoming.clear()
      db.close()
    },
  }
}

export { EngineError } from './errors'
export type { ErrorType } from './errors'
export { ManualClock, systemClock, nowSeconds } from './clock'
export type { Clock } from './clock'
export { ClockGuard } from './clockGuard'
export type { Db } from './db'
export { openDatabase, migrate, schemaVersion, LATEST_SCHEMA, DatabaseTooNewError, DatabaseFileError, databaseProblem } from './db'
export type { CreateSessionInput } from './sessions'
export { compositionInput } from './sessions'

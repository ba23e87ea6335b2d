import type {
  PaymentSession,
  ReversalAlert,
  SessionException,
  SessionFilter,
  SessionPage,
  SessionStatus,
  TimelineEntry,
} from '../../../src-preload/contract'
import type { Clock } from '../clock'
import type { ClockGuard } from '../clockGuard'
import type { Db } from '../db'
import { value } from '../db/sql'
import { transaction } from '../db/transaction'
import type { EngineEvents } from '../events'
import type { RateBook } from '../rates'
import type { Merchants, Networks } from '../shop'
import type { CreateSessionInput, ReserveArgs } from './create'
import { createSession, reserve } from './create'
import type { SessionScope } from './filter'
import type { IncomingView, OptionRow, SessionRow, TransferRow } from './read'
import { listSessions, optionsOf, rowById, rowBySeq, scopedRow, showIncoming, timeline, toObject } from './read'
import { acknowledgeReversal, restore, reversalAlerts, reverse } from './reversals'
import { cancel, expireDue, flag, shiftExpiry, touch, transition } from './transitions'

export interface SessionsOptions {
  /** A payment found this long after expiry still completes the session (flagged `paid_late`). Default 24 h. */
  lateWindowSeconds?: number
  /** "Payment incoming": the pending transaction shown on an open sale (watcher/pending). */
  incoming?: IncomingView
  /** Tells of wall-clock jumps: open sales made on the clock before a jump keep their remaining time. */
  clockGuard?: ClockGuard
}

/**
 * Payment sessions: creation with locked terms and reserved amounts
 * (create.ts), reads and the shapes the API shows (read.ts), and cancel,
 * expiry and the one guarded way to change a status (transitions.ts), which
 * also writes the timeline and the outbox event in the caller's transaction.
 */
export class Sessions {
  /** The start's choice (config file, tests); the owner's setting, once saved, wins over it. */
  private readonly defaultLateWindowSeconds: number
  /**
   * True while the chain watcher says this network is offline (set by the watchers when they run): a new sale is
   * not offered on a network whose payments cannot be seen, and refused when that leaves none.
   */
  networkOffline: (chainId: number) => boolean = () => false
  private readonly clockGuard: ClockGuard | undefined

  constructor(
    readonly db: Db,
    readonly clock: Clock,
    readonly events: EngineEvents,
    readonly merchants: Merchants,
    readonly networks: Networks,
    readonly rates: RateBook,
    options: SessionsOptions = {},
  ) {
    this.defaultLateWindowSeconds = options.lateWindowSeconds ?? 24 * 3600
    if (options.incoming) showIncoming(db, options.incoming)
    this.clockGuard = options.clockGuard
    if (this.clockGuard) {
      // Only sales made since this process started were timed on the clock that just jumped: older ones were
      // made on the clock of an earlier run, which a jump now says nothing about (a box that booted with a
      // stale clock and then corrected it must still expire the sales it had open before it was switched off).
      const lastSeqBefore = value<number | null>(db, 'SELECT max(seq) FROM sessions') ?? 0
      this.clockGuard.onJump((jumpMs) => shiftExpiry(this, Math.round(jumpMs / 1000), lastSeqBefore))
    }
  }

  /**
   * A payment found this long after expiry still completes the session (flagged `paid_late`): the owner's
   * Settings value (#15) when saved, read each time so a change applies to the next payment without a restart.
   */
  get lateWindowSeconds(): number {
    const stored = value<string | null>(this.db, `SELECT value FROM settings WHERE key = 'late_window_seconds'`)
    const seconds = stored === undefined || stored === null ? NaN : Number(JSON.parse(stored))
    return Number.isSafeInteger(seconds) && seconds >= 0 ? seconds : this.defaultLateWindowSeconds
  }

  /**
   * Runs `fn` in one SQLite transaction (a nested call is a savepoint) and,
   * only after the outermost commit, pushes `session:updated` for every
   * session it touched and wakes the webhook sender. Never `await` inside `fn`.
   */
  transaction<T>(fn: () => T): T {
    return transaction(this.db, fn)
  }

  create(input: CreateSessionInput): { session: PaymentSession; created: boolean } {
    // A jump not yet seen by the expiry tick is dealt with first: otherwise this sale, already timed on the new
    // clock, would be counted among those made on the old one and have its expiry moved a second time.
    this.clockGuard?.check()
    return createSession(this, input)
  }

  reserve(args: ReserveArgs): OptionRow {
    return reserve(this.db, args)
  }

  /** A session as its merchant (and mode, when given) may see it; anyone else gets 404. */
  get(id: string, scope: SessionScope): PaymentSession {
    return toObject(this.db, scopedRow(this.db, id, scope))
  }

  list(scope: SessionScope, input: SessionFilter): SessionPage {
    return listSessions(this.db, scope, input)
  }

  timeline(id: string, scope: SessionScope): TimelineEntry[] {
    return timeline(this.db, id, scope)
  }

  cancel(id: string, scope: SessionScope): PaymentSession {
    return cancel(this, id, scope)
  }

  expireDue(): number {
    // A jump seen now moves the open sales' expiry before anything is judged against the new time.
    this.clockGuard?.check()
    return expireDue(this)
  }

  transition(seq: number, to: SessionStatus, reason: string): SessionRow {
    return transition(this, seq, to, reason)
  }

  flag(seq: number, ...flags: SessionException[]): void {
    flag(this, seq, ...flags)
  }

  /** A COMPLETED sale's payment was taken back by a reorg: flag `reversed`, alert the owner, tell the back office. */
  reverse(seq: number, reason: string): void {
    reverse(this, seq, reason)
  }

  /** The reversed payment is back and confirmed: clear `reversed`, tell the back office `payment.completed` again. */
  restore(seq: number, reason: string): void {
    restore(this, seq, reason)
  }

  reversalAlerts(scope: SessionScope): ReversalAlert[] {
    return reversalAlerts(this.db, scope)
  }

  acknowledgeReversal(id: string, scope: SessionScope): ReversalAlert[] {
    return acknowledgeReversal(this, id, scope)
  }

  /** Marks a session changed inside the current transaction (pushed after commit). */
  touch(seq: number): void {
    touch(this, seq)
  }

  rowBySeq(seq: number): SessionRow | undefined {
    return rowBySeq(this.db, seq)
  }

  rowById(id: string): SessionRow | undefined {
    return rowById(this.db, id)
  }

  scopedRow(id: string, scope: SessionScope): SessionRow {
    return scopedRow(this.db, id, scope)
  }

  options(seq: number): OptionRow[] {
    return optionsOf(this.db, seq)
  }

  toObject(row: SessionRow, options?: OptionRow[], transfers?: TransferRow[]): PaymentSession {
    return toObject(this.db, row, options, transfers)
  }
}

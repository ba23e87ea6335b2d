import type { PaymentSession, PendingTx, PendingTxDropped, PendingTxEnd, SessionStatus } from '../../../../src-preload/contract'
import type { EngineEvents } from '../../events'
import { errorFields, log } from '../../log'

/** What a session looked like when its pending payment was seen. */
export interface SessionSnapshot {
  status: SessionStatus
  amount_paid: string
}

/** The part of a stored session row the answer depends on. */
export interface SessionRowLike extends SessionSnapshot {
  id: string
}

interface Held<T> {
  value: T
  seen: SessionSnapshot
}

export interface IncomingPaymentsDeps {
  events: EngineEvents
  /** The session's API object, for the push (null when it no longer exists). */
  session(id: string): PaymentSession | null
  /** How long the "went away" note stays on the session; default 30 s. */
  noteMs?: number
}

/**
 * "Payment incoming", in memory only: which open sales have a paying transfer
 * waiting in the transaction pool, and which just lost one. Nothing here is
 * stored, changes a status, writes a webhook or counts in totals; the block
 * still decides.
 *
 * Each entry remembers the session's status and amount paid when it was
 * seen, and answers only while the session is still like that. So once the
 * block credits the sale (or it expires, or is cancelled), the API object,
 * and the webhook written in that same transaction, carry `null` without
 * anyone having to clear it first.
 */
export class IncomingPayments {
  private readonly pending = new Map<string, Held<PendingTx>>()
  private readonly dropped = new Map<string, Held<PendingTxDropped> & { timer: NodeJS.Timeout }>()
  private readonly noteMs: number

  constructor(private readonly deps: IncomingPaymentsDeps) {
    this.noteMs = deps.noteMs ?? 30_000
  }

  /** The `pending_tx` of a session's API object. */
  of(row: SessionRowLike): PendingTx | null {
    const held = this.pending.get(row.id)
    return held && same(held.seen, row) ? { ...held.value } : null
  }

  /** The `pending_tx_dropped` of a session's API object. */
  droppedOf(row: SessionRowLike): PendingTxDropped | null {
    const held = this.dropped.get(row.id)
    return held && same(held.seen, row) ? { ...held.value } : null
  }

  /** Shows a pending payment on the sale (or its replacement's hash) and pushes the session. */
  show(sessionId: string, seen: SessionSnapshot, tx: PendingTx): void {
    const current = this.pending.get(sessionId)
    if (current && current.value.hash === tx.hash && same(current.seen, seen)) return
    this.pending.set(sessionId, { value: { ...tx }, seen: { ...seen } })
    this.clearNote(sessionId)
    this.push(sessionId)
  }

  /** The pending payment went away without paying: back to waiting, with a short note, and a push. */
  drop(sessionId: string, hash: string, reason: PendingTxEnd, at: number): void {
    const current = this.pending.get(sessionId)
    if (!current || current.value.hash !== hash) return
    this.pending.delete(sessionId)
    this.clearNote(sessionId)
    const timer = setTimeout(() => {
      if (this.dropped.get(sessionId)?.timer !== timer) return
      this.dropped.delete(sessionId)
      this.push(sessionId)
    }, this.noteMs)
    timer.unref?.()
    this.dropped.set(sessionId, { value: { hash, reason, at }, seen: current.seen, timer })
    this.push(sessionId)
  }

  /**
   * Forgets a sale's pending payment without a push: the sale has moved on
   * (credited, expired, cancelled), and that change already pushed it.
   */
  forget(sessionId: string): void {
    this.pending.delete(sessionId)
    this.clearNote(sessionId)
  }

  /** Sessions with a pending payment shown right now (diagnostics and tests). */
  get size(): number {
    return this.pending.size
  }

  /** Stops the note timers (engine shutdown). */
  clear(): void {
    for (const id of [...this.dropped.keys()]) this.clearNote(id)
    this.pending.clear()
  }

  private clearNote(sessionId: string): void {
    const note = this.dropped.get(sessionId)
    if (!note) return
    clearTimeout(note.timer)
    this.dropped.delete(sessionId)
  }

  private push(sessionId: string): void {
    const { events } = this.deps
    if (!events.hasListeners('session:updated')) return
    try {
      const session = this.deps.session(sessionId)
      if (session) events.emit('session:updated', session)
    } catch (error) {
      // A closing database: the screens refetch on their next look.
      log('pending').error(errorFields(error), 'session:updated push failed')
    }
  }
}

function same(a: SessionSnapshot, b: SessionSnapshot): boolean {
  return a.status === b.status && a.amount_paid === b.amount_paid
}

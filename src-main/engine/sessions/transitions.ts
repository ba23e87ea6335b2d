import type { PaymentSession, SessionException, SessionStatus } from '../../../src-preload/contract'
import type { Clock } from '../clock'
import { nowSeconds } from '../clock'
import type { Db } from '../db'
import { all, run } from '../db/sql'
import { afterCommit, transaction } from '../db/transaction'
import { conflict, notFound } from '../errors'
import type { EngineEvents } from '../events'
import { newId } from '../ids'
import type { SessionScope } from './filter'
import type { SessionRow } from './read'
import { rowBySeq, scopedRow, toObject } from './read'
import { assertTransition, eventTypeFor } from './stateMachine'

/** What a status change needs. */
export interface ChangeDeps {
  db: Db
  clock: Clock
  events: EngineEvents
  /** A payment found this long after expiry still completes the session. */
  lateWindowSeconds: number
}

/** Marks a session changed: once the outermost commit is done, its new state is pushed (`session:updated`). */
export function touch(deps: Pick<ChangeDeps, 'db' | 'events'>, seq: number): void {
  const { db, events } = deps
  afterCommit(db, `session:${seq}`, () => {
    if (!events.hasListeners('session:updated')) return
    const row = rowBySeq(db, seq)
    if (row) events.emit('session:updated', toObject(db, row))
  })
}

export function cancel(deps: ChangeDeps, id: string, scope: SessionScope): PaymentSession {
  return transaction(deps.db, () => {
    const row = scopedRow(deps.db, id, scope)
    if (row.status !== 'PENDING')
      throw conflict('session_not_cancellable', `session ${row.id} is ${row.status}; only a PENDING session can be cancelled`, 'id')
    return toObject(deps.db, transition(deps, row.seq, 'CANCELLED', 'cancelled'))
  })
}

/**
 * Expires sessions past `expires_at`: PENDING ones, and PROCESSING ones still
 * underpaid. A fully paid session awaiting confirmations does not expire.
 */
export function expireDue(deps: ChangeDeps): number {
  const now = nowSeconds(deps.clock)
  return transaction(deps.db, () => {
    releaseLapsedHolds(deps.db, now)
    const due = all<SessionRow>(
      deps.db,
      // Fully paid PROCESSING sessions wait for confirmations and are left out here, in SQL, so that a
      // backlog of them can never fill the batch and stall expiry. Base units are canonical integer
      // strings: a longer one is larger, and equal lengths compare as text. The first status term is
      // the open-sessions index's own condition: without it, SQLite cannot tell that index applies
      // and reads every session ever made, every second.
      `SELECT * FROM sessions WHERE status IN ('PENDING', 'PROCESSING') AND expires_at <= ? AND (status = 'PENDING' OR (status = 'PROCESSING' AND amount_due IS NOT NULL
         AND (length(amount_paid) < length(amount_due) OR (length(amount_paid) = length(amount_due) AND amount_paid < amount_due))))
       ORDER BY expires_at LIMIT 1000`,
      now,
    )
    for (const row of due) transition(deps, row.seq, 'EXPIRED', row.status === 'PENDING' ? 'expired unpaid' : 'expired underpaid')
    return due.length
  })
}

/**
 * The wall clock jumped by `seconds` (ClockGuard): the open sales made since
 * this process started had their expiry computed on the clock before the
 * jump, so it moves with it, and each keeps the minutes it had left. A jump
 * forward thus never expires a sale early, and a jump back never keeps one
 * open for hours. Chosen over timing expiry on the monotonic clock because the
 * expiry is a stored wall time that the API shows and a restart reads again:
 * correcting the stored time keeps one meaning for it everywhere.
 * `created_at` stays as recorded: payments are matched in chain time (see
 * payments/match.ts), which already allows for a till clock that is off.
 */
export function shiftExpiry(deps: ChangeDeps, seconds: number, afterSeq: number): void {
  if (seconds === 0) return
  transaction(deps.db, () => {
    const moved = all<{ seq: number }>(
      deps.db,
      `UPDATE sessions SET expires_at = expires_at + ? WHERE status IN ('PENDING', 'PROCESSING') AND seq > ? RETURNING seq`,
      seconds,
      afterSeq,
    )
    for (const { seq } of moved) touch(deps, seq)
  })
}

/** Frees reservations whose late window is over, so their amounts can be offered again. */
export function releaseLapsedHolds(db: Db, now: number): void {
  run(db, 'UPDATE payment_options SET active = 0 WHERE active = 1 AND held_until IS NOT NULL AND held_until <= ?', now)
}

/**
 * The one way a status changes. Refuses an illegal move (throws), and in the
 * caller's transaction writes the timeline entry and the outbox event.
 */
export function transition(deps: ChangeDeps, seq: number, to: SessionStatus, reason: string): SessionRow {
  const { db } = deps
  const row = rowBySeq(db, seq)
  if (!row) throw notFound(`no payment session #${seq}`)
  assertTransition(row.status, to)
  const now = nowSeconds(deps.clock)
  const ends = to === 'EXPIRED' || to === 'CANCELLED' || to === 'COMPLETED'
  run(
    db,
    `UPDATE sessions SET status = @to, updated_at = @now,
         ended_at = CASE WHEN @ends THEN coalesce(ended_at, @now) ELSE ended_at END,
         completed_at = CASE WHEN @to = 'COMPLETED' THEN @now ELSE completed_at END,
         ever_processing = CASE WHEN @to = 'PROCESSING' THEN 1 ELSE ever_processing END
       WHERE seq = @seq`,
    { to, now, ends: ends ? 1 : 0, seq },
  )
  // Paid late and open again: its amounts are held for as long as it stays open.
  if (row.status === 'EXPIRED' && to === 'PROCESSING')
    run(db, 'UPDATE payment_options SET held_until = NULL WHERE session_seq = ? AND active = 1', seq)
  // Keep the amounts reserved through the late window, so a late payment still finds its session.
  if (ends)
    run(db, 'UPDATE payment_options SET held_until = ? WHERE session_seq = ? AND held_until IS NULL', now + deps.lateWindowSeconds, seq)
  run(
    db,
    'INSERT INTO session_timeline (session_seq, at, from_status, to_status, reason) VALUES (?, ?, ?, ?, ?)',
    seq,
    now,
    row.status,
    to,
    reason,
  )
  const type = eventTypeFor(row.status, to, row.ever_processing === 1)
  const updated = rowBySeq(db, seq)!
  if (type) writeEvent(deps, type, updated)
  touch(deps, seq)
  return updated
}

/** Adds exception flags (idempotent) to a session inside the current transaction. */
export function flag(deps: Pick<ChangeDeps, 'db' | 'clock' | 'events'>, seq: number, ...flags: SessionException[]): void {
  const row = rowBySeq(deps.db, seq)
  if (!row) return
  const current = new Set(JSON.parse(row.exceptions) as SessionException[])
  const before = current.size
  for (const f of flags) current.add(f)
  if (current.size === before) return
  run(
    deps.db,
    'UPDATE sessions SET exceptions = ?, updated_at = ? WHERE seq = ?',
    JSON.stringify([...current]),
    nowSeconds(deps.clock),
    seq,
  )
  touch(deps, seq)
}

/** Writes an outbox event carrying the session exactly as the REST API shows it now, and wakes the sender after the commit. */
export function writeEvent(deps: Pick<ChangeDeps, 'db' | 'clock' | 'events'>, type: string, row: SessionRow): void {
  const { db, events } = deps
  const id = newId('evt')
  const created = nowSeconds(deps.clock)
  const body = JSON.stringify({ id, type, created, livemode: row.livemode === 1, data: { object: toObject(db, row) } })
  run(
    db,
    'INSERT INTO events (id, type, merchant_id, livemode, session_id, created, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
    id,
    type,
    row.merchant_id,
    row.livemode,
    row.id,
    created,
    body,
  )
  afterCommit(db, 'outbox:written', () => events.emitInternal('outbox:written'))
}

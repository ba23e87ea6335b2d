import type { ReversalAlert, SessionException } from '../../../src-preload/contract'
import { nowSeconds } from '../clock'
import type { Db } from '../db'
import { all, get, run } from '../db/sql'
import { transaction } from '../db/transaction'
import { conflict } from '../errors'
import { formatMinor } from '../money'
import type { SessionScope } from './filter'
import { rowBySeq, scopedRow } from './read'
import type { ChangeDeps } from './transitions'
import { touch, writeEvent } from './transitions'

/**
 * Reversals: a chain reorganisation deeper than the confirmation count took
 * back the payment of a COMPLETED sale. The status stays (COMPLETED is
 * final; the goods are gone), the sale gains the exception `reversed`, the
 * back office hears `payment.reversed`, the totals stop counting it, and
 * the owner sees an alert until acknowledged. If the transfer comes back and
 * is confirmed again, `reversed` clears and the back office hears
 * `payment.completed` once more. Each step is a line in the sale's timeline.
 */

const REVERSED: SessionException = 'reversed'

/** Flags a COMPLETED sale whose credited payment no longer covers it; call after its amounts are updated. */
export function reverse(deps: ChangeDeps, seq: number, reason: string): void {
  const { db } = deps
  const row = rowBySeq(db, seq)
  if (!row || row.status !== 'COMPLETED') return
  const flags = JSON.parse(row.exceptions) as SessionException[]
  if (flags.includes(REVERSED)) return
  const now = nowSeconds(deps.clock)
  run(db, 'UPDATE sessions SET exceptions = ?, updated_at = ? WHERE seq = ?', JSON.stringify([...flags, REVERSED]), now, seq)
  note(db, seq, now, reason)
  // A new reversal of the same sale is a new alert, even if the owner acknowledged an earlier one.
  run(
    db,
    `INSERT INTO reversal_alerts (session_seq, reversed_at, acknowledged_at) VALUES (?, ?, NULL)
     ON CONFLICT (session_seq) DO UPDATE SET reversed_at = excluded.reversed_at, acknowledged_at = NULL`,
    seq,
    now,
  )
  writeEvent(deps, 'payment.reversed', rowBySeq(db, seq)!)
  touch(deps, seq)
}

/** The reversed payment is back and confirmed again: the sale is paid, and the back office is told so. */
export function restore(deps: ChangeDeps, seq: number, reason: string): void {
  const { db } = deps
  const row = rowBySeq(db, seq)
  if (!row || row.status !== 'COMPLETED') return
  const flags = JSON.parse(row.exceptions) as SessionException[]
  if (!flags.includes(REVERSED)) return
  const now = nowSeconds(deps.clock)
  run(db, 'UPDATE sessions SET exceptions = ?, updated_at = ? WHERE seq = ?', JSON.stringify(flags.filter((f) => f !== REVERSED)), now, seq)
  note(db, seq, now, reason)
  // Nothing is wrong any more: an alert still showing would send the owner after money that arrived.
  run(db, 'DELETE FROM reversal_alerts WHERE session_seq = ?', seq)
  writeEvent(deps, 'payment.completed', rowBySeq(db, seq)!)
  touch(deps, seq)
}

export function hasReversed(exceptions: string): boolean {
  return (JSON.parse(exceptions) as SessionException[]).includes(REVERSED)
}

/** Reversals the owner has not acknowledged, oldest first, for the shop (and mode) the UI acts for. */
export function reversalAlerts(db: Db, scope: SessionScope): ReversalAlert[] {
  const mode = scope.livemode === undefined ? '' : ' AND s.livemode = @livemode'
  const rows = all<{ id: string; order_id: string; amount_minor: number; currency: string; reversed_at: number }>(
    db,
    `SELECT s.id, s.order_id, s.amount_minor, s.currency, a.reversed_at
       FROM reversal_alerts a JOIN sessions s ON s.seq = a.session_seq
      WHERE a.acknowledged_at IS NULL AND s.merchant_id = @merchant${mode}
      ORDER BY a.reversed_at, a.session_seq`,
    { merchant: scope.merchantId, ...(scope.livemode === undefined ? {} : { livemode: scope.livemode ? 1 : 0 }) },
  )
  return rows.map((r) => ({
    session_id: r.id,
    order_id: r.order_id,
    amount: formatMinor(BigInt(r.amount_minor), r.currency as Parameters<typeof formatMinor>[1]),
    currency: r.currency,
    reversed_at: r.reversed_at,
  }))
}

/**
 * The owner has seen the reversal: the alert goes, on every screen and after
 * a restart, and the timeline says when. The sale stays `reversed` (it is
 * still unpaid); acknowledging twice is harmless.
 */
export function acknowledgeReversal(deps: ChangeDeps, id: string, scope: SessionScope): ReversalAlert[] {
  const { db } = deps
  return transaction(db, () => {
    const row = scopedRow(db, id, scope)
    const alert = get<{ acknowledged_at: number | null }>(db, 'SELECT acknowledged_at FROM reversal_alerts WHERE session_seq = ?', row.seq)
    if (!alert) throw conflict('session_not_reversed', `session ${row.id} has no reversed payment to acknowledge`, 'id')
    if (alert.acknowledged_at === null) {
      const now = nowSeconds(deps.clock)
      run(db, 'UPDATE reversal_alerts SET acknowledged_at = ? WHERE session_seq = ?', now, row.seq)
      note(db, row.seq, now, 'reversal acknowledged by the owner')
      touch(deps, row.seq)
    }
    return reversalAlerts(db, scope)
  })
}

/** A timeline line that is not a status change: the status stays what it was. */
function note(db: Db, seq: number, at: number, reason: string): void {
  const status = rowBySeq(db, seq)!.status
  run(
    db,
    'INSERT INTO session_timeline (session_seq, at, from_status, to_status, reason) VALUES (?, ?, ?, ?, ?)',
    seq,
    at,
    status,
    status,
    reason,
  )
}

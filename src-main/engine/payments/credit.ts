import type { SessionException } from '../../../src-preload/contract'
import { nowSeconds } from '../clock'
import type { Db } from '../db'
import { all, get, run, value, values } from '../db/sql'
import { EngineError } from '../errors'
import type { OptionRow, ReserveArgs, SessionRow, Sessions } from '../sessions'
import { OPEN_STATUSES } from '../sessions'
import { hasReversed } from '../sessions/reversals'
import { optionFor } from './match'
import type { TransferRow } from './transfers'
import type { CanonicalHashes, CanonicalProofRequest, ObservedTransfer, PaymentsDeps, Reopening } from './types'

// Current conditions: recomputed from the credited transfers each time, so they
// can also clear (a remainder paid drops `underpaid`). The others are events
// that happened and stay (the timeline keeps the history of both kinds).
const DERIVED: readonly SessionException[] = ['underpaid', 'overpaid', 'multiple_payments', 'paid_after_cancel']

interface CreditRow extends TransferRow {
  decimals: number
}

/**
 * Status effects of one transfer landing on a session, decided by its block
 * time: a late payment (within the hold) re-opens an expired session; a
 * payment on a finished session is recorded and flagged, never reopening it.
 * `manual`: the owner assigned it, so an expired session reopens even past the late window.
 */
export function credit(
  deps: PaymentsDeps,
  reopening: Reopening,
  seq: number,
  t: Pick<ObservedTransfer, 'blockTimestamp'>,
  manual: boolean,
): void {
  const { sessions } = deps
  const row = sessions.rowBySeq(seq)
  if (!row) return
  const late = t.blockTimestamp > row.expires_at
  if (late && (OPEN_STATUSES.includes(row.status) || row.status === 'EXPIRED')) sessions.flag(seq, 'paid_late')
  if (row.status === 'EXPIRED') {
    const withinWindow = t.blockTimestamp <= row.expires_at + sessions.lateWindowSeconds
    // The order already has another live session: reopening this one would make two, which the shop
    // could not tell apart (and the database refuses). The payment stays recorded and flagged.
    if ((withinWindow || manual) && !liveSibling(deps.db, row)) {
      reopening.set(seq, late ? 'paid late' : 'payment made before expiry, seen after')
    }
  }
  flagDuplicateOrder(deps, row)
}

function liveSibling(db: Db, row: SessionRow): boolean {
  return (
    value(
      db,
      `SELECT 1 FROM sessions WHERE merchant_id = ? AND livemode = ? AND order_id = ? AND seq != ? AND status IN ('PENDING', 'PROCESSING') LIMIT 1`,
      row.merchant_id,
      row.livemode,
      row.order_id,
      row.seq,
    ) !== undefined
  )
}

/** Two sessions of one order both paid: the customer paid twice and one must be refunded. */
function flagDuplicateOrder(deps: PaymentsDeps, row: SessionRow): void {
  const paidSiblings = values<number>(
    deps.db,
    `SELECT s.seq FROM sessions s WHERE s.merchant_id = ? AND s.livemode = ? AND s.order_id = ? AND s.seq != ?
       AND EXISTS (SELECT 1 FROM transfers t WHERE t.session_seq = s.seq AND t.state != 'orphaned')`,
    row.merchant_id,
    row.livemode,
    row.order_id,
    row.seq,
  )
  if (paidSiblings.length === 0) return
  deps.sessions.flag(row.seq, 'duplicate_order_payment')
  for (const sibling of paidSiblings) deps.sessions.flag(sibling, 'duplicate_order_payment')
}

/**
 * Brings a session in line with its credited, non-orphaned transfers:
 * amounts, remainder reservation, confirmations, current-condition flags,
 * and the status moves that follow (PROCESSING, COMPLETED, or back after a
 * reorg). Returns the canonical proofs still needed before it may complete.
 */
export function recompute(deps: PaymentsDeps, reopening: Reopening, seq: number, canonical: CanonicalHashes): CanonicalProofRequest[] {
  const { db, sessions } = deps
  let row = sessions.rowBySeq(seq)
  if (!row) return []
  const now = nowSeconds(deps.clock)
  const credits = all<CreditRow>(
    db,
    `SELECT t.*, coalesce(o.decimals, tk.decimals, 0) AS decimals FROM transfers t
     LEFT JOIN payment_options o ON o.id = t.option_id
     LEFT JOIN tokens tk ON tk.chain_id = t.chain_id AND tk.address = t.token_address
     WHERE t.session_seq = ? AND t.state != 'orphaned' ORDER BY t.block_number, t.log_index, t.id`,
    seq,
  )

  if (credits.length === 0) {
    // Everything it was paid with was reorged out: back to an unpaid session, and the remainder QR
    // it was shown no longer means anything (what remains is the whole amount again).
    dropRemainders(db, seq)
    update(deps, row, { paid_option_id: null, amount_due: null, amount_paid: '0', confirmations: 0 }, new Set())
    if (row.status === 'PROCESSING') sessions.transition(seq, now < row.expires_at ? 'PENDING' : 'EXPIRED', 'payment reorged out')
    // Deeper than the confirmations: the sale was already COMPLETED (the goods are gone) and stays so, flagged.
    if (row.status === 'COMPLETED') sessions.reverse(seq, 'payment reversed: a chain reorganisation removed its transfer')
    return []
  }

  const first = credits[0]!
  let paidOption =
    row.paid_option_id !== null ? get<OptionRow>(db, 'SELECT * FROM payment_options WHERE id = ?', row.paid_option_id) : undefined
  if (!paidOption) paidOption = optionFor(db, seq, first.chain_id, first.token_address, first.to_address)
  if (!paidOption) return []
  if (paidOption.kind !== 'payment')
    paidOption = optionFor(db, seq, paidOption.chain_id, paidOption.token_address, paidOption.address) ?? paidOption
  const firstCredit = row.paid_option_id === null
  let due = BigInt(firstCredit || row.amount_due === null ? paidOption.amount : row.amount_due)
  let paid = 0n
  for (const c of credits) paid += normalize(BigInt(c.amount), c.decimals, paidOption.decimals)

  const reopenReason = reopening.get(seq)
  reopening.delete(seq)
  const open = OPEN_STATUSES.includes(row.status) || reopenReason !== undefined
  if (open && paid < due) {
    const remaining = (due - paid).toString()
    const current = value(
      db,
      // The exact hold, found by a seek in the reservation index.
      `SELECT id FROM payment_options WHERE chain_id = ? AND token_address = ? AND address = ? AND length(amount) = length(?) AND amount = ?
         AND active = 1 AND session_seq = ? AND kind = 'remainder'`,
      paidOption.chain_id,
      paidOption.token_address,
      paidOption.address,
      remaining,
      remaining,
      seq,
    )
    if (current === undefined) {
      const remainder = reserveRemainder(sessions, {
        sessionSeq: seq,
        chainId: paidOption.chain_id,
        token: paidOption.token_symbol,
        tokenAddress: paidOption.token_address,
        decimals: paidOption.decimals,
        address: paidOption.address,
        childIndex: paidOption.child_index,
        baseAmount: due - paid,
      })
      // The suffix that makes the remainder unique is part of what is due, so paying the remainder QR exactly is exact.
      if (remainder) due += BigInt(remainder.suffix)
    }
  }

  const confirmations = Math.min(...credits.map((c) => c.confirmations))
  const derived = new Set<SessionException>()
  if (paid < due) derived.add('underpaid')
  if (paid > due) derived.add('overpaid')
  if (credits.length >= 2) derived.add('multiple_payments')
  if (row.status === 'CANCELLED') derived.add('paid_after_cancel')
  update(
    deps,
    row,
    {
      paid_option_id: paidOption.id,
      amount_due: due.toString(),
      amount_paid: paid.toString(),
      confirmations,
      ...(firstCredit ? { required_confirmations: requiredConfirmations(db, paidOption.chain_id) } : {}),
    },
    derived,
  )

  if (reopenReason !== undefined && row.status === 'EXPIRED') row = sessions.transition(seq, 'PROCESSING', reopenReason)
  if (row.status === 'PENDING') {
    const flags = JSON.parse(sessions.rowBySeq(seq)!.exceptions) as SessionException[]
    row = sessions.transition(seq, 'PROCESSING', flags.includes('paid_late') ? 'paid late' : 'payment detected')
  }
  if (row.status === 'COMPLETED') {
    const reversed = hasReversed(sessions.rowBySeq(seq)!.exceptions)
    if (paid < due) {
      if (!reversed) sessions.reverse(seq, 'payment reversed: a chain reorganisation removed part of it')
      return []
    }
    if (reversed) {
      // Back in the new chain: restored by the same rule that completes a sale (deep enough, blocks proven canonical).
      const proofs = unconfirmedOrUnproven(db, credits, canonical, seq)
      if (proofs) return proofs
      run(db, `UPDATE transfers SET state = 'confirmed' WHERE session_seq = ? AND state = 'pending'`, seq)
      sessions.restore(seq, `payment back in the chain (${confirmations} confirmation${confirmations === 1 ? '' : 's'})`)
      return []
    }
  }
  if (row.status !== 'PROCESSING') {
    // Nothing waits on these any more: stop refreshing them every block once they are deep enough.
    for (const c of credits)
      if (c.state === 'pending' && c.confirmations >= requiredConfirmations(db, c.chain_id))
        run(db, `UPDATE transfers SET state = 'confirmed' WHERE id = ?`, c.id)
    return []
  }
  if (paid < due) return []
  const proofs = unconfirmedOrUnproven(db, credits, canonical, seq)
  if (proofs) return proofs
  // Transfers first: the payment.completed event carries the session as it is once confirmed.
  run(db, `UPDATE transfers SET state = 'confirmed' WHERE session_seq = ? AND state = 'pending'`, seq)
  sessions.transition(seq, 'COMPLETED', `confirmed (${confirmations} confirmation${confirmations === 1 ? '' : 's'})`)
  return []
}

/**
 * What still stands between fully paid credits and COMPLETED: null when every
 * one is deep enough and its block proven canonical; otherwise the proofs to
 * fetch (none while some are not deep enough yet).
 */
function unconfirmedOrUnproven(db: Db, credits: CreditRow[], canonical: CanonicalHashes, seq: number): CanonicalProofRequest[] | null {
  if (!credits.every((c) => c.confirmations >= requiredConfirmations(db, c.chain_id))) return []
  const unproven = credits.filter((c) => canonical.get(c.chain_id)?.get(c.block_number) !== c.block_hash)
  if (unproven.length > 0) {
    return unproven.map((c) => ({ sessionSeq: seq, chainId: c.chain_id, blockNumber: c.block_number, blockHash: c.block_hash }))
  }
  return null
}

/**
 * A remainder QR, or none when no free amount is left for one. Throwing here
 * would roll back the whole scan, and the watcher would retry the same blocks
 * forever, crediting nobody on that chain.
 */
function reserveRemainder(sessions: Sessions, args: Omit<ReserveArgs, 'kind'>): OptionRow | null {
  try {
    return sessions.reserve({ ...args, kind: 'remainder' })
  } catch (error) {
    if (error instanceof EngineError && error.code === 'amount_space_exhausted') return null
    throw error
  }
}

function dropRemainders(db: Db, seq: number): void {
  for (const r of all<OptionRow>(db, `SELECT * FROM payment_options WHERE session_seq = ? AND kind = 'remainder'`, seq)) {
    // An orphaned transfer may still point at it (and come back if re-included): point it at the sale's option for that token.
    const payment = optionFor(db, seq, r.chain_id, r.token_address, r.address)
    run(db, 'UPDATE transfers SET option_id = ? WHERE option_id = ?', payment && payment.kind === 'payment' ? payment.id : null, r.id)
    run(db, 'DELETE FROM payment_options WHERE id = ?', r.id)
  }
}

function update(
  deps: PaymentsDeps,
  row: SessionRow,
  fields: {
    paid_option_id: number | null
    amount_due: string | null
    amount_paid: string
    confirmations: number
    required_confirmations?: number
  },
  derived: Set<SessionException>,
): void {
  const current = JSON.parse(row.exceptions) as SessionException[]
  const wanted = new Set<SessionException>([...current.filter((f) => !DERIVED.includes(f)), ...derived])
  // Keep the order they first appeared in, so the UI does not reshuffle badges each block.
  const ordered = [...current.filter((f) => wanted.has(f)), ...[...wanted].filter((f) => !current.includes(f))]
  const next = {
    paid_option_id: fields.paid_option_id,
    amount_due: fields.amount_due,
    amount_paid: fields.amount_paid,
    confirmations: fields.confirmations,
    required_confirmations: fields.required_confirmations ?? row.required_confirmations,
    exceptions: JSON.stringify(ordered),
  }
  const same =
    row.paid_option_id === next.paid_option_id &&
    row.amount_due === next.amount_due &&
    row.amount_paid === next.amount_paid &&
    row.confirmations === next.confirmations &&
    row.required_confirmations === next.required_confirmations &&
    row.exceptions === next.exceptions
  if (same) return
  run(
    deps.db,
    `UPDATE sessions SET paid_option_id = @paid_option_id, amount_due = @amount_due, amount_paid = @amount_paid,
       confirmations = @confirmations, required_confirmations = @required_confirmations, exceptions = @exceptions, updated_at = @now
     WHERE seq = @seq`,
    { ...next, now: nowSeconds(deps.clock), seq: row.seq },
  )
  deps.sessions.touch(row.seq)
}

/** The owner may change a chain's confirmations in settings at any time: read each time, never cached. */
export function requiredConfirmations(db: Db, chainId: number): number {
  return value<number>(db, 'SELECT confirmations FROM chains WHERE chain_id = ?', chainId) ?? 1
}

/** Converts base units between decimals; rounds down (never credits more than was sent). */
export function normalize(amount: bigint, fromDecimals: number, toDecimals: number): bigint {
  if (fromDecimals === toDecimals) return amount
  if (fromDecimals > toDecimals) return amount / 10n ** BigInt(fromDecimals - toDecimals)
  return amount * 10n ** BigInt(toDecimals - fromDecimals)
}

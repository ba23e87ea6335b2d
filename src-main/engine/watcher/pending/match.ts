import type { SessionStatus } from '../../../../src-preload/contract'
import type { Db } from '../../db'
import { get } from '../../db/sql'

export interface PendingMatch {
  seq: number
  id: string
  status: SessionStatus
  amount_paid: string
}

interface Candidate extends PendingMatch {
  amount_due: string | null
  option_amount: string
}

/**
 * The open sale a pending transfer pays, judged as the watcher judges a mined
 * log, but only where the answer is certain before the block: the exact
 * reserved amount on that address (a unique amount, or the remainder QR of an
 * underpaid sale), or, in xpub mode, the sale's own address with at least
 * what it still asks. A sale already paid in full, or a transfer for less,
 * shows nothing until its block, as before.
 */
export function matchPending(db: Db, chainId: number, token: string, to: string, amount: bigint): PendingMatch | null {
  const params = { chain: chainId, token, to, amount: amount.toString() }
  const exact = get<Candidate>(
    db,
    // The reservation index: a seek, whatever the number of sales.
    `SELECT s.seq, s.id, s.status, s.amount_paid, s.amount_due, o.amount AS option_amount
     FROM payment_options o JOIN sessions s ON s.seq = o.session_seq
     WHERE o.chain_id = @chain AND o.token_address = @token AND o.address = @to
       AND length(o.amount) = length(@amount) AND o.amount = @amount AND o.active = 1
     ORDER BY o.id DESC LIMIT 1`,
    params,
  )
  if (exact && waitsFor(exact, amount)) return pick(exact)
  const child = get<Candidate>(
    db,
    // The address twice: exactly, and as the child-address index compares it, so that index can find it.
    `SELECT s.seq, s.id, s.status, s.amount_paid, s.amount_due, o.amount AS option_amount
     FROM payment_options o JOIN sessions s ON s.seq = o.session_seq
     WHERE o.chain_id = @chain AND o.token_address = @token AND o.address = @to AND o.address = @to COLLATE NOCASE
       AND o.child_index IS NOT NULL AND o.active = 1
     ORDER BY o.id DESC LIMIT 1`,
    params,
  )
  if (child && waitsFor(child, amount, true)) return pick(child)
  return null
}

/** An open sale still short of what it asks, and a transfer that covers it (exactly, unless `atLeast`). */
function waitsFor(c: Candidate, amount: bigint, atLeast = false): boolean {
  const paid = BigInt(c.amount_paid)
  if (c.status === 'PENDING' && paid === 0n) return atLeast ? amount >= BigInt(c.option_amount) : true
  if (c.status !== 'PROCESSING' || c.amount_due === null) return false
  const remaining = BigInt(c.amount_due) - paid
  if (remaining <= 0n) return false
  return atLeast ? amount >= remaining : true
}

function pick(c: Candidate): PendingMatch {
  return { seq: c.seq, id: c.id, status: c.status, amount_paid: c.amount_paid }
}

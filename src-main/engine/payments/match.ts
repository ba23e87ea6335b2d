import type { Db } from '../db'
import { get, values } from '../db/sql'
import type { OptionRow } from '../sessions'
import type { ObservedTransfer } from './types'

/**
 * Allowance on top of the till-vs-chain offset the watcher measured (the
 * transfer's time arrives here already on the till's clock): block producers
 * set timestamps loosely, the offset is only measured to a few seconds, and
 * below 15 s it is not applied at all. An old transfer (from well before the
 * sale) is still never credited to it.
 */
const CLOCK_SKEW_SECONDS = 300

/**
 * Which reservation a transfer pays: the exact amount whose hold covers the
 * block time; in xpub mode the session's own address at any amount; else the
 * single open session waiting on that address (under/overpaid); else nobody.
 */
export function match(db: Db, t: ObservedTransfer): { sessionSeq: number; optionId: number } | null {
  // Every branch also asks that the block is not older than the sale: a payment cannot come before its QR
  // was shown, and a catch-up over old blocks must not credit an old transfer to today's sale.
  // `t.blockTimestamp` is on the till's clock here (record.ts moved it by the measured offset).
  const params = {
    chain: t.chainId,
    token: t.tokenAddress,
    to: t.to,
    amount: t.amount.toString(),
    ts: t.blockTimestamp,
    skew: CLOCK_SKEW_SECONDS,
  }
  const exact = get<{ id: number; session_seq: number }>(
    db,
    `SELECT id, session_seq FROM payment_options
     WHERE chain_id = @chain AND token_address = @token AND address = @to AND length(amount) = length(@amount) AND amount = @amount
       AND active = 1 AND (held_until IS NULL OR held_until > @ts)
       AND (SELECT created_at FROM sessions WHERE seq = payment_options.session_seq) <= @ts + @skew
     ORDER BY id DESC LIMIT 1`,
    params,
  )
  if (exact) return { sessionSeq: exact.session_seq, optionId: exact.id }
  // Released while the app was offline, yet still held when the block was made.
  const released = get<{ id: number; session_seq: number }>(
    db,
    `SELECT id, session_seq FROM payment_options
     WHERE chain_id = @chain AND token_address = @token AND address = @to AND amount = @amount
       AND active = 0 AND held_until IS NOT NULL AND held_until > @ts
       AND (SELECT created_at FROM sessions WHERE seq = payment_options.session_seq) <= @ts + @skew
     ORDER BY id DESC LIMIT 1`,
    params,
  )
  if (released) return { sessionSeq: released.session_seq, optionId: released.id }
  const xpub = get<{ id: number; session_seq: number }>(
    db,
    // The address twice: exactly, and as the child-address index compares it, so that index can find it.
    `SELECT id, session_seq FROM payment_options
     WHERE chain_id = @chain AND token_address = @token AND address = @to AND address = @to COLLATE NOCASE AND child_index IS NOT NULL
       AND ((active = 1 AND (held_until IS NULL OR held_until > @ts)) OR (active = 0 AND held_until IS NOT NULL AND held_until > @ts))
       AND (SELECT created_at FROM sessions WHERE seq = payment_options.session_seq) <= @ts + @skew
     ORDER BY active DESC, kind = 'payment' DESC, id DESC LIMIT 1`,
    params,
  )
  if (xpub) return { sessionSeq: xpub.session_seq, optionId: xpub.id }
  const open = values<number>(
    db,
    `SELECT DISTINCT o.session_seq FROM payment_options o JOIN sessions s ON s.seq = o.session_seq
     WHERE o.chain_id = @chain AND o.token_address = @token AND o.address = @to AND o.active = 1 AND s.status IN ('PENDING', 'PROCESSING')
       AND s.created_at <= @ts + @skew
     LIMIT 2`,
    params,
  )
  if (open.length === 1) {
    const seq = open[0]!
    const option = optionFor(db, seq, t.chainId, t.tokenAddress, t.to)
    if (option) return { sessionSeq: seq, optionId: option.id }
  }
  return null
}

/** The session's option on (chain, token), preferring the same address and the payment kind. */
export function optionFor(db: Db, seq: number, chainId: number, tokenAddress: string, address: string | null): OptionRow | undefined {
  return get<OptionRow>(
    db,
    `SELECT * FROM payment_options WHERE session_seq = ? AND chain_id = ? AND token_address = ?
     ORDER BY (address = ?) DESC, kind = 'payment' DESC, active DESC, id LIMIT 1`,
    seq,
    chainId,
    tokenAddress,
    address ?? '',
  )
}

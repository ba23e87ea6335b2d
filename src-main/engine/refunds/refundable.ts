import type { Refundable, RefundableOption } from '../../../src-preload/contract'
import type { Db } from '../db'
import { all, get } from '../db/sql'
import { formatBaseUnits } from '../money'
import type { SessionRow } from '../sessions'

/** Statuses that hold part of what a session received: open ones (the owner may pay them any moment) and succeeded ones. */
export const COMMITTED_STATUSES = ['pending', 'processing', 'succeeded'] as const

/**
 * The arithmetic, in one token's base units: what can still be refunded, and
 * what the refund screen prefills. `overpaidExcess` is what arrived beyond the
 * price (0 when the sale was not overpaid, or for a token it was not paid in):
 * refunding an overpaid sale suggests giving back the excess that is left.
 */
export function refundableAmounts(received: bigint, committed: bigint, overpaidExcess: bigint): { refundable: bigint; suggested: bigint } {
  const refundable = received > committed ? received - committed : 0n
  const excessLeft = overpaidExcess > committed ? overpaidExcess - committed : 0n
  const suggested = excessLeft > 0n && excessLeft < refundable ? excessLeft : refundable
  return { refundable, suggested }
}

interface ReceivedRow {
  chain_id: number
  token_address: string
  token_symbol: string
  decimals: number | null
  network: string | null
  received: string
  last_from: string
}

/**
 * Per (chain, token) the session received: its credited transfers that a reorg
 * has not taken back, and the `from` of the newest of them (the default
 * destination). Two small reads over the session's own rows.
 */
export function refundableOf(db: Db, session: SessionRow): Refundable {
  const transfers = all<{
    chain_id: number
    token_address: string
    token_symbol: string
    amount: string
    from_address: string
    decimals: number | null
    network: string | null
  }>(
    db,
    `SELECT t.chain_id, t.token_address, t.token_symbol, t.amount, t.from_address, coalesce(o.decimals, tk.decimals) AS decimals, c.name AS network
       FROM transfers t LEFT JOIN payment_options o ON o.id = t.option_id
       LEFT JOIN tokens tk ON tk.chain_id = t.chain_id AND tk.address = t.token_address
       LEFT JOIN chains c ON c.chain_id = t.chain_id
      WHERE t.session_seq = ? AND t.state != 'orphaned' ORDER BY t.block_number, t.log_index`,
    session.seq,
  )
  const byToken = new Map<string, ReceivedRow>()
  for (const t of transfers) {
    const key = `${t.chain_id}|${t.token_address}`
    const row = byToken.get(key)
    if (row) {
      row.received = (BigInt(row.received) + BigInt(t.amount)).toString()
      row.last_from = t.from_address
    } else byToken.set(key, { ...t, received: t.amount, last_from: t.from_address })
  }
  const committed = new Map<string, bigint>()
  for (const r of all<{ chain_id: number; token_address: string; amount: string }>(
    db,
    `SELECT chain_id, token_address, amount FROM refunds WHERE session_seq = ? AND status IN ('pending', 'processing', 'succeeded')`,
    session.seq,
  )) {
    const key = `${r.chain_id}|${r.token_address}`
    committed.set(key, (committed.get(key) ?? 0n) + BigInt(r.amount))
  }
  const paid =
    session.paid_option_id !== null
      ? get<{ chain_id: number; token_address: string }>(
          db,
          'SELECT chain_id, token_address FROM payment_options WHERE id = ?',
          session.paid_option_id,
        )
      : undefined
  const exceptions = JSON.parse(session.exceptions) as string[]
  const options: RefundableOption[] = []
  for (const [key, row] of byToken) {
    if (row.decimals === null) continue
    const received = BigInt(row.received)
    const done = committed.get(key) ?? 0n
    const isPaidToken = paid !== undefined && `${paid.chain_id}|${paid.token_address}` === key
    const excess =
      isPaidToken &&
      exceptions.includes('overpaid') &&
      session.amount_due !== null &&
      BigInt(session.amount_paid) > BigInt(session.amount_due)
        ? BigInt(session.amount_paid) - BigInt(session.amount_due)
        : 0n
    const { refundable, suggested } = refundableAmounts(received, done, excess)
    options.push({
      chain_id: row.chain_id,
      network: row.network ?? `Chain ${row.chain_id}`,
      token: row.token_symbol,
      token_address: row.token_address,
      decimals: row.decimals,
      received_base_units: received.toString(),
      refunded_base_units: done.toString(),
      refundable_base_units: refundable.toString(),
      refundable: formatBaseUnits(refundable, row.decimals),
      suggested: formatBaseUnits(suggested, row.decimals),
      default_destination: row.last_from,
    })
  }
  // The token the sale was paid in first: it is what a refund is paid in unless the owner picks another.
  if (paid)
    options.sort(
      (a, b) =>
        Number(b.chain_id === paid.chain_id && b.token_address === paid.token_address) -
        Number(a.chain_id === paid.chain_id && a.token_address === paid.token_address),
    )
  return {
    session_id: session.id,
    refundable: refundableStatus(session.status) && options.some((o) => o.refundable_base_units !== '0'),
    options,
  }
}

/** An open sale may still be paid (its remainder, its confirmations): money goes back once it has ended. */
export function refundableStatus(status: SessionRow['status']): boolean {
  return status === 'COMPLETED' || status === 'EXPIRED' || status === 'CANCELLED'
}

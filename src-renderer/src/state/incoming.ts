import type { PaymentSession, PendingTx, PendingTxDropped } from '../../../src-preload/contract'
import type { SaleView } from './sessionView'

/**
 * "Payment incoming" at the counter: the customer pressed Send and the
 * transfer waits in the pool for its block. Shown only where the sale still
 * waits for money (waiting, or the rest after an underpayment); once the
 * block is in, the sale's own status speaks.
 */
export function incomingOf(session: PaymentSession, view: SaleView): PendingTx | null {
  if (!session.pending_tx) return null
  return view.kind === 'waiting' || view.kind === 'underpaid' ? session.pending_tx : null
}

/** A pending payment that went away without paying, while the sale still waits: the screens say so briefly. */
export function incomingLostOf(session: PaymentSession, view: SaleView): PendingTxDropped | null {
  if (!session.pending_tx_dropped || session.pending_tx) return null
  return view.kind === 'waiting' || view.kind === 'underpaid' ? session.pending_tx_dropped : null
}

/** 0x1234abcd…90ef: enough to match the hash in the customer's wallet. */
export function shortHash(hash: string): string {
  return hash.length > 16 ? `${hash.slice(0, 10)}…${hash.slice(-4)}` : hash
}

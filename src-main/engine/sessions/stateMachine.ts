import type { SessionStatus } from '../../../src-preload/contract'
import { conflict } from '../errors'

/**
 * The only moves a payment session can make. COMPLETED and CANCELLED are
 * terminal: a payment that arrives later is recorded as an exception instead.
 * PROCESSING → PENDING is a reorg that removed its transfer before expiry;
 * EXPIRED → PROCESSING is a payment found within the late window.
 */
export const TRANSITIONS: Readonly<Record<SessionStatus, readonly SessionStatus[]>> = {
  PENDING: ['PROCESSING', 'EXPIRED', 'CANCELLED'],
  PROCESSING: ['COMPLETED', 'PENDING', 'EXPIRED'],
  EXPIRED: ['PROCESSING'],
  COMPLETED: [],
  CANCELLED: [],
}

export const OPEN_STATUSES: readonly SessionStatus[] = ['PENDING', 'PROCESSING']

export function canTransition(from: SessionStatus, to: SessionStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

export function assertTransition(from: SessionStatus, to: SessionStatus): void {
  if (!canTransition(from, to)) throw conflict('illegal_transition', `a ${from} session cannot become ${to}`, 'status')
}

/** The webhook event a move emits, if any (StablePay has no event for a reorg back to PENDING). */
export function eventTypeFor(from: SessionStatus, to: SessionStatus, everProcessing: boolean): string | null {
  switch (to) {
    case 'PROCESSING':
      return 'payment.processing'
    case 'COMPLETED':
      return 'payment.completed'
    case 'CANCELLED':
      return 'payment.cancelled'
    case 'EXPIRED':
      // Reached PROCESSING and ended without completing: underpaid at expiry, or orphaned then expired.
      return from === 'PROCESSING' || everProcessing ? 'payment.failed' : 'payment.expired'
    case 'PENDING':
      return null
  }
}

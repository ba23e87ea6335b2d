import type { PaymentOption, PaymentSession } from '../../../src-preload/contract'
import { baseUnitsToDecimal } from '../i18n/format'

/**
 * What a session means at the counter, derived from the engine's object only
 * (no local guesses about status): shared by the cashier and the customer
 * display so both always tell the same story.
 */
export type SaleView =
  | { kind: 'waiting'; option: PaymentOption }
  | { kind: 'detected'; option: PaymentOption; confirmations: number; required: number }
  | { kind: 'underpaid'; option: PaymentOption; remainder: PaymentOption | null; paid: string; remaining: string }
  | { kind: 'paid'; option: PaymentOption; paid: string; overpaidBy: string | null }
  | { kind: 'expired'; option: PaymentOption | null; paid: string | null }
  | { kind: 'cancelled'; option: PaymentOption | null }

/** The option the customer paid with (the first transfer's chain and token), else the first offered. */
function paidOption(session: PaymentSession): PaymentOption | null {
  const first = session.transactions.find((t) => t.state !== 'orphaned')
  if (first) {
    const match = session.payment_options.find(
      (o) => o.chain_id === first.chain_id && o.token_address.toLowerCase() === first.token_address.toLowerCase(),
    )
    if (match) return match
  }
  return session.payment_options[0] ?? null
}

export function hasPayment(session: PaymentSession): boolean {
  return BigInt(session.amount_paid_base_units || '0') > 0n
}

export function viewOf(session: PaymentSession): SaleView {
  const option = paidOption(session)
  const decimals = option?.decimals ?? 6
  const paid = baseUnitsToDecimal(session.amount_paid_base_units, decimals)
  const remaining = baseUnitsToDecimal(session.amount_remaining_base_units, decimals)
  const paidSomething = hasPayment(session)
  switch (session.status) {
    case 'COMPLETED': {
      const due = option ? BigInt(option.amount_base_units) : 0n
      const extra = BigInt(session.amount_paid_base_units) - due
      const overpaid = session.exceptions.includes('overpaid') && extra > 0n
      return { kind: 'paid', option: option!, paid, overpaidBy: overpaid ? baseUnitsToDecimal(extra.toString(), decimals) : null }
    }
    case 'EXPIRED':
      return { kind: 'expired', option, paid: paidSomething ? paid : null }
    case 'CANCELLED':
      return { kind: 'cancelled', option }
    case 'PENDING':
    case 'PROCESSING': {
      if (!option) return { kind: 'cancelled', option: null }
      const short = BigInt(session.amount_remaining_base_units || '0') > 0n
      if (paidSomething && short) return { kind: 'underpaid', option, remainder: session.remainder_option, paid, remaining }
      if (session.status === 'PROCESSING')
        return {
          kind: 'detected',
          option,
          confirmations: Math.min(session.confirmations, session.required_confirmations),
          required: session.required_confirmations,
        }
      return { kind: 'waiting', option }
    }
  }
}

/** The QR the customer should scan now: the remainder after an underpayment, else the offered option. */
export function qrOption(view: SaleView): PaymentOption | null {
  if (view.kind === 'underpaid') return view.remainder
  if (view.kind === 'waiting' || view.kind === 'detected') return view.option
  return null
}

export const isOpen = (session: PaymentSession) => session.status === 'PENDING' || session.status === 'PROCESSING'

import type { Refund, RefundableOption, RefundFilter, RefundStatus } from '../../../src-preload/contract'
import { refundDestination, txHash } from '../../../src-preload/schemas'
import { baseUnitsToDecimal } from '../../../src-preload/shared/money'
import type { ownerStrings } from './strings'

// Plain types, not imports of the components and hooks that define them: this file runs under Node in tests.
type OwnerKey = keyof typeof ownerStrings & string
/** The status chip's tones (components/StatusChip.tsx). */
type StatusTone = 'neutral' | 'info' | 'ok' | 'warn' | 'bad' | 'idle'

/**
 * What the refund screens decide, as pure functions (unit-tested under Node):
 * the checks of what the owner types, in the owner's words (a string key and
 * its values, so both languages say the same), and the small rules of the
 * refund list. The engine checks everything again; these only spare the
 * owner a round trip and say exactly what is wrong while typing.
 */

export type Problem = { key: OwnerKey; params?: Record<string, string | number> }
export type AmountCheck = { ok: true; amount: string; baseUnits: bigint } | ({ ok: false } & Problem)
export type TextCheck = { ok: true; value: string } | ({ ok: false } & Problem)

/**
 * A refund amount as typed, against what can still be refunded in that token:
 * the same grammar as the engine (digits, one point, no more decimals than the
 * token has, never a float), so what passes here is what the engine will read.
 */
export function checkRefundAmount(
  text: string,
  option: Pick<RefundableOption, 'decimals' | 'refundable_base_units' | 'token'>,
): AmountCheck {
  const s = text.trim().replace(',', '.')
  if (s === '') return { ok: false, key: 'history.refunds.check.amountEmpty' }
  const match = /^(\d*)(?:\.(\d*))?$/.exec(s)
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) return { ok: false, key: 'history.refunds.check.amountInvalid' }
  const int = match[1] || '0'
  const frac = match[2] ?? ''
  if (frac.length > option.decimals)
    return { ok: false, key: 'history.refunds.check.amountTooPrecise', params: { n: option.decimals, token: option.token } }
  // More integer digits than any balance can have: refused before BigInt sees a million digits.
  if (int.length > 78)
    return { ok: false, key: 'history.refunds.check.amountTooMuch', params: { max: maxText(option), token: option.token } }
  const baseUnits = BigInt(int + frac.padEnd(option.decimals, '0'))
  if (baseUnits === 0n) return { ok: false, key: 'history.refunds.check.amountZero' }
  if (baseUnits > BigInt(option.refundable_base_units))
    return { ok: false, key: 'history.refunds.check.amountTooMuch', params: { max: maxText(option), token: option.token } }
  return { ok: true, amount: baseUnitsToDecimal(baseUnits.toString(), option.decimals), baseUnits }
}

const maxText = (option: Pick<RefundableOption, 'decimals' | 'refundable_base_units'>) =>
  baseUnitsToDecimal(option.refundable_base_units, option.decimals)

/**
 * The destination's shape, and that it is not one of this sale's own receiving
 * addresses (money sent there never leaves the shop). Its EIP-55 checksum is
 * the engine's to judge (keccak lives there): the form asks it after this passes.
 */
export function checkDestination(text: string, shopAddresses: readonly string[]): TextCheck {
  const s = text.trim()
  if (s === '') return { ok: false, key: 'history.refunds.check.destinationEmpty' }
  if (!refundDestination.safeParse(s).success) return { ok: false, key: 'history.refunds.check.destinationFormat' }
  if (shopAddresses.some((a) => a.toLowerCase() === s.toLowerCase())) return { ok: false, key: 'history.refunds.check.destinationShop' }
  return { ok: true, value: s }
}

/** A pasted transaction hash: 0x and 64 hex characters (the engine then reads the chain). */
export function checkTxHash(text: string): TextCheck {
  const s = text.trim()
  if (s === '') return { ok: false, key: 'history.refunds.check.txEmpty' }
  if (!txHash.safeParse(s).success) return { ok: false, key: 'history.refunds.check.txFormat' }
  return { ok: true, value: s }
}

/** Status in colour and words at once: waiting neutral, confirming blue, done green, ended grey, failed red. */
export function refundTone(status: RefundStatus): StatusTone {
  switch (status) {
    case 'pending':
      return 'neutral'
    case 'processing':
      return 'info'
    case 'succeeded':
      return 'ok'
    case 'canceled':
      return 'idle'
    case 'failed':
      return 'bad'
  }
}

/** Only a refund still waiting for the owner's transfer can be called off. */
export const isCancelable = (refund: Pick<Refund, 'status'>) => refund.status === 'pending'
/** Waiting or confirming: its QR and live status stay useful. */
export const isOpen = (refund: Pick<Refund, 'status'>) => refund.status === 'pending' || refund.status === 'processing'

/** The option the form starts on: the first token with something left to refund. */
export function firstRefundable(options: readonly RefundableOption[]): RefundableOption | null {
  return options.find((o) => BigInt(o.refundable_base_units) > 0n) ?? null
}

export const optionKey = (o: Pick<RefundableOption, 'chain_id' | 'token'>) => `${o.chain_id}:${o.token}`

/**
 * A pushed refund into a list: replaced where it is, else added where its
 * creation time puts it (`newestFirst` for the Refunds tab, oldest first for a
 * sale's own list). Returns the same array when it does not belong.
 */
export function mergeRefund(list: readonly Refund[], refund: Refund, order: 'newestFirst' | 'oldestFirst'): Refund[] {
  const index = list.findIndex((r) => r.id === refund.id)
  if (index >= 0) {
    const next = list.slice()
    next[index] = refund
    return next
  }
  const next = [...list, refund]
  next.sort((a, b) => (order === 'newestFirst' ? b.created_at - a.created_at : a.created_at - b.created_at))
  return next
}

/** Engine refusals the owner gets in plain words (both languages); anything else shows the engine's own message. */
const ERROR_KEYS: Record<string, OwnerKey> = {
  refund_exceeds_received: 'history.refunds.error.exceeds',
  session_not_refundable: 'history.refunds.error.notRefundable',
  refund_conflict: 'history.refunds.error.conflict',
  refund_not_cancelable: 'history.refunds.error.notCancelable',
  refund_proof_mismatch: 'history.refunds.error.txNotMatching',
  refund_not_pending: 'history.refunds.error.notPending',
  destination_checksum_invalid: 'history.refunds.check.destinationChecksum',
  destination_is_shop: 'history.refunds.check.destinationShop',
  connection_lost: 'history.refunds.error.connection',
}

export function refundErrorKey(code: string): OwnerKey | null {
  return Object.hasOwn(ERROR_KEYS, code) ? ERROR_KEYS[code]! : null
}

/** The Refunds tab's filter as the owner sets it. */
export interface RefundsFilter {
  status: RefundStatus | ''
  /** A sale's session id (ps_…), as typed or from a link. */
  sessionId: string
}

export const EMPTY_REFUNDS_FILTER: RefundsFilter = { status: '', sessionId: '' }

export function toRefundFilter(filter: RefundsFilter): RefundFilter {
  const out: RefundFilter = {}
  if (filter.status) out.status = filter.status
  const session = filter.sessionId.trim()
  if (session) out.session_id = session
  return out
}

/** Where the browser downloads the refunds of this filter as CSV (serve mode), like the sales export. */
export function refundsExportHref(filter: RefundFilter): string {
  const params = new URLSearchParams()
  if (filter.status) params.set('status', filter.status)
  if (filter.session_id) params.set('session_id', filter.session_id)
  const query = params.toString()
  return `export/refunds.csv${query ? `?${query}` : ''}`
}

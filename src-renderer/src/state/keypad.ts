import { MAX_AMOUNT_INT_DIGITS } from '../../../src-preload/shared/money'

/**
 * The amount entry as the cashier types it: a decimal string, never a
 * number, so "25.50" stays "25.50" and a 12-digit price stays exact.
 */
export type KeypadKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | '.' | 'backspace' | 'clear'

export function applyKey(entry: string, key: KeypadKey, decimals: number): string {
  switch (key) {
    case 'clear':
      return ''
    case 'backspace':
      return entry.slice(0, -1)
    case '.':
      // JPY, KRW, VND have no minor unit: a decimal point would be a typo.
      if (decimals === 0 || entry.includes('.')) return entry
      return entry === '' ? '0.' : `${entry}.`
    case '00':
      return applyKey(applyKey(entry, '0', decimals), '0', decimals)
    default:
      return typeDigit(entry, key, decimals)
  }
}

function typeDigit(entry: string, digit: string, decimals: number): string {
  const [whole = '', fraction] = entry.split('.')
  if (fraction !== undefined) return fraction.length >= decimals ? entry : entry + digit
  // A leading zero is replaced, never kept: "05" is not how a price is written.
  if (whole === '0') return digit
  if (whole === '' && digit === '0') return '0'
  if (whole.length >= MAX_AMOUNT_INT_DIGITS) return entry
  return entry + digit
}

/** True when the entry is a positive amount the engine would accept. */
export function isChargeable(entry: string): boolean {
  return /^\d+(\.\d*)?$/.test(entry) && /[1-9]/.test(entry)
}

/** "25." → "25", "0.5" stays: what is sent to sessions:create. */
export function toAmount(entry: string): string {
  return entry.endsWith('.') ? entry.slice(0, -1) : entry
}

/** Physical keyboard → keypad key (null: not ours). */
export function keyFromKeyboard(key: string): KeypadKey | null {
  if (/^[0-9]$/.test(key)) return key as KeypadKey
  if (key === '.' || key === ',' || key === 'Decimal') return '.'
  if (key === 'Backspace') return 'backspace'
  if (key === 'Delete') return 'clear'
  return null
}

/** True when the typed amount is above the owner's "ask first" threshold (both decimal strings; "0" never asks). */
export function isAboveThreshold(entry: string, threshold: string): boolean {
  const scaled = (s: string): bigint => {
    const [whole = '0', fraction = ''] = s.split('.')
    return BigInt(`${whole || '0'}${fraction.padEnd(6, '0').slice(0, 6)}`)
  }
  if (!/^\d+(\.\d*)?$/.test(threshold) || scaled(threshold) === 0n) return false
  return scaled(toAmount(entry)) > scaled(threshold)
}

import { formatFixed, MoneyError } from '../../../src-preload/shared/money'
import { digitsToBigInt, divRoundHalfUp, quoteInput, splitPlainDecimal } from './decimal'

/**
 * Exchange rates, always "USD per one unit of a currency". Rate text comes in
 * two forms:
 * - a plain decimal ("1.08", "0.0066"): manual rates, and the ECB's own USD
 *   figure, which is the rate for EUR;
 * - the quotient of two plain decimals ("1.0812/162.45"): USD per EUR over
 *   JPY per EUR, for a currency the ECB prices in euros. Such a quotient
 *   usually has no finite decimal, and cutting it to 12 decimals puts a
 *   999,999,999,999 JPY sale tens of cents off, so it is kept as written and
 *   a price is converted with the exact fraction.
 */

export const MAX_RATE_INT_DIGITS = 12
export const MAX_RATE_DECIMALS = 18

export interface DecimalRate {
  /** The rate's digits as an integer: rate = digits / 10^scale. */
  readonly digits: bigint
  /** Number of decimals, trailing zeros removed (so "1.080" gives scale 2). */
  readonly scale: number
}

/** A rate as an exact fraction: USD per one unit = num / den. */
export interface ExactRate {
  readonly num: bigint
  readonly den: bigint
}

/**
 * Parse a positive exchange rate such as "1.08" or "0.0066" into an exact
 * rational digits / 10^scale. Same strict grammar as amounts; at most 12
 * integer digits and 18 decimals (enough for any fiat/USD rate, bounded so a
 * hostile config cannot make the bigint math arbitrarily large). Trailing
 * fraction zeros are accepted here (unlike amounts, a rate has no "currency
 * precision" to respect) and normalised away.
 */
export function parseDecimalRate(rate: string): DecimalRate {
  const { int, frac } = splitPlainDecimal(rate, 'rate', 'rate_invalid', 'rate')
  if (int.length > MAX_RATE_INT_DIGITS) {
    throw new MoneyError(
      'rate_invalid',
      `rate ${quoteInput(rate)} has ${int.length} integer digits; the maximum is ${MAX_RATE_INT_DIGITS}`,
      'rate',
    )
  }
  if (frac.length > MAX_RATE_DECIMALS) {
    throw new MoneyError(
      'rate_invalid',
      `rate ${quoteInput(rate)} has ${frac.length} decimals; the maximum is ${MAX_RATE_DECIMALS}`,
      'rate',
    )
  }
  const trimmed = frac.replace(/0+$/, '')
  const digits = digitsToBigInt(int, trimmed, trimmed.length)
  if (digits === 0n) {
    throw new MoneyError('rate_invalid', `rate ${quoteInput(rate)} must be greater than zero`, 'rate')
  }
  return { digits, scale: trimmed.length }
}

/** Render digits / 10^scale as a plain decimal, trailing zeros trimmed ("1.08", "0.0066", "2"). */
export function formatDecimalRate(rate: DecimalRate): string {
  return formatFixed(rate.digits, rate.scale, 0)
}

/**
 * Canonical text of a rate ("01.080" -> "1.08"). Used wherever two rates are
 * compared as strings, e.g. deciding whether a re-applied manual rate changed.
 */
export function normalizeRate(rate: string): string {
  return formatDecimalRate(parseDecimalRate(rate))
}

/** Rate text of either form as an exact fraction. Throws `rate_invalid` for anything else. */
export function parseRate(text: string): ExactRate {
  const slash = text.indexOf('/')
  if (slash < 0) {
    const { digits, scale } = parseDecimalRate(text)
    return { num: digits, den: 10n ** BigInt(scale) }
  }
  const a = parseDecimalRate(text.slice(0, slash))
  const b = parseDecimalRate(text.slice(slash + 1))
  // (a.digits / 10^a.scale) / (b.digits / 10^b.scale)
  return { num: a.digits * 10n ** BigInt(b.scale), den: b.digits * 10n ** BigInt(a.scale) }
}

/**
 * The rate a / b as exact rate text: a plain decimal when the quotient ends
 * within MAX_RATE_DECIMALS (1.08 / 0.864 is "1.25"), else the quotient
 * itself ("1.08/162").
 */
export function divideRates(a: DecimalRate, b: DecimalRate): string {
  let num = a.digits * 10n ** BigInt(b.scale)
  let den = b.digits * 10n ** BigInt(a.scale)
  const g = gcd(num, den)
  num /= g
  den /= g
  // The quotient ends exactly when the reduced denominator is 2^i x 5^j; it then needs max(i, j) decimals.
  let rest = den
  let twos = 0
  let fives = 0
  while (rest % 2n === 0n) [rest, twos] = [rest / 2n, twos + 1]
  while (rest % 5n === 0n) [rest, fives] = [rest / 5n, fives + 1]
  const scale = Math.max(twos, fives)
  if (rest === 1n && scale <= MAX_RATE_DECIMALS) return formatFixed((num * 10n ** BigInt(scale)) / den, scale, 0)
  return `${formatDecimalRate(a)}/${formatDecimalRate(b)}`
}

/** Decimals a quotient rate is shown with: 8 or more significant digits even for IDR or VND. */
export const SHOWN_RATE_DECIMALS = 12

/**
 * Rate text as a person reads it (settings, a session's `exchange_rate`): a
 * plain decimal as it is, a quotient rounded half-up to SHOWN_RATE_DECIMALS.
 * Only for showing: prices are converted with the exact rate.
 */
export function readableRate(text: string): string {
  if (!text.includes('/')) return normalizeRate(text)
  const { num, den } = parseRate(text)
  return formatFixed(divRoundHalfUp(num * 10n ** BigInt(SHOWN_RATE_DECIMALS), den), SHOWN_RATE_DECIMALS, 0)
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b]
  return a
}

import { MoneyError, type MoneyErrorCode } from '../../../src-preload/shared/money'

/**
 * Quote user input inside an error message. JSON.stringify escapes control
 * characters and quotes (so a hostile value cannot forge log lines), and the
 * truncation keeps a megabyte-long "amount" from being echoed back whole.
 */
export function quoteInput(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s)
}

/**
 * The one decimal grammar shared by amounts and rates: ASCII digits, then
 * optionally one '.' followed by at least one digit. Deliberately stricter
 * than Number()/parseFloat: no sign, exponent, whitespace, hex, separators,
 * ".5" or "5.". Integrators send money as JSON strings and any leniency here
 * becomes a different amount than the one they meant.
 *
 * `\d` without the `u` flag is ASCII 0-9 only, so full-width or Arabic-Indic
 * digits are rejected too.
 */
const PLAIN_DECIMAL = /^(\d+)(?:\.(\d+))?$/

export interface DecimalParts {
  /** Integer digits with leading zeros stripped ("" for zero). */
  readonly int: string
  /** Fraction digits exactly as written, trailing zeros kept ("" if none). */
  readonly frac: string
}

/**
 * Split a plain positive-looking decimal string, or throw `code` with a
 * message naming `label` ("amount", "rate"). Range and precision checks are
 * left to callers because they differ (currency exponent, token decimals).
 */
export function splitPlainDecimal(input: unknown, label: string, code: MoneyErrorCode, param: string): DecimalParts {
  if (typeof input !== 'string') {
    throw new MoneyError(code, `${label} must be a string like "100.50", not a ${typeof input}`, param)
  }
  if (input === '') {
    throw new MoneyError(code, `${label} is empty; send a decimal string like "100.50"`, param)
  }
  const m = PLAIN_DECIMAL.exec(input)
  if (!m) {
    if (/^\s*-/.test(input)) {
      throw new MoneyError(code, `${label} ${quoteInput(input)} is negative; it must be positive`, param)
    }
    throw new MoneyError(
      code,
      `${label} ${quoteInput(input)} is not a plain decimal like "100.50" ` +
        '(digits, optionally one "." followed by digits; no sign, exponent, spaces or separators)',
      param,
    )
  }
  return { int: (m[1] ?? '').replace(/^0+/, ''), frac: m[2] ?? '' }
}

/** Digits to bigint; "" is zero (BigInt('') is 0n too, but say it on purpose). */
export function digitsToBigInt(int: string, frac: string, scale: number): bigint {
  // Callers guarantee frac.length <= scale; pad to the target scale.
  const s = int + frac.padEnd(scale, '0')
  return s === '' ? 0n : BigInt(s)
}

/**
 * Integer division rounded half-up (ties away from zero), for n >= 0, d > 0.
 * Money in this codebase is always non-negative at the point of rounding; the
 * assertion keeps a sign bug from silently rounding the wrong way.
 */
export function divRoundHalfUp(n: bigint, d: bigint): bigint {
  if (n < 0n || d <= 0n) throw new RangeError('divRoundHalfUp expects n >= 0 and d > 0')
  const q = n / d
  return (n % d) * 2n >= d ? q + 1n : q
}

/**
 * Money code the engine and the renderer both run: the currency table and the
 * exact decimal text of bigint amounts. Money is never a JS number here:
 * prices are bigint minor units of a currency (USD 10050n is "100.50"),
 * token amounts bigint base units. No Node and no DOM: this file is compiled
 * for the engine and for the renderer.
 */
import type { CurrencyCode } from '../contract'
import { CURRENCY_DECIMALS } from '../contract'

export type { CurrencyCode }

export type MoneyErrorCode =
  | 'amount_invalid'
  | 'amount_too_precise'
  | 'amount_too_large'
  | 'amount_not_positive'
  | 'rate_invalid'
  | 'currency_unsupported'
  | 'decimals_invalid'

/**
 * A rejected amount, rate or currency. `code` is stable and machine-readable
 * (the HTTP layer can pass it straight to integrators); `message` is plain
 * English meant to be shown to the integrator as-is; `param` names the input
 * field at fault when there is an obvious one ('amount', 'rate', 'currency',
 * 'decimals'). The HTTP layer may override `param` with its own field name.
 */
export class MoneyError extends Error {
  override readonly name = 'MoneyError'
  readonly code: MoneyErrorCode
  param?: string

  constructor(code: MoneyErrorCode, message: string, param?: string) {
    super(message)
    this.code = code
    if (param !== undefined) this.param = param
  }
}

/** The contract's table, frozen: the keypad and the engine accept exactly the same decimals. */
export const CURRENCIES = Object.freeze({ ...CURRENCY_DECIMALS })

/** Every supported code, in declaration order (handy for selects and tests). */
export const CURRENCY_CODES = Object.freeze(Object.keys(CURRENCIES) as CurrencyCode[])

export function isCurrency(s: unknown): s is CurrencyCode {
  // hasOwn, not `in`: "toString" or "__proto__" must not count as currencies.
  return typeof s === 'string' && Object.hasOwn(CURRENCIES, s)
}

/** Integer digits allowed in a price: 999,999,999,999 units (~1e12) of any currency; the keypad stops there too. */
export const MAX_AMOUNT_INT_DIGITS = 12

/**
 * Minor-unit decimals of a supported currency. Throws `currency_unsupported`
 * rather than returning undefined because callers coming from JS/JSON can
 * smuggle an unchecked string past the type system, and a silent `undefined`
 * exponent would turn into NaN-ish arithmetic far from the cause.
 */
export function currencyDecimals(code: CurrencyCode): number {
  if (!isCurrency(code)) {
    throw new MoneyError(
      'currency_unsupported',
      `currency ${JSON.stringify(String(code))} is not supported; use one of ${CURRENCY_CODES.join(', ')}`,
      'currency',
    )
  }
  return CURRENCIES[code]
}

/**
 * Exact fixed-point rendering of `value / 10^decimals`, trimming trailing
 * fraction zeros but keeping at least `minFrac` of them. Never uses Number,
 * so it is exact for any bigint.
 */
export function formatFixed(value: bigint, decimals: number, minFrac: number): string {
  const sign = value < 0n ? '-' : ''
  const abs = value < 0n ? -value : value
  if (decimals === 0) return sign + abs.toString()
  const s = abs.toString().padStart(decimals + 1, '0')
  const int = s.slice(0, s.length - decimals)
  let frac = s.slice(s.length - decimals)
  let end = frac.length
  while (end > minFrac && frac.charCodeAt(end - 1) === 48 /* '0' */) end--
  frac = frac.slice(0, end)
  return frac === '' ? sign + int : `${sign}${int}.${frac}`
}

/**
 * Render integer minor units with exactly the currency's decimals:
 * 10050n USD -> "100.50", 1500n JPY -> "1500", 1250n KWD -> "1.250".
 * Negative values get a leading "-" (display of adjustments).
 */
export function formatMinor(minor: bigint, currency: CurrencyCode): string {
  const decimals = currencyDecimals(currency)
  return formatFixed(minor, decimals, decimals)
}

/** ERC-20 `decimals()` returns uint8. */
const MAX_TOKEN_DECIMALS = 255

/** Throws `decimals_invalid` unless `decimals` is a whole number from `min` to 255. */
export function assertTokenDecimals(decimals: number, min: number): void {
  if (!Number.isInteger(decimals) || decimals < min || decimals > MAX_TOKEN_DECIMALS) {
    const why = min === 2 ? ' (a token with fewer than 2 decimals cannot represent US cents)' : ''
    throw new MoneyError(
      'decimals_invalid',
      `token decimals must be an integer from ${min} to ${MAX_TOKEN_DECIMALS}${why}; got ${String(decimals)}`,
      'decimals',
    )
  }
}

/**
 * Exact decimal text of a token amount: "25.50", "100.500001",
 * "1.000000000000000001". Trailing zeros are trimmed but at least
 * min(decimals, 2) fraction digits are kept so USD-like amounts read as money.
 * Never exponent notation and exact for any bigint (10^30 base units of an
 * 18-decimal token is "1000000000000.00"). Negative values get a "-".
 */
export function formatBaseUnits(base: bigint, decimals: number): string {
  assertTokenDecimals(decimals, 0)
  return formatFixed(base, decimals, Math.min(decimals, 2))
}

/**
 * Base units as the contract sends them (an integer string) to a decimal
 * string, exactly, trailing zeros trimmed: "25500000", 6 -> "25.5". Text that
 * is not an integer is returned as it came rather than guessed at, so a screen
 * shows it instead of breaking.
 */
export function baseUnitsToDecimal(baseUnits: string, decimals: number): string {
  let units: bigint
  try {
    units = BigInt(baseUnits)
  } catch {
    return baseUnits
  }
  return formatFixed(units, decimals, 0)
}

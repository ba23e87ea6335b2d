import type { CurrencyCode } from '../../../src-preload/contract'
import { CURRENCY_DECIMALS } from '../../../src-preload/contract'
import { MoneyError } from './errors'

/** The table lives in the contract so the renderer's keypad and the engine cannot disagree. */
export const CURRENCIES = Object.freeze({ ...CURRENCY_DECIMALS })

export type { CurrencyCode }

/** Every supported code, in declaration order (handy for selects and tests). */
export const CURRENCY_CODES = Object.freeze(Object.keys(CURRENCIES) as CurrencyCode[])

export function isCurrency(s: unknown): s is CurrencyCode {
  // hasOwn, not `in`: "toString" or "__proto__" must not count as currencies.
  return typeof s === 'string' && Object.hasOwn(CURRENCIES, s)
}

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

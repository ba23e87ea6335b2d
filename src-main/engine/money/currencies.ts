import { MoneyError } from './errors'

/**
 * Supported price currencies and their ISO 4217 minor-unit exponents.
 *
 * The exponent decides how many decimals an integrator may send and how an
 * amount is stored (integer minor units), so it is data, not a display hint:
 * changing a value here changes the meaning of every stored amount in that
 * currency. ISO 4217 is the authority (e.g. IDR is 2 even though cash has no
 * cents, KRW/VND/JPY are 0, the Gulf dinars/rial are 3).
 */
export const CURRENCIES = Object.freeze({
  USD: 2,
  EUR: 2,
  GBP: 2,
  AUD: 2,
  CAD: 2,
  JPY: 0,
  HKD: 2,
  SGD: 2,
  IDR: 2,
  PHP: 2,
  VND: 0,
  THB: 2,
  MYR: 2,
  MXN: 2,
  BRL: 2,
  AED: 2,
  SAR: 2,
  QAR: 2,
  KWD: 3,
  OMR: 3,
  BHD: 3,
  KRW: 0,
  CNY: 2,
} as const)

export type CurrencyCode = keyof typeof CURRENCIES

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

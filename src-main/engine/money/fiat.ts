import { currencyDecimals, MAX_AMOUNT_INT_DIGITS, MoneyError, type CurrencyCode } from '../../../src-preload/shared/money'
import { digitsToBigInt, divRoundHalfUp, quoteInput, splitPlainDecimal } from './decimal'
import { parseRate } from './rate'

function decimalsPhrase(n: number): string {
  return n === 1 ? '1 decimal' : `${n} decimals`
}

/**
 * Parse a price such as "100.50" into integer minor units of `currency`
 * (USD "100.50" -> 10050n, JPY "1500" -> 1500n, KWD "1.25" -> 1250n).
 *
 * Strict on purpose: more decimals than ISO 4217 allows is rejected even when
 * the extra digits are zeros ("1.500" for USD). Accepting "1.500" would mean
 * we silently reinterpret what the integrator sent; rejecting it surfaces a
 * bug in their formatting (typically a float or a wrong exponent) before a
 * customer pays the wrong amount.
 */
export function parseFiatAmount(amount: string, currency: CurrencyCode): bigint {
  const decimals = currencyDecimals(currency)
  const { int, frac } = splitPlainDecimal(amount, 'amount', 'amount_invalid', 'amount')
  if (frac.length > decimals) {
    const allowed = decimals === 0 ? 'none' : String(decimals)
    // Extra digits that are all zeros are still rejected (see above), but then
    // the fix is obvious, so spell it out.
    const suggestion = (int === '' ? '0' : int) + (decimals > 0 ? `.${frac.slice(0, decimals)}` : '')
    const hint = /^0+$/.test(frac.slice(decimals)) ? ` (trailing zeros count too: send ${quoteInput(suggestion)})` : ''
    throw new MoneyError(
      'amount_too_precise',
      `amount ${quoteInput(amount)} has ${decimalsPhrase(frac.length)}; ${currency} allows ${allowed}${hint}`,
      'amount',
    )
  }
  if (int.length > MAX_AMOUNT_INT_DIGITS) {
    throw new MoneyError(
      'amount_too_large',
      `amount ${quoteInput(amount)} has ${int.length} integer digits; the maximum is ${MAX_AMOUNT_INT_DIGITS}`,
      'amount',
    )
  }
  const minor = digitsToBigInt(int, frac, decimals)
  if (minor === 0n) {
    throw new MoneyError('amount_not_positive', `amount ${quoteInput(amount)} must be greater than zero`, 'amount')
  }
  return minor
}

/**
 * Convert a price in minor units of `currency` to USD cents.
 *
 * `rate` is USD per ONE unit of `currency` (EUR "1.08": 1 EUR = 1.08 USD),
 * as a plain decimal or an exact quotient such as "1.0812/162.45" (see
 * rate.ts), and must be null exactly when `currency` is USD: passing a rate
 * for USD, or no rate for anything else, is a wiring bug we want to hear about.
 *
 * The product amount x rate is computed exactly as a rational with bigints
 * and rounded once, half-up (ties away from zero), to whole cents. E.g.
 * 1500 JPY at "0.0066" -> 990n; 100.50 EUR at "1.08" -> 10854n.
 *
 * The result can be 0n for tiny amounts in weak currencies (1.00 IDR is a
 * fraction of a cent); callers must reject a zero charge themselves.
 */
export function fiatToUsdCents(minor: bigint, currency: CurrencyCode, rate: string | null): bigint {
  const decimals = currencyDecimals(currency)
  if (minor < 0n) {
    throw new MoneyError('amount_invalid', `amount in minor units (${minor}) is negative; it must be positive`, 'amount')
  }
  if (currency === 'USD') {
    if (rate !== null) {
      throw new MoneyError('rate_invalid', 'USD amounts take no exchange rate (pass null)', 'rate')
    }
    return minor
  }
  if (rate === null) {
    throw new MoneyError('rate_invalid', `an exchange rate is required to convert ${currency} to USD`, 'rate')
  }
  const { num, den } = parseRate(rate)
  // cents = minor / 10^decimals * num / den * 100
  return divRoundHalfUp(minor * num * 100n, den * 10n ** BigInt(decimals))
}

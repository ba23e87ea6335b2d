/**
 * Money for StablePay POS. Amounts are never JS numbers: prices are bigint
 * minor units of an ISO 4217 currency, settlement is bigint USD cents, and
 * on-chain amounts are bigint token base units. Text in and out is plain
 * decimal strings. This file is the module's public door.
 */
export { CURRENCIES, CURRENCY_CODES, currencyDecimals, isCurrency, type CurrencyCode } from './currencies'
export { MoneyError, type MoneyErrorCode } from './errors'
export { divRoundHalfUp } from './decimal'
export {
  divideRates,
  formatDecimalRate,
  normalizeRate,
  parseDecimalRate,
  parseRate,
  readableRate,
  MAX_RATE_DECIMALS,
  MAX_RATE_INT_DIGITS,
  SHOWN_RATE_DECIMALS,
  type DecimalRate,
  type ExactRate,
} from './rate'
export { MAX_AMOUNT_INT_DIGITS, fiatToUsdCents, formatMinor, parseFiatAmount } from './fiat'
export { MAX_UINT256, formatBaseUnits, parseTokenAmount, usdCentsToBaseUnits } from './token'

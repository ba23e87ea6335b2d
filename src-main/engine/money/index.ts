/**
 * Money for StablePay POS. Amounts are never JS numbers: prices are bigint
 * minor units of an ISO 4217 currency, settlement is bigint USD cents, and
 * on-chain amounts are bigint token base units. Text in and out is plain
 * decimal strings. This file is what other modules import: the currency table
 * and formatting live in src-preload/shared/money.ts, because the renderer
 * runs them too; parsing, rates and conversion are the engine's.
 */
export {
  CURRENCIES,
  CURRENCY_CODES,
  MAX_AMOUNT_INT_DIGITS,
  MoneyError,
  currencyDecimals,
  formatBaseUnits,
  formatMinor,
  isCurrency,
  type CurrencyCode,
  type MoneyErrorCode,
} from '../../../src-preload/shared/money'
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
export { fiatToUsdCents, parseFiatAmount } from './fiat'
export { MAX_UINT256, parseTokenAmount, usdCentsToBaseUnits } from './token'

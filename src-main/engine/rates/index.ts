/**
 * Exchange rates: "USD per one unit of currency" decimal strings, from the
 * ECB (provider) or set by the owner (manual). Other modules import from this file.
 */
export { ECB_DAILY_URL, ecbToUsdPerUnit, parseEcbXml, type EcbRates } from './ecb'
export { RateError, type RateErrorCode } from './errors'
export {
  DEFAULT_MAX_AGE_SECONDS,
  STALE_SOON_SECONDS,
  RateBook,
  formatAge,
  type Clock,
  type FiatQuote,
  type NonUsdCurrency,
  type RateBookOptions,
  type RateListEntry,
  type RateQuote,
  type RateSource,
  type UsdQuote,
} from './book'
export { CHECK_TIMES_FRANKFURT, frankfurtDate, nextCheckAt } from './schedule'
export { RateRefresher, systemTimers, type RateRefresherOptions, type Timers } from './refresher'

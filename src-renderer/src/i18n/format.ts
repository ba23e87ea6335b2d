import { currencyDecimals, isCurrency } from '../../../src-preload/shared/money'
import type { Language } from './define'

// The currency table and exact base-unit text are the engine's own code (src-preload/shared):
// the keypad accepts exactly the decimals the engine does.
export { baseUnitsToDecimal, CURRENCY_CODES } from '../../../src-preload/shared/money'

/**
 * Decimals of a price in `currency`, for the keypad and for showing it. The
 * engine stores supported currencies only; anything else gets 2 rather than
 * breaking the screen.
 */
export function priceDecimals(currency: string): number {
  return isCurrency(currency) ? currencyDecimals(currency) : 2
}

export function localeOf(language: Language): string {
  return language === 'zh-CN' ? 'zh-CN' : 'en-US'
}

// Intl formatters are costly to build and these run on every keypress and countdown tick.
const cache = new Map<string, Intl.NumberFormat>()
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`
  let f = cache.get(key)
  if (!f) {
    f = new Intl.NumberFormat(locale, options)
    cache.set(key, f)
  }
  return f
}

const DECIMAL = /^\d+(\.\d+)?$/

/**
 * Intl formats a decimal *string* exactly (no float on the way), so money
 * stays a string from the engine to the pixel. Anything that is not a plain
 * decimal is shown as it came rather than guessed at.
 */
function formatDecimalString(value: string, locale: string, options: Intl.NumberFormatOptions): string {
  if (!DECIMAL.test(value)) return value
  return numberFormat(locale, options).format(value as Intl.StringNumericLiteral)
}

/** "€25.50", "¥1,000", "US$25.50" (zh): the price as the shop wrote it. */
export function formatFiat(amount: string, currency: string, language: Language): string {
  const d = priceDecimals(currency)
  try {
    return formatDecimalString(amount, localeOf(language), {
      style: 'currency',
      currency,
      minimumFractionDigits: d,
      maximumFractionDigits: d,
    })
  } catch {
    return `${amount} ${currency}`
  }
}

/**
 * "25.50 USDC": at least two decimals so it reads like money, and never
 * rounded, because the wallet must be asked for exactly this figure.
 */
export function formatToken(amount: string, symbol: string, language: Language): string {
  const fraction = amount.split('.')[1] ?? ''
  const digits = Math.max(2, fraction.length)
  const number = formatDecimalString(amount, localeOf(language), {
    minimumFractionDigits: digits,
    maximumFractionDigits: Math.min(digits, 100),
    useGrouping: true,
  })
  return `${number} ${symbol}`
}

/** The amount being typed, grouped, keeping a trailing "." or "0" the cashier just typed. */
export function formatEntry(entry: string, language: Language): string {
  const [whole = '0', fraction] = entry.split('.')
  const grouped = formatDecimalString(whole === '' ? '0' : whole, localeOf(language), { maximumFractionDigits: 0, useGrouping: true })
  return fraction === undefined ? grouped : `${grouped}.${fraction}`
}

export function formatClock(unixSeconds: number, language: Language): string {
  return new Date(unixSeconds * 1000).toLocaleTimeString(localeOf(language), { hour: '2-digit', minute: '2-digit' })
}

export function currencyName(currency: string, language: Language): string {
  try {
    return new Intl.DisplayNames([localeOf(language)], { type: 'currency' }).of(currency) ?? currency
  } catch {
    return currency
  }
}

/** "4:05" for a countdown; never negative. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

// Pure: what the cashier screen says about the exchange rate a sale uses. Unit-tested under Node, without a DOM.
import type { PaymentSession, RateInfo } from '../../../src-preload/contract'
import { safeTimeZone } from '../../../src-preload/shared/time'
import { cashierStrings } from '../i18n/cashier'
import type { Language } from '../i18n/define'
import { localize } from '../i18n/define'
import { localeOf } from '../i18n/format'

export interface RateNote {
  /** info: the rate's date; warn: it goes stale within a day; bad: a sale in this currency would be refused. */
  tone: 'info' | 'warn' | 'bad'
  text: string
}

const formats = new Map<string, Intl.DateTimeFormat>()

/** "Dec 3, 16:00" / "12月3日 16:00" in the shop's time zone: when a rate was published or set. */
export function formatRateTime(unixSeconds: number, timeZone: string, language: Language): string {
  const locale = localeOf(language)
  const zone = safeTimeZone(timeZone)
  const key = `${locale}|${zone}`
  let f = formats.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone: zone,
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formats.set(key, f)
  }
  return f.format(new Date(unixSeconds * 1000))
}

function text(key: keyof typeof cashierStrings, language: Language, params: Record<string, string>): string {
  return localize(cashierStrings[key], language, params)
}

/** "EUR rate from Dec 3, 16:00" (or "set by hand on …") for one rate row. */
function rateDate(rate: RateInfo, timeZone: string, language: Language): string {
  const time = formatRateTime(rate.as_of, timeZone, language)
  return text(rate.source === 'manual' ? 'cashier.rateSetOn' : 'cashier.rateFrom', language, { currency: rate.currency, time })
}

/**
 * Before Charge, for a shop pricing in `currency`: the date of the rate the
 * sale would use, a warning when it goes stale within a day, or, when there
 * is none, that the sale would be refused. Nothing for USD.
 */
export function saleRateNote(currency: string, rates: readonly RateInfo[], timeZone: string, language: Language): RateNote | null {
  if (currency === 'USD') return null
  const rate = rates.find((r) => r.currency === currency && r.active)
  if (!rate) return { tone: 'bad', text: text('cashier.rateMissing', language, { currency }) }
  const dated = rateDate(rate, timeZone, language)
  if (rate.stale_soon && rate.stale_at !== null) {
    const time = formatRateTime(rate.stale_at, timeZone, language)
    return { tone: 'warn', text: `${dated}. ${text('cashier.rateStaleSoon', language, { currency, time })}` }
  }
  return { tone: 'info', text: dated }
}

/**
 * Beside a charged sale's converted amount: the date of the rate it was
 * priced at. The sale stores the rate and when it was locked, not the rate's
 * own date, so the row is recognised by its value, dated no later than the
 * lock; when none matches (the rate changed since), nothing is said rather
 * than a wrong date.
 */
export function sessionRateNote(
  session: PaymentSession,
  rates: readonly RateInfo[],
  timeZone: string,
  language: Language,
): RateNote | null {
  if (session.exchange_rate === null || session.rate_locked_at === null) return null
  const locked = session.rate_locked_at
  const used = rates
    .filter((r) => r.currency === session.currency && r.rate === session.exchange_rate && r.as_of <= locked)
    .reduce<RateInfo | null>((a, b) => (a === null || b.as_of > a.as_of ? b : a), null)
  return used ? { tone: 'info', text: rateDate(used, timeZone, language) } : null
}

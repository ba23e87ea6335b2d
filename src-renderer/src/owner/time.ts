// The pure formatting module, not the i18n door: this file is unit-tested under Node, without a DOM.
import type { Language } from '../i18n/define'
import { localeOf } from '../i18n/format'

/**
 * Days and times in the shop's time zone (merchant.time_zone), whatever the
 * zone of the machine showing the screen: a tablet set to UTC still sees the
 * shop's days, the same days the engine adds totals up by.
 */

const dayFormats = new Map<string, Intl.DateTimeFormat>()

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let f = dayFormats.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' })
    dayFormats.set(timeZone, f)
  }
  return f
}

/** A zone the browser knows, else UTC (a bad setting must not blank the History screen). */
export function safeTimeZone(timeZone: string | undefined): string {
  if (!timeZone) return 'UTC'
  try {
    dayFormat(timeZone)
    return timeZone
  } catch {
    return 'UTC'
  }
}

/** "2026-03-29": the shop's calendar day at that instant. */
export function shopDay(unixSeconds: number, timeZone: string): string {
  const parts = dayFormat(timeZone).formatToParts(new Date(unixSeconds * 1000))
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('year').padStart(4, '0')}-${get('month').padStart(2, '0')}-${get('day').padStart(2, '0')}`
}

/** "2026-03-29" plus n days (calendar arithmetic, no time zone involved). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number)
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + n))
  return date.toISOString().slice(0, 10)
}

/**
 * The first second of a shop day, as unix seconds: the smallest instant whose
 * shop day is `day`. Found by bisection on the same rule the engine uses to
 * name a sale's day, so a date filter and the totals never disagree, even on
 * a day that skips its midnight (DST at 00:00) or is 23 or 25 hours long.
 */
export function dayStart(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number)
  const noonUtc = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12) / 1000
  // Every zone is within UTC-12..+14, so the day starts somewhere in this window.
  let lo = noonUtc - 27 * 3600
  let hi = noonUtc + 13 * 3600
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (shopDay(mid, timeZone) < day) lo = mid
    else hi = mid
  }
  return hi
}

const timeFormats = new Map<string, Intl.DateTimeFormat>()

function cachedFormat(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = timeFormats.get(key)
  if (!f) timeFormats.set(key, (f = make()))
  return f
}

/** "Nov 26, 14:05" / "11月26日 14:05": dense, for a table row. */
export function formatShortDateTime(unixSeconds: number, timeZone: string, language: Language): string {
  const locale = localeOf(language)
  return cachedFormat(
    `short|${locale}|${timeZone}`,
    () =>
      new Intl.DateTimeFormat(locale, { timeZone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  ).format(new Date(unixSeconds * 1000))
}

/** "Nov 26, 2026, 14:05:09": for the detail drawer, where the exact second matters. */
export function formatFullDateTime(unixSeconds: number, timeZone: string, language: Language): string {
  const locale = localeOf(language)
  return cachedFormat(
    `full|${locale}|${timeZone}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        timeZone,
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }),
  ).format(new Date(unixSeconds * 1000))
}

/** "Sun, Mar 29" for a totals day ("YYYY-MM-DD", already the shop's day). */
export function formatDayLabel(day: string, language: Language): string {
  const [y, m, d] = day.split('-').map(Number)
  const locale = localeOf(language)
  return cachedFormat(
    `day|${locale}`,
    () => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' }),
  ).format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)))
}

/** How old something is, in the largest whole unit: for "rate 3 min old". */
export function ageParts(seconds: number): { n: number; unit: 'seconds' | 'minutes' | 'hours' | 'days' } {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return { n: s, unit: 'seconds' }
  if (s < 3600) return { n: Math.floor(s / 60), unit: 'minutes' }
  if (s < 86400) return { n: Math.floor(s / 3600), unit: 'hours' }
  return { n: Math.floor(s / 86400), unit: 'days' }
}

/** Every IANA zone the browser knows, for the time-zone picker. */
export function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] }
  const zones = intl.supportedValuesOf?.('timeZone') ?? []
  return zones.includes('UTC') ? zones : ['UTC', ...zones]
}

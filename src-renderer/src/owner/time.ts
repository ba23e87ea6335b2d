// Pure formatting, apart from the i18n tables: this file is unit-tested under Node, without a DOM.
import type { Language } from '../i18n/define'
import { localeOf } from '../i18n/format'

/**
 * Times shown in the shop's time zone (merchant.time_zone), whatever the zone
 * of the machine showing the screen. The shop's days themselves (shopDay,
 * dayStart, safeTimeZone) are the engine's own code, so a date filter and the
 * totals are counted by the same days.
 */
export { addDays, dayStart, safeTimeZone, shopDay } from '../../../src-preload/shared/time'

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

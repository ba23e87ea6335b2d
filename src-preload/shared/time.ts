/**
 * Days and wall-clock times in the shop's time zone (merchant.time_zone, an
 * IANA name such as "Asia/Kathmandu"), from the platform's tz database via
 * Intl. The engine adds totals up by these days and the History screen
 * filters by them, so both run this one file: a date filter and the totals
 * never disagree, through DST changes and :30/:45 offsets alike, whatever the
 * zone of the machine showing the screen. No Node and no DOM here.
 */

export interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  /** Minutes east of UTC at that instant, e.g. 345 for +05:45. */
  offsetMinutes: number
}

// Intl formatters are costly to build, and reports and the History filter call these many times.
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    // h23: some engines print midnight as "24" with hour12: false.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** A zone the platform knows, else UTC: a bad setting must not fail a report or blank the History screen. */
export function safeTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return 'UTC'
  try {
    formatter(timeZone)
    return timeZone
  } catch {
    return 'UTC'
  }
}

export function wallClock(unixSeconds: number, timeZone: string): WallClock {
  const parts = formatter(timeZone).formatToParts(new Date(unixSeconds * 1000))
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? NaN)
  const wall = { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') }
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) / 1000
  return { ...wall, offsetMinutes: Math.round((asUtc - unixSeconds) / 60) }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** "2026-03-29": the shop's calendar day at that instant. */
export function shopDay(unixSeconds: number, timeZone: string): string {
  const w = wallClock(unixSeconds, timeZone)
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`
}

/** "2026-03-29T01:45:00+05:45": ISO 8601 with the offset, so a spreadsheet row is unambiguous in any zone. */
export function shopDateTime(unixSeconds: number, timeZone: string): string {
  const w = wallClock(unixSeconds, timeZone)
  const sign = w.offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(w.offsetMinutes)
  // Always ±HH:MM (never Z) so the column has one shape.
  const offset = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${offset}`
}

/** "2026-03-29" plus n days (calendar arithmetic, no time zone involved). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number)
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + n))
  return date.toISOString().slice(0, 10)
}

/**
 * The first second of a shop day, as unix seconds: the smallest instant whose
 * shop day is `day`. Found by bisection on shopDay itself, so a date filter
 * and the totals never disagree, even on a day that skips its midnight (DST
 * at 00:00) or is 23 or 25 hours long.
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

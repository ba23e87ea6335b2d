/**
 * Wall-clock time in the shop's time zone (an IANA name such as
 * "Asia/Kathmandu"), from the platform's tz database via Intl: a day is the
 * shop's day, through DST changes and :30/:45 offsets alike.
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

export function wallClock(unixSeconds: number, timeZone: string): WallClock {
  const parts = formatter(timeZone).formatToParts(new Date(unixSeconds * 1000))
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? NaN)
  const wall = { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') }
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) / 1000
  return { ...wall, offsetMinutes: Math.round((asUtc - unixSeconds) / 60) }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** "2026-03-29": the shop's calendar day at that instant. */
export function localDay(unixSeconds: number, timeZone: string): string {
  const w = wallClock(unixSeconds, timeZone)
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`
}

/** "2026-03-29T01:45:00+05:45": ISO 8601 with the offset, so a spreadsheet row is unambiguous in any zone. */
export function localDateTime(unixSeconds: number, timeZone: string): string {
  const w = wallClock(unixSeconds, timeZone)
  const sign = w.offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(w.offsetMinutes)
  // Always ±HH:MM (never Z) so the column has one shape.
  const offset = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${offset}`
}

/** A zone name the platform knows; anything else falls back to UTC rather than failing a report. */
export function knownTimeZone(timeZone: string): string {
  try {
    formatter(timeZone)
    return timeZone
  } catch {
    return 'UTC'
  }
}

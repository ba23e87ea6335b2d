/**
 * When to look for new ECB reference rates. The ECB publishes them on working
 * days at about 16:00 Frankfurt time (CET in winter, CEST in summer), so the
 * till looks shortly after that and twice more the same evening in case the
 * file was late or the till was offline at the first try. Weekends have no
 * new rates, so they get no checks. TARGET holidays (1 January, Good Friday,
 * Easter Monday, 1 May, 25 and 26 December) are not modelled: on those days
 * the till asks three times and gets the previous file, which changes nothing.
 */

/** Minutes after Frankfurt midnight: 16:15, 17:00 and 18:30. */
export const CHECK_TIMES_FRANKFURT = [16 * 60 + 15, 17 * 60, 18 * 60 + 30] as const

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/** Day of the month of the last Sunday of `month` (0-based) in `year`. */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0))
  return last.getUTCDate() - last.getUTCDay()
}

/**
 * Frankfurt's offset from UTC at `utcMs`: summer time runs from the last
 * Sunday of March to the last Sunday of October, switching at 01:00 UTC
 * (the EU rule since 1996). Written out rather than asked of Intl, so the
 * schedule is the same on a machine without full time-zone data.
 */
export function frankfurtOffsetMs(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear()
  const summerStart = Date.UTC(year, 2, lastSunday(year, 2), 1)
  const summerEnd = Date.UTC(year, 9, lastSunday(year, 9), 1)
  return utcMs >= summerStart && utcMs < summerEnd ? 2 * HOUR_MS : HOUR_MS
}

/** "YYYY-MM-DD" of `utcMs` on Frankfurt's calendar. */
export function frankfurtDate(utcMs: number): string {
  return new Date(utcMs + frankfurtOffsetMs(utcMs)).toISOString().slice(0, 10)
}

/** The UTC instant of a Frankfurt wall-clock time; the check times are far from the 02:00/03:00 switch. */
function frankfurtWallToUtc(dayStartUtc: number, minutes: number): number {
  const wall = dayStartUtc + minutes * 60_000
  return wall - frankfurtOffsetMs(wall - HOUR_MS)
}

/**
 * The next check strictly after `nowMs`. When `haveToday` (the stored rates
 * already carry today's Frankfurt date), the rest of today's checks are
 * skipped: there is nothing newer to fetch until the next working day.
 */
export function nextCheckAt(nowMs: number, haveToday: boolean): number {
  const today = frankfurtDate(nowMs)
  const todayStart = Date.parse(`${today}T00:00:00Z`)
  // A week always holds a working day; 8 days covers every case.
  for (let i = 0; i < 8; i++) {
    const dayStart = todayStart + i * DAY_MS
    const weekday = new Date(dayStart).getUTCDay()
    if (weekday === 0 || weekday === 6) continue
    if (i === 0 && haveToday) continue
    for (const minutes of CHECK_TIMES_FRANKFURT) {
      const at = frankfurtWallToUtc(dayStart, minutes)
      if (at > nowMs) return at
    }
  }
  // Unreachable; a day ahead keeps the service alive if it ever were.
  return nowMs + DAY_MS
}

/**
 * Yearly dates (a birthday) as instants: the start of the day, in a time zone, on which the date
 * next comes round. A 29 February falls on 28 February in other years. Pure date arithmetic on
 * Intl's zone data; no clock.
 */

const DAY_MS = 86_400_000
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
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

/** Whether Intl knows the zone (for the config's validation). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone)
    return true
  } catch {
    return false
  }
}

/** The zone's wall clock at `ms`, as if it were UTC. */
function wallClock(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {}
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = Number(p.value)
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts
  return Date.UTC(year, month - 1, day, hour, minute, second) + (((ms % 1000) + 1000) % 1000)
}

/** The instant the zone's clock reads 00:00 on the given civil date. */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day)
  // Two rounds settle the offset, also where the zone changed its offset that week.
  let at = wall - (wallClock(wall, timeZone) - wall)
  at = wall - (wallClock(at, timeZone) - at)
  return at
}

/** The civil date (year, month, day) the zone's clock shows at `ms`. */
export function localDate(ms: number, timeZone: string): { year: number; month: number; day: number } {
  const d = new Date(wallClock(ms, timeZone))
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0

/** Parses YYYY-MM-DD into month and day; null when it is not a real date. */
export function monthDay(iso: string): { month: number; day: number } | null {
  const m = ISO_DATE.exec(iso)
  if (!m) return null
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const check = new Date(Date.UTC(year, month - 1, day))
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null
  return { month, day }
}

/**
 * The start (in `timeZone`) of the first day on or after the local day of `fromMs` that is the
 * date's anniversary; null when the date is not a date.
 */
export function nextAnniversary(iso: string, fromMs: number, timeZone: string): number | null {
  const md = monthDay(iso)
  if (!md) return null
  const from = localDate(fromMs, timeZone)
  const fromDay = Date.UTC(from.year, from.month - 1, from.day)
  for (let year = from.year; ; year++) {
    const day = md.month === 2 && md.day === 29 && !isLeap(year) ? 28 : md.day
    if (Date.UTC(year, md.month - 1, day) >= fromDay) return startOfLocalDay(year, md.month, day, timeZone)
  }
}

/** The anniversary after the one starting at `startMs` (its day plus one, on). */
export function followingAnniversary(iso: string, startMs: number, timeZone: string): number | null {
  return nextAnniversary(iso, startMs + DAY_MS + 12 * 3_600_000, timeZone)
}

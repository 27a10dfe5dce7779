/**
 * The console's report schedule: every day at REPORT_SCHEDULE (HH:MM in REPORT_TIMEZONE) the
 * daily report of the day just ended, and on Mondays also the weekly report of the week just
 * ended. croner computes the times in the zone (daylight saving included where there is any).
 */
import { Cron } from 'croner'
import { shiftDay } from '../queries/overview.ts'
import type { Period } from './report-data.ts'

export interface ScheduledRun {
  period: Period
  /** A day of the period the report covers: the day before the run, in the zone. */
  date: string
}

/** The day `at` falls on in `timeZone`, as YYYY-MM-DD. */
export function dayIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at)
}

/** What a run at `at` sends: yesterday's daily report, and on a Monday last week's too. */
export function runsAt(timeZone: string, at: Date): ScheduledRun[] {
  const yesterday = shiftDay(dayIn(timeZone, at), -1)
  const monday = new Date(`${dayIn(timeZone, at)}T00:00:00Z`).getUTCDay() === 1
  return [
    { period: 'day', date: yesterday },
    ...(monday ? [{ period: 'week' as const, date: yesterday }] : []),
  ]
}

/** Starts the schedule; `run` is called for each report due. Returns a stop function. */
export function startReportSchedule(
  schedule: string,
  timeZone: string,
  run: (r: ScheduledRun) => Promise<void>,
): { next: () => Date | null; stop: () => void } {
  const [hh, mm] = schedule.split(':').map(Number) as [number, number]
  const job = new Cron(`0 ${mm} ${hh} * * *`, { timezone: timeZone, protect: true }, async () => {
    for (const r of runsAt(timeZone, new Date())) await run(r)
  })
  return { next: () => job.nextRun(), stop: () => job.stop() }
}

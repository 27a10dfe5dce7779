import type { AlertRule } from './alert-rules.ts'
import type { SeriesRef } from './formula.ts'

const MINUTE = 60_000
const DAY = 86_400_000
const WEEK = 7 * DAY

/** One row of `metric_series`: a labelled per-minute value (minute start in ms). */
export interface SeriesRow {
  minute: number
  metric: string
  event: string
  channel_group: string
  platform: string
  value: number
}

export type Label = 'channel_group' | 'platform' | 'event'

/** The rows one of a rule's series is summed from. */
export const belongsTo = (ref: SeriesRef, row: SeriesRow): boolean =>
  row.metric === ref.metric && (ref.event === undefined || row.event === ref.event)

/**
 * The ends of the windows a rule compares the current window with: the weeks before (anomaly),
 * a week before (relative to last week), the days before (rolling median), or the window just
 * before (threshold: what an explanation compares with).
 */
export function baselineEnds(rule: AlertRule, at: number): number[] {
  const c = rule.condition
  const back = (n: number, step: number) => Array.from({ length: n }, (_, k) => at - (k + 1) * step)
  if (c.type === 'anomaly') return back(c.weeks, WEEK)
  if (c.type === 'relative')
    return c.baseline === 'same_minute_last_week' ? [at - WEEK] : back(c.baseline.rollingMedianDays, DAY)
  return [at - rule.window]
}

/** Minute ranges [from, to) every rule needs at `at`, overlaps merged. */
export function neededRanges(rules: readonly AlertRule[], at: number): Array<[number, number]> {
  const ranges = rules
    .flatMap((r) => [at, ...baselineEnds(r, at)].map((end): [number, number] => [end - r.window, end]))
    .sort((a, b) => a[0] - b[0])
  const merged: Array<[number, number]> = []
  for (const [from, to] of ranges) {
    const last = merged.at(-1)
    if (last && from <= last[1]) last[1] = Math.max(last[1], to)
    else merged.push([from, to])
  }
  return merged
}

/** `channel_group=Paid Social,platform=ios` — a series' identity within its rule ('' without breakdown). */
export function seriesKey(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')
}

/** One breakdown value combination of a rule: its labels, each var's per-minute sums, its rows. */
export interface RuleSeries {
  key: string
  labels: Record<string, string>
  points: Record<string, Map<number, number>>
  rows: SeriesRow[]
}

/** Splits the rows a rule reads into one series per value combination of its `by` labels. */
export function splitSeries(rule: AlertRule, rows: readonly SeriesRow[]): Map<string, RuleSeries> {
  const out = new Map<string, RuleSeries>()
  const vars = Object.entries(rule.formula.vars)
  for (const row of rows) {
    const hits = vars.filter(([, ref]) => belongsTo(ref, row))
    if (hits.length === 0) continue
    const labels = Object.fromEntries(rule.by.map((l) => [l, row[l]]))
    const key = seriesKey(labels)
    let s = out.get(key)
    if (!s) {
      s = { key, labels, points: Object.fromEntries(vars.map(([name]) => [name, new Map()])), rows: [] }
      out.set(key, s)
    }
    s.rows.push(row)
    for (const [name] of hits) addTo(s.points[name] as Map<number, number>, row.minute, row.value)
  }
  return out
}

function addTo(points: Map<number, number>, minute: number, value: number): void {
  points.set(minute, (points.get(minute) ?? 0) + value)
}

/** The evaluation minute: windows end at the start of the minute `delayMs` before `now`. */
export const evaluationMinute = (now: number, delayMs: number): number =>
  Math.floor((now - delayMs) / MINUTE) * MINUTE

import type { AlertRule } from './alert-rules.ts'
import { MAD_PER_SIGMA, median, modifiedZ } from './robust-stats.ts'

const DAY = 86_400_000
const WEEK = 7 * DAY

/** A series' per-minute values (minute start in ms → value); a missing minute had no data. */
export type Points = ReadonlyMap<number, number>

export interface Evaluation {
  /** The window's value: a count, a ratio or an expression's; null without data. */
  value: number | null
  baseline: number | null
  /** The anomaly rule's modified z-score. */
  score: number | null
  /** The formula's volume series (the count, the ratio's denominator) over the window. */
  volume: number
  /** null: no data in the window. */
  breached: boolean | null
}

function windowSum(points: Points, end: number, windowMs: number): { sum: number; seen: boolean } {
  let sum = 0
  let seen = false
  for (let m = end - windowMs; m < end; m += 60_000) {
    const v = points.get(m)
    if (v !== undefined) {
      sum += v
      seen = true
    }
  }
  return { sum, seen }
}

/**
 * One rule on one series (one breakdown value) at minute `at`: the window [at − window, at).
 * Baselines are the same window at earlier times: a week before, the median of the last days,
 * or — for the anomaly score — the same minute of the week over the last weeks, with the
 * deviation scale kept at least at the series' sampling noise.
 */
export function evaluateRule(
  rule: AlertRule,
  at: number,
  vars: Readonly<Record<string, Points>>,
): Evaluation {
  const f = rule.formula
  const empty: Points = new Map()
  const valueAt = (end: number): { value: number | null; volume: number; seen: boolean } => {
    const sums: Record<string, number> = {}
    let seen = false
    for (const name of Object.keys(f.vars)) {
      const w = windowSum(vars[name] ?? empty, end, rule.window)
      sums[name] = w.sum
      seen ||= w.seen
    }
    return { value: seen ? f.compute(sums) : null, volume: sums[f.volume] ?? 0, seen }
  }
  const now = valueAt(at)
  const result = (breached: boolean | null, baseline: number | null = null, score: number | null = null) => ({
    value: now.value,
    baseline,
    score,
    volume: now.volume,
    breached,
  })
  if (!now.seen || now.value === null) return result(null)
  const value = now.value
  // The minimum volume keeps a rule quiet where there is too little to judge: for a ratio, too
  // few in the denominator now; for a count, too few now *and* expected — a count that drops
  // below the floor from a baseline above it is the alert, not noise.
  const enough = (baseline: number | null) =>
    (f.kind === 'ratio' ? now.volume : Math.max(now.volume, baseline ?? 0)) >= rule.minVolume
  const c = rule.condition
  const history = (times: number[]) =>
    times.map((t) => valueAt(t).value).filter((v): v is number => v !== null)
  switch (c.type) {
    case 'threshold': {
      if (!enough(null)) return result(false)
      return result(c.op === 'above' ? value > c.value : value < c.value, c.value)
    }
    case 'relative': {
      const baseline =
        c.baseline === 'same_minute_last_week'
          ? valueAt(at - WEEK).value
          : median(
              history(Array.from({ length: c.baseline.rollingMedianDays }, (_, k) => at - (k + 1) * DAY)),
            )
      if (baseline === null || Number.isNaN(baseline) || !enough(baseline)) return result(false)
      const breached =
        c.direction === 'drop' ? value < baseline * (1 - c.byFraction) : value > baseline * (1 + c.byFraction)
      return result(breached, baseline)
    }
    case 'anomaly': {
      const past = history(Array.from({ length: c.weeks }, (_, k) => at - (k + 1) * WEEK))
      if (past.length < 3) return result(false)
      const centre = median(past)
      if (!enough(centre)) return result(false)
      // Counts and proportions have sampling noise of their own (Poisson: √λ; binomial:
      // √(p(1 − p)/n); an expression: the relative error of its volume's count, |x|/√n); the
      // deviation scale never goes below it, as a MAD.
      const n = Math.max(now.volume, 1)
      const noise =
        f.kind === 'ratio'
          ? Math.sqrt((centre * (1 - centre)) / n)
          : f.kind === 'count'
            ? Math.sqrt(Math.max(centre, 1))
            : Math.abs(centre) / Math.sqrt(n)
      const score = modifiedZ(value, past, MAD_PER_SIGMA * noise)
      const breached =
        c.direction === 'drop'
          ? score <= -c.score
          : c.direction === 'rise'
            ? score >= c.score
            : Math.abs(score) >= c.score
      return result(breached, centre, score)
    }
    default: {
      const unknown: never = c
      throw new Error(`unknown condition ${JSON.stringify(unknown)}`)
    }
  }
}

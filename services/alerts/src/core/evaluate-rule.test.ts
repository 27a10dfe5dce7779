import { describe, expect, it } from 'vitest'
import { type AlertRule, alertRulesSchema } from './alert-rules.ts'
import { evaluateRule } from './evaluate-rule.ts'

const M = 60_000
const D = 86_400_000
const W = 7 * D
const AT = Date.parse('2026-11-23T10:00:00Z')

const rule = (r: Record<string, unknown>): AlertRule =>
  alertRulesSchema.parse({
    rules: [{ name: 'r', severity: 'page', series: { metric: 'events' }, window: '15m', ...r }],
  }).rules[0] as AlertRule

/** `perMinute` per minute over the 15 minutes before each `end`. */
function points(windows: Array<[end: number, perMinute: number]>): Map<number, number> {
  const p = new Map<number, number>()
  for (const [end, v] of windows) for (let m = end - 15 * M; m < end; m += M) p.set(m, v)
  return p
}

describe('evaluating a rule', () => {
  it('threshold, with the minimum volume guard and no data', () => {
    const r = rule({ condition: { type: 'threshold', op: 'below', value: 100 }, minVolume: 50 })
    expect(evaluateRule(r, AT, { value: points([[AT, 6]]) })).toMatchObject({
      value: 90,
      volume: 90,
      breached: true,
    })
    // 15 × 3 = 45 < minVolume 50: quiet
    expect(evaluateRule(r, AT, { value: points([[AT, 3]]) }).breached).toBe(false)
    expect(evaluateRule(r, AT, { value: new Map() }).breached).toBeNull()
  })

  it('relative to the same minute last week, and to the median of the last days', () => {
    const week = rule({
      condition: { type: 'relative', baseline: 'same_minute_last_week', direction: 'drop', byFraction: 0.3 },
    })
    // 150 last week; 100 now < 150 × 0.7 = 105
    const p = points([
      [AT - W, 10],
      [AT, 100 / 15],
    ])
    expect(evaluateRule(week, AT, { value: p })).toMatchObject({ baseline: 150, breached: true })
    const days = rule({
      condition: { type: 'relative', baseline: { rollingMedianDays: 3 }, direction: 'rise', byFraction: 0.5 },
    })
    // the last 3 days: 60, 90, 300 → median 90; now 150 > 135
    const q = points([
      [AT - D, 4],
      [AT - 2 * D, 6],
      [AT - 3 * D, 20],
      [AT, 10],
    ])
    expect(evaluateRule(days, AT, { value: q })).toMatchObject({ value: 150, baseline: 90, breached: true })
  })

  it('anomaly: modified z-score against the same minute of the last weeks; a ratio', () => {
    const r = rule({
      series: { metric: 'funnel_step', event: 'onboarding/4' },
      per: { metric: 'funnel_step', event: 'onboarding/2' },
      condition: { type: 'anomaly', weeks: 4, direction: 'drop' },
      minVolume: 100,
    })
    // registrations 20/min (300 in the window) every week; card bindings 0.30, 0.28, 0.32, 0.30
    // of them in the last 4 weeks, 0.12 now.
    const regs = points([AT, AT - W, AT - 2 * W, AT - 3 * W, AT - 4 * W].map((t) => [t, 20]))
    const cards = points([
      [AT, 20 * 0.12],
      [AT - W, 20 * 0.3],
      [AT - 2 * W, 20 * 0.28],
      [AT - 3 * W, 20 * 0.32],
      [AT - 4 * W, 20 * 0.3],
    ])
    const e = evaluateRule(r, AT, { numerator: cards, denominator: regs })
    // history median 0.30, MAD median(0, 0.02, 0.02, 0) = 0.01, but the binomial noise of 300
    // registrations is √(0.3 · 0.7 / 300) = 0.026458, as a MAD 0.6745 · 0.026458 = 0.017846:
    // z = 0.6745 × (0.12 − 0.30) / 0.017846 = −6.8034
    expect(e.value).toBeCloseTo(0.12, 10)
    expect(e.baseline).toBeCloseTo(0.3, 10)
    expect(e.score).toBeCloseTo(-6.8034, 3)
    expect(e.breached).toBe(true)
    expect(e.volume).toBe(300)
  })

  it('rejects an anomaly rule on a count without a minimum volume, naming the field', () => {
    const bad = alertRulesSchema.safeParse({
      rules: [
        {
          name: 'x',
          severity: 'page',
          series: { metric: 'events' },
          condition: { type: 'anomaly', direction: 'both' },
        },
      ],
    })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['rules.0.minVolume'])
  })

  it('a count’s minimum volume is judged on the expected volume too: a collapse is not noise', () => {
    const r = rule({ condition: { type: 'anomaly', weeks: 3, direction: 'drop' }, minVolume: 100 })
    // 20/min (300 in the window) in each of the last 3 weeks, 4/min (60) now: 60 < 100, but the
    // expected 300 is not — evaluated. z = 0.6745 × (60 − 300) / (0.6745 × √300) = −13.856.
    const day = points([AT, AT - W, AT - 2 * W, AT - 3 * W].map((t, i) => [t, i === 0 ? 4 : 20]))
    expect(evaluateRule(r, AT, { value: day })).toMatchObject({
      value: 60,
      baseline: 300,
      volume: 60,
      breached: true,
    })
    expect(evaluateRule(r, AT, { value: day }).score).toBeCloseTo(-240 / Math.sqrt(300), 6)
    // At night 5/min (75) expected and 1/min (15) now: both below 100 — quiet.
    const night = points([AT, AT - W, AT - 2 * W, AT - 3 * W].map((t, i) => [t, i === 0 ? 1 : 5]))
    expect(evaluateRule(r, AT, { value: night })).toMatchObject({
      value: 15,
      baseline: null,
      breached: false,
    })
  })
})

import { describe, expect, it } from 'vitest'
import { alertRulesSchema } from './alert-rules.ts'
import { alertMessage, evaluateTick, type Tracked, thresholdOf, trackedId } from './alert-tick.ts'
import { neededRanges, type SeriesRow } from './series-frame.ts'

const M = 60_000
const T = Date.parse('2026-11-23T10:00:00Z')

const rules = alertRulesSchema.parse({
  rules: [
    {
      name: 'card_rate',
      series: { metric: 'funnel_step', event: 'onboarding/4' },
      per: { metric: 'funnel_step', event: 'onboarding/2' },
      by: ['channel_group'],
      explainBy: ['platform'],
      window: '10m',
      condition: { type: 'threshold', op: 'below', value: 0.2 },
      for: '2m',
      keepFiringFor: '2m',
      severity: 'page',
      labels: { team: 'growth' },
      annotations: {
        summary: '{{labels.channel_group}} {{value}} (threshold {{baseline}}, {{volume}} registrations)',
      },
    },
  ],
}).rules

/** Per minute in [from, to): registrations and cards per platform of one channel. */
function minutes(
  channel: string,
  from: number,
  to: number,
  perPlatform: Record<string, { registered: number; cards: number }>,
): SeriesRow[] {
  const rows: SeriesRow[] = []
  for (let m = from; m < to; m += M)
    for (const [platform, n] of Object.entries(perPlatform)) {
      const row = { minute: m, metric: 'funnel_step', channel_group: channel, platform }
      rows.push({ ...row, event: 'onboarding/2', value: n.registered })
      rows.push({ ...row, event: 'onboarding/4', value: n.cards })
    }
  return rows
}

const healthy = { ios: { registered: 5, cards: 2 }, android: { registered: 5, cards: 2 } }
const normalRows = [
  ...minutes('Paid Social', T - 20 * M, T, healthy),
  ...minutes('Search', T - 20 * M, T, healthy),
]
// Paid Social's last 10 minutes: iOS binds no card, Android one a minute — 10 of 100 (10 %).
const dropRows = [
  ...minutes('Paid Social', T - 20 * M, T - 10 * M, healthy),
  ...minutes('Paid Social', T - 10 * M, T, {
    ios: { registered: 5, cards: 0 },
    android: { registered: 5, cards: 1 },
  }),
  ...minutes('Search', T - 20 * M, T, healthy),
]

describe('one evaluation of every rule', () => {
  it('reads the window and the window before for a threshold rule, overlaps merged', () => {
    expect(neededRanges(rules, T)).toEqual([[T - 20 * M, T]])
  })

  it('pending → firing with an explanation → kept firing → resolved → forgotten', () => {
    const tracked: Tracked = new Map()
    const tick = (rows: SeriesRow[], s: number) =>
      evaluateTick(rules, rows, tracked, T, T + s * 1000, 300_000).map(
        (c) => `${c.series.key}:${c.transition}`,
      )
    expect(tick(normalRows, 0)).toEqual([])
    expect(tick(dropRows, 0)).toEqual(['channel_group=Paid Social:pending'])
    expect(tick(dropRows, 60)).toEqual([])
    expect(tick(dropRows, 120)).toEqual(['channel_group=Paid Social:firing'])
    const t = tracked.get(trackedId('card_rate', 'channel_group=Paid Social'))
    // Before 40 of 100, now 10 of 100 (−30 points). Had iOS kept its 20 cards: 30 of 100, so iOS
    // explains (10 − 30)/(−30) = 2/3; had Android kept its 20: 20 of 100, 1/3.
    expect(t?.explanation).toBe(
      '40.0 % → 10.0 %; platform=ios explains 67 % of the change (40.0 % → 0.0 %); ' +
        'platform=android explains 33 % of the change (40.0 % → 20.0 %)',
    )
    expect(t?.evaluation).toMatchObject({ value: 0.1, volume: 100, breached: true })
    const msg = alertMessage(rules[0] as (typeof rules)[0], t as NonNullable<typeof t>, T + 120_000, {
      firingEndsInMs: 180_000,
      generatorURL: 'http://127.0.0.1:9402/alerts',
    })
    expect(msg).toMatchObject({
      state: 'firing',
      labels: { team: 'growth', channel_group: 'Paid Social' },
      annotations: { summary: 'Paid Social 10.0 % (threshold 20.0 %, 100 registrations)' },
      startsAt: new Date(T),
      endsAt: new Date(T + 300_000),
      generatorURL: 'http://127.0.0.1:9402/alerts?rule=card_rate',
    })
    expect(thresholdOf(rules[0] as (typeof rules)[0], t?.evaluation ?? null)).toBe(0.2)
    // Clear again: kept firing for keepFiringFor (2 m after the last breach), then resolved.
    expect(tick(normalRows, 180)).toEqual([])
    expect(tick(normalRows, 240)).toEqual(['channel_group=Paid Social:resolved'])
    const resolved = tracked.get(trackedId('card_rate', 'channel_group=Paid Social'))
    expect(resolved).toMatchObject({ resolvedAt: T + 240_000, startedAt: T })
    expect(
      resolved &&
        alertMessage(rules[0] as (typeof rules)[0], resolved, T + 250_000, {
          firingEndsInMs: 180_000,
          generatorURL: 'http://x/',
        }),
    ).toMatchObject({ state: 'resolved', startsAt: new Date(T), endsAt: new Date(T + 240_000) })
    expect(tick(normalRows, 539)).toEqual([])
    expect(tracked.size).toBe(1)
    expect(tick(normalRows, 541)).toEqual([])
    expect(tracked.size).toBe(0)
  })

  it('a firing series that disappears keeps its state (noData keep) until data says otherwise', () => {
    const tracked: Tracked = new Map()
    evaluateTick(rules, dropRows, tracked, T, T, 300_000)
    evaluateTick(rules, dropRows, tracked, T, T + 120_000, 300_000)
    const changes = evaluateTick(rules, [], tracked, T, T + 900_000, 300_000)
    expect(changes).toEqual([])
    expect(tracked.get(trackedId('card_rate', 'channel_group=Paid Social'))?.state.phase).toBe('firing')
  })
})

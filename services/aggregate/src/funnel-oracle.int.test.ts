import { seededRandom } from '@opstream/runtime/testing/seeded-random'
import { testClickHouse } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, it } from 'vitest'
import { stepCondition } from '../test/support/funnel-sql.ts'
import { loadFunnels } from './adapters/funnels-file.ts'
import { type FunnelDefinition, matchSteps } from './core/funnel-config.ts'
import { addToFunnel, emptyFunnelState, type FunnelState, funnelProgress } from './core/funnel-state.ts'
import type { FunnelEvent } from './core/predicates.ts'

const PERSONS = 5_000
const EVENTS = 100_000
const config = loadFunnels()
// The configured funnels, and a custom one with platform and property predicates.
const funnels: FunnelDefinition[] = [
  ...config.funnels,
  {
    name: 'h5_coupon',
    window: 2 * 86_400_000,
    steps: [
      { name: 'landing', event: 'page_view', platform: 'h5', properties: { page: 'promo' } },
      { name: 'coupon', event: 'coupon_issued' },
      { name: 'used', event: ['coupon_used', 'invest'] },
    ],
  },
]
const lateness = config.allowedLateness

interface Row extends FunnelEvent {
  person: string
  ts: number
}

/** A person's life: visits, the onboarding steps at random gaps, purchases numbered in time order. */
function generate(): Row[] {
  const rand = seededRandom(99)
  const names = [
    'page_view',
    'register',
    'real_name_verified',
    'bind_card',
    'invest',
    'coupon_issued',
    'coupon_used',
    'order',
  ]
  const clock = new Map<number, { at: number; purchases: number }>()
  const rows: Row[] = []
  for (let i = 0; i < EVENTS; i++) {
    const p = Math.floor(rand() * PERSONS)
    const c = clock.get(p) ?? {
      at: Date.parse('2026-10-01T00:00:00Z') + Math.floor(rand() * 30 * 86_400_000),
      purchases: 0,
    }
    // Mostly minutes apart, sometimes days: some chains fit the windows, some do not.
    c.at += 1 + Math.floor(rand() < 0.8 ? rand() * 3_600_000 : rand() * 9 * 86_400_000)
    const event = rand() < 0.45 ? 'page_view' : (names[Math.floor(rand() * names.length)] as string)
    const purchase = event === 'invest' || event === 'order'
    if (purchase) c.purchases += 1
    clock.set(p, c)
    rows.push({
      person: `p${p}`,
      ts: c.at,
      event,
      nthPurchase: purchase ? c.purchases : null,
      platform: rand() < 0.5 ? 'h5' : 'ios',
      properties: rand() < 0.3 ? { page: 'promo' } : {},
    })
  }
  return rows
}

/**
 * Delivery order: shuffled, each event arriving at most the allowed lateness after newer ones
 * of its person, with one in ten events delivered twice.
 */
function deliveryOrder(rows: Row[]): Row[] {
  const rand = seededRandom(7)
  const withDuplicates = rows.flatMap((r) => (rand() < 0.1 ? [r, r] : [r]))
  return withDuplicates
    .map((r) => ({ r, key: r.ts + Math.floor(rand() * lateness) }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.r)
}

describe('incremental funnels against ClickHouse windowFunnel', () => {
  const closers: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const c of closers) await c()
  })

  it(`${EVENTS.toLocaleString('en')} events, shuffled within the lateness and partly duplicated: every person's level equals windowFunnel's`, {
    timeout: 120_000,
  }, async () => {
    const rows = generate()
    const ch = await testClickHouse()
    closers.push(() => ch.close())
    await ch.client.command({
      query: `CREATE TABLE oracle_events (person String, ts UInt64, event String, nth Nullable(UInt32),
              platform String, properties Map(String, String)) ENGINE = MergeTree ORDER BY (person, ts)`,
    })
    await ch.client.insert({
      table: 'oracle_events',
      format: 'JSONEachRow',
      values: rows.map((r) => ({ ...r, nth: r.nthPurchase })),
    })

    const states = new Map<string, FunnelState[]>()
    let late = 0
    for (const r of deliveryOrder(rows)) {
      const mine = states.get(r.person) ?? funnels.map((f) => emptyFunnelState(f.steps.length))
      funnels.forEach((f, i) => {
        const added = addToFunnel(mine[i] as FunnelState, f, r.ts, matchSteps(f, r), lateness)
        late += added.late ? 1 : 0
        mine[i] = added.state
      })
      states.set(r.person, mine)
    }
    expect(late).toBe(0)

    for (const [i, f] of funnels.entries()) {
      const result = await ch.client.query({
        query: `SELECT person, windowFunnel(${f.window})(ts, ${f.steps.map((step) => stepCondition(step, { nth: 'nth' })).join(', ')}) AS level
                FROM oracle_events GROUP BY person`,
        format: 'JSONEachRow',
      })
      const oracle = new Map(
        (await result.json<{ person: string; level: number }>()).map((r) => [r.person, r.level]),
      )
      const differing = [...states].filter(
        ([p, s]) => funnelProgress(s[i] as FunnelState, f).level !== oracle.get(p),
      )
      const levels = [...oracle.values()].reduce<number[]>((n, l) => {
        n[l] = (n[l] ?? 0) + 1
        return n
      }, [])
      process.stdout.write(
        `[funnel oracle] ${f.name}: persons per level ${JSON.stringify(levels)}, ${differing.length} differ\n`,
      )
      expect(oracle.size).toBe(states.size)
      expect(differing.slice(0, 3).map(([p]) => p)).toEqual([])
      // The data exercises the whole funnel, not just its first step.
      expect(levels[f.steps.length] ?? 0).toBeGreaterThan(0)
    }
  })
})

import { seededRandom } from '@opstream/runtime/testing/seeded-random'
import { describe, expect, it } from 'vitest'
import { funnelsFileSchema, matchSteps } from './funnel-config.ts'
import {
  addToFunnel,
  emptyFunnelState,
  type FunnelState,
  funnelFromPairs,
  funnelProgress,
} from './funnel-state.ts'

const H = 3_600_000
const funnel = { window: 24 * H }
const LATE = H

function feed(events: Array<[number, number[]]>, lateness = LATE) {
  let state: FunnelState = emptyFunnelState(3)
  const late: number[] = []
  for (const [ts, steps] of events) {
    const r = addToFunnel(state, funnel, ts, steps, lateness)
    if (r.late) late.push(ts)
    state = r.state
  }
  return { state, late, progress: funnelProgress(state, funnel) }
}

describe('incremental funnel (windowFunnel semantics)', () => {
  it('counts a chain within the window, the window end included', () => {
    expect(
      feed([
        [0, [0]],
        [10 * H, [1]],
        [24 * H, [2]],
      ]).progress,
    ).toEqual({
      level: 3,
      reached: [
        { at: 0, entryAt: 0 },
        { at: 10 * H, entryAt: 0 },
        { at: 24 * H, entryAt: 0 },
      ],
    })
    expect(
      feed([
        [0, [0]],
        [10 * H, [1]],
        [24 * H + 1, [2]],
      ]).progress.level,
    ).toBe(2)
  })

  it('a later step-1 event restarts the window for later steps', () => {
    // From t=0 the third step comes too late; from the second visit (20 h) it is in time.
    const r = feed([
      [0, [0]],
      [20 * H, [0]],
      [21 * H, [1]],
      [30 * H, [2]],
    ])
    expect(r.progress.level).toBe(3)
    expect(r.progress.reached[2]).toEqual({ at: 30 * H, entryAt: 20 * H })
  })

  it('takes an event up to the lateness old, refuses an older one, and keeps only the last lateness of pairs', () => {
    const r = feed([
      [10 * H, [0]],
      [11 * H, [1]],
      [10 * H + 1, [1]],
      [12 * H, [2]],
      [5 * H, [0]],
    ])
    expect(r.late).toEqual([5 * H])
    expect(r.progress.level).toBe(3)
    expect(r.state.pairs.every(([ts]) => ts >= 12 * H - LATE)).toBe(true)
    expect(r.state.frontier).toBe(11 * H)
  })

  it('validates the funnels file and matches steps by event, nth purchase, platform and properties', () => {
    const bad = funnelsFileSchema.safeParse({
      allowedLateness: '1 hour',
      funnels: [{ name: 'A', window: '7d', steps: [{ name: 's', event: 'x' }] }],
    })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'allowedLateness',
      'funnels.0.name',
      'funnels.0.steps',
    ])
    const file = funnelsFileSchema.parse({
      allowedLateness: '30m',
      funnels: [
        {
          name: 'f',
          window: '2d',
          steps: [
            { name: 'a', event: ['invest', 'order'], nthPurchase: 1 },
            { name: 'b', event: 'invest', platform: 'ios', properties: { tier: 'gold' } },
          ],
        },
      ],
    })
    expect(file.allowedLateness).toBe(30 * 60_000)
    const f = file.funnels[0] as (typeof file.funnels)[number]
    expect(f.window).toBe(2 * 24 * H)
    const ev = { event: 'invest', nthPurchase: 1, platform: 'ios', properties: { tier: 'gold' } }
    expect(matchSteps(f, ev)).toEqual([0, 1])
    expect(matchSteps(f, { ...ev, nthPurchase: 2, platform: 'android' })).toEqual([])
  })

  it('builds from all pairs at once what adding them in time order builds', () => {
    const rand = seededRandom(3)
    for (let run = 0; run < 200; run++) {
      const pairs: Array<[number, number]> = []
      let t = 0
      for (let i = 0; i < 12; i++) {
        t += Math.floor(rand() * 30 * H)
        pairs.push([t, Math.floor(rand() * 3)])
      }
      let incremental: FunnelState = emptyFunnelState(3)
      for (const [ts, step] of pairs) incremental = addToFunnel(incremental, funnel, ts, [step], LATE).state
      const shuffled = [...pairs].sort(() => rand() - 0.5)
      const built = funnelFromPairs(shuffled, { ...funnel, steps: [{}, {}, {}] } as never, LATE)
      expect(funnelProgress(built, funnel)).toEqual(funnelProgress(incremental, funnel))
      expect(built.frontier).toBe(incremental.frontier)
    }
  })
})

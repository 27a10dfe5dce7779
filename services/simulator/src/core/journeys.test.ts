import { describe, expect, it } from 'vitest'
import { effectsOf, parseIncident } from './incidents.ts'
import { journey, type Outgoing } from './journeys.ts'
import { CHANNELS } from './platform-model.ts'
import { createRng } from './rng.ts'
import { createTruth } from './truth.ts'

const START = Date.parse('2026-11-20T02:00:00Z')
const channel = (key: string) =>
  CHANNELS.find((c) => c.key === key) ?? (CHANNELS[0] as (typeof CHANNELS)[number])

function visitors(n: number, key: string, seed = 7, effects = effectsOf([])): Outgoing[][] {
  const rng = createRng(seed)
  return Array.from({ length: n }, (_, i) =>
    journey({ id: `t-${i}`, channel: channel(key), start: START, rng: rng.fork() }, effects),
  )
}

const named = (j: Outgoing[], event: string) =>
  j.filter(
    (o) =>
      !o.retry &&
      ((o.via === 'app' && o.call.event === event) || (o.via === 'backend' && o.event.event === event)),
  )

describe('journeys', () => {
  it('are the same for the same seed, and different for another', () => {
    expect(visitors(50, 'baidu_sem', 7)).toEqual(visitors(50, 'baidu_sem', 7))
    expect(visitors(50, 'baidu_sem', 8)).not.toEqual(visitors(50, 'baidu_sem', 7))
  })

  it('follow the lifecycle in order: register, real name, card, first investment, repurchases', () => {
    for (const j of visitors(2_000, 'zhihu')) {
      const at = (e: string) => named(j, e).map((o) => o.at)
      const [register] = at('register')
      const [real] = at('real_name_verified')
      const [card] = at('bind_card')
      const invests = at('invest')
      if (real !== undefined) expect(register).toBeLessThan(real)
      if (card !== undefined) expect(real).toBeLessThan(card)
      if (invests.length > 0) expect(card).toBeLessThan(invests[0] as number)
      expect(invests).toEqual([...invests].sort((a, b) => a - b))
      // Purchases are numbered 1…n in their order.
      expect(named(j, 'invest').map((o) => (o.via === 'backend' ? o.nth : 0))).toEqual(
        invests.map((_, i) => i + 1),
      )
    }
  })

  it('convert by channel quality, near the base rates', () => {
    const registered = (key: string) =>
      visitors(4_000, key).filter((j) => named(j, 'register').length > 0).length / 4_000
    // register 12 % × quality (Zhihu 1.3, Douyin 0.6), within sampling error.
    expect(registered('zhihu')).toBeCloseTo(0.156, 1)
    expect(registered('douyin_feed')).toBeCloseTo(0.072, 1)
  })

  it('a conversion incident cuts card binding on its channel and platform only', () => {
    const incident = effectsOf([parseIncident('conversion:toutiao_feed:ios:0', START - 1)])
    const cards = (effects = effectsOf([])) =>
      visitors(6_000, 'toutiao_feed', 3, effects).flatMap((j) => named(j, 'bind_card').map((o) => o.platform))
    const before = cards()
    const after = cards(incident)
    expect(before.filter((p) => p === 'ios').length).toBeGreaterThan(20)
    expect(after.filter((p) => p === 'ios')).toEqual([])
    expect(after.filter((p) => p === 'android').length).toBe(before.filter((p) => p === 'android').length)
  })

  it('are counted into the truth once each, retries apart, by day and cost code', () => {
    const all = visitors(3_000, 'toutiao_feed', 11).flat()
    const truth = createTruth(11)
    for (const o of all) truth.sent(o)
    const t = truth.snapshot()
    const unique = all.filter((o) => !o.retry && o.via !== 'profile')
    expect(t.events).toBe(unique.length)
    expect(t.retries).toBe(all.filter((o) => o.retry).length)
    expect(t.retries).toBeGreaterThan(0)
    const registrations = unique.filter((o) => o.via === 'app' && o.call.event === 'register').length
    expect(t.channels.reduce((n, c) => n + c.registrations, 0)).toBe(registrations)
    expect(new Set(t.channels.map((c) => c.cost_code))).toEqual(new Set(['tt_feed']))
    expect(Object.values(t.eventsByDay).reduce((n, e) => n + e, 0)).toBe(unique.length)
  })
})

describe('the e-commerce model', () => {
  it('orders goods after a payment method, with a newbie coupon and without real name or recharges', () => {
    const rng = createRng(9)
    const all = Array.from({ length: 3_000 }, (_, i) =>
      journey({
        id: `e-${i}`,
        channel: channel('wechat_moments'),
        start: START,
        rng: rng.fork(),
        model: 'ecommerce',
      }),
    ).flat()
    const events = new Set(
      all.map((o) => (o.via === 'app' ? o.call.event : o.via === 'backend' ? o.event.event : '')),
    )
    expect(events.has('order')).toBe(true)
    expect(events.has('coupon_issued') && events.has('coupon_used')).toBe(true)
    for (const e of ['invest', 'real_name_verified', 'recharge', 'withdraw', 'gift_issued'])
      expect([e, events.has(e)]).toEqual([e, false])
    const amounts = all.flatMap((o) => (o.via === 'backend' ? [o.amount] : []))
    expect(Math.max(...amounts)).toBeLessThan(1_000)
  })
})

describe('a bad release', () => {
  it('breaks that share of the platform’s impressions, which the truth keeps out of the events', () => {
    const effects = effectsOf([parseIncident('broken:android:1', START - 1)])
    const all = visitors(2_000, 'store_huawei', 5, effects).flat()
    const shown = all.filter((o) => o.via === 'app' && o.call.event === 'impression')
    expect(shown.length).toBeGreaterThan(1_000)
    expect(shown.every((o) => o.broken && o.via === 'app' && o.call.properties?.content_id === '')).toBe(true)
    expect(all.filter((o) => o.broken).length).toBe(shown.length)
    const truth = createTruth(5)
    for (const o of all) truth.sent(o)
    expect(truth.snapshot().broken).toBe(shown.length)
    expect(truth.snapshot().events).toBe(
      all.filter((o) => !o.retry && !o.broken && o.via !== 'profile').length,
    )
  })
})

describe('incidents', () => {
  it('are read from KIND:ARGS with defaults, and refused with the reason', () => {
    expect(parseIncident('conversion:toutiao_feed:ios', 5)).toEqual({
      kind: 'conversion',
      channel: 'toutiao_feed',
      platform: 'ios',
      factor: 0.1,
      from: 5,
    })
    expect(parseIncident('outage:android:10', 0)).toMatchObject({ kind: 'outage', until: 600_000 })
    expect(() => parseIncident('conversion:tiktok:ios', 0)).toThrow(/unknown channel "tiktok"/)
    expect(() => parseIncident('flood:x', 0)).toThrow(/kind is one of/)
  })
})

describe('the send queue', () => {
  it('gives messages out by send time, equal times in the order they came', async () => {
    const { createSendQueue } = await import('./send-queue.ts')
    const q = createSendQueue()
    const base = visitors(1, 'baidu_sem')[0]?.[0] as Outgoing
    const at = [5, 1, 3, 1, 5, 2, 1]
    const items = at.map((sendAt, i) => ({ ...base, sendAt, at: i }))
    for (const o of items) q.push(o)
    expect(q.takeDue(3).map((o) => [o.sendAt, o.at])).toEqual([
      [1, 1],
      [1, 3],
      [1, 6],
      [2, 5],
    ])
    expect(q.takeDue(10).map((o) => [o.sendAt, o.at])).toEqual([
      [3, 2],
      [5, 0],
      [5, 4],
    ])
    expect(q.size).toBe(0)
  })
})

import { describe, expect, it } from 'vitest'
import {
  advanceTimers,
  applyTriggerEvent,
  emptyTriggerState,
  nextDue,
  type TriggerRule,
  type TriggerState,
  triggersSchema,
} from './stall-triggers.ts'

const H = 3_600_000
const D = 24 * H
const rules: TriggerRule[] = triggersSchema.parse([
  {
    name: 'no_card',
    stalledStep: 'register',
    start: { event: 'register' },
    stop: { event: 'bind_card' },
    after: '24h',
    convertWithin: '7d',
  },
  {
    name: 'gift',
    stalledStep: 'gift_issued',
    start: { event: 'gift_issued' },
    stop: { event: 'gift_used' },
    deadline: { property: 'expires_at', before: '48h' },
    convertWithin: '2d',
  },
])

const ev = (event: string, at: number, properties: Record<string, string> = {}, birthday?: string) => ({
  event,
  at,
  nthPurchase: null,
  platform: 'ios',
  properties,
  birthday,
})

function run(events: Array<ReturnType<typeof ev>>, watermark: number) {
  let s: TriggerState = emptyTriggerState()
  const converted: number[] = []
  for (const e of events) {
    const r = applyTriggerEvent(s, e, rules)
    s = r.state
    converted.push(...r.changed.map((t) => t.convertedAt as number))
  }
  const moved = advanceTimers(s, watermark, rules)
  return { state: moved.state, fired: moved.fired, converted }
}

describe('stall triggers', () => {
  it('fires 24 h after registration without a card, and measures a card bound later', () => {
    const first = run([ev('register', 0)], 24 * H)
    expect(first.fired.map((t) => [t.rule, t.since, t.fireAt])).toEqual([['no_card', 0, 24 * H]])
    // Card bound on day 3: a conversion within 7 days of firing.
    const r = applyTriggerEvent(first.state, ev('bind_card', 3 * D), rules)
    expect(r.changed.map((t) => t.convertedAt)).toEqual([3 * D])
    // The window closes 7 days after firing; then the timer is gone.
    expect(nextDue(r.state, rules)).toBe(24 * H + 7 * D)
    expect(advanceTimers(r.state, 24 * H + 7 * D + 1, rules).state.timers).toEqual([])
  })

  it('does not fire when the card came in time, even when it arrives after a later event', () => {
    expect(run([ev('register', 0), ev('bind_card', 10 * H)], 30 * H).fired).toEqual([])
    // Out of order: the card (at 20 h) arrives after the start was armed; still before the watermark.
    expect(
      run([ev('register', 0), ev('page_view', 24.5 * H), ev('bind_card', 20 * H)], 23.5 * H).fired,
    ).toEqual([])
    // A card bound before registration (arriving first) does not count; one within the window does.
    expect(run([ev('bind_card', -H), ev('register', 0)], 24 * H).fired.length).toBe(1)
    expect(run([ev('bind_card', 2 * H), ev('register', 0)], 24 * H).fired).toEqual([])
  })

  it('waits for the watermark, and a card after the conversion window is no conversion', () => {
    expect(run([ev('register', 0)], 24 * H - 1).fired).toEqual([])
    const fired = run([ev('register', 0)], 24 * H).state
    expect(applyTriggerEvent(fired, ev('bind_card', 24 * H + 7 * D + 1), rules).changed).toEqual([])
  })

  it('times a gift from its expiry, and skips a gift without a readable one', () => {
    const expires = new Date(5 * D).toISOString()
    const r = run([ev('gift_issued', 0, { expires_at: expires })], 3 * D)
    expect(r.fired.map((t) => [t.rule, t.fireAt, t.deadline])).toEqual([['gift', 3 * D, 5 * D]])
    expect(applyTriggerEvent(r.state, ev('gift_used', 4 * D), rules).changed[0]?.convertedAt).toBe(4 * D)
    const bad = applyTriggerEvent(emptyTriggerState(), ev('gift_issued', 0, { expires_at: 'soon' }), rules)
    expect(bad.invalid).toEqual(['gift'])
    expect(bad.state.timers).toEqual([])
  })

  it('counts a stop seen before the watermark let the timer fire, when it came after the firing time', () => {
    const r = run([ev('register', 0), ev('bind_card', 30 * H)], 40 * H)
    expect(r.fired.map((t) => t.convertedAt)).toEqual([30 * H])
  })

  it('keeps the earliest start of a rule', () => {
    const r = run([ev('register', 5 * H), ev('register', 2 * H), ev('register', 9 * H)], 26 * H)
    expect(r.fired.map((t) => t.since)).toEqual([2 * H])
  })

  describe('a yearly rule (birthday)', () => {
    const yearly: TriggerRule[] = triggersSchema.parse([
      {
        name: 'birthday',
        stalledStep: 'birthday',
        stop: { event: 'invest' },
        anniversary: { attribute: 'birthday', timeZone: 'UTC' },
        convertWithin: '3d',
      },
    ])
    const T = Date.parse('2026-11-10T00:00:00Z')
    const apply = (s: TriggerState, e: ReturnType<typeof ev>) => applyTriggerEvent(s, e, yearly).state

    it('fires at the start of the day, whatever came before, and measures a purchase after it', () => {
      // A purchase the day before the birthday does not cancel it.
      let s = apply(emptyTriggerState(), ev('page_view', T, {}, '1990-11-12'))
      s = apply(s, ev('invest', T + D, {}, '1990-11-12'))
      expect(nextDue(s, yearly)).toBe(T + 2 * D)
      expect(advanceTimers(s, T + 2 * D - 1, yearly).fired).toEqual([])
      const fired = advanceTimers(s, T + 2 * D, yearly)
      expect(fired.fired.map((t) => [t.since, t.fireAt, t.properties])).toEqual([
        [T + 2 * D, T + 2 * D, { birthday: '1990-11-12' }],
      ])
      expect(applyTriggerEvent(fired.state, ev('invest', T + 4 * D), yearly).changed[0]?.convertedAt).toBe(
        T + 4 * D,
      )
    })

    it('fires once a year: re-arms the next year when the window closes, and later events do not re-fire', () => {
      const s = advanceTimers(apply(emptyTriggerState(), ev('page_view', T, {}, '1990-11-10')), T, yearly)
      expect(s.fired.length).toBe(1)
      // An event later on the birthday changes nothing.
      const again = apply(s.state, ev('page_view', T + 20 * H, {}, '1990-11-10'))
      expect(advanceTimers(again, T + 2 * D, yearly).fired).toEqual([])
      const closed = advanceTimers(again, T + 3 * D + 1, yearly).state
      expect(closed.timers.map((t) => [t.fired, t.fireAt])).toEqual([
        [false, Date.parse('2027-11-10T00:00:00Z')],
      ])
    })

    it('moves a timer not yet fired to a changed birthday; no date, no timer', () => {
      let s = apply(emptyTriggerState(), ev('page_view', T, {}, '1990-12-01'))
      s = apply(s, ev('page_view', T + H, {}, '1990-11-20'))
      expect(s.timers.map((t) => t.fireAt)).toEqual([Date.parse('2026-11-20T00:00:00Z')])
      expect(apply(emptyTriggerState(), ev('page_view', T)).timers).toEqual([])
      expect(apply(emptyTriggerState(), ev('page_view', T, {}, '1990-13-01')).timers).toEqual([])
    })

    it('is refused with a start, or in a zone Intl does not know', () => {
      const base = { name: 'b', stalledStep: 'b', stop: { event: 'invest' }, convertWithin: '1d' }
      const anniversary = { attribute: 'birthday', timeZone: 'Asia/Shanghai' }
      expect(triggersSchema.safeParse([{ ...base, anniversary }]).success).toBe(true)
      expect(triggersSchema.safeParse([{ ...base, anniversary, start: { event: 'x' } }]).success).toBe(false)
      expect(
        triggersSchema.safeParse([{ ...base, anniversary: { ...anniversary, timeZone: 'Mars/Olympus' } }])
          .success,
      ).toBe(false)
    })
  })

  it('rejects a rule with both or neither of after and deadline', () => {
    const base = {
      name: 'x',
      stalledStep: 's',
      start: { event: 'a' },
      stop: { event: 'b' },
      convertWithin: '1d',
    }
    expect(triggersSchema.safeParse([base]).success).toBe(false)
    expect(
      triggersSchema.safeParse([{ ...base, after: '1h', deadline: { property: 'p', before: '1h' } }]).success,
    ).toBe(false)
  })
})

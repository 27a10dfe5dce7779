import type { AttributedEvent } from '@opstream/runtime/contract/generated/attributed-event'
import type { Event } from '@opstream/runtime/contract/generated/event'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import { channelInfo } from '@opstream/runtime/testing/channel-info'
import { sampleEvent } from '@opstream/runtime/testing/sample-events'
import { describe, expect, it } from 'vitest'
import { applyUserProfile, DEFAULT_PROFILE, type PersonState, profileEvent } from './person-profile.ts'

const ch = channelInfo
const TOUTIAO = ch('Paid Social', 'toutiao')
const BAIDU = ch('Paid Search', 'baidu')
const DIRECT = ch('Direct', null)
const T0 = Date.parse('2026-11-01T10:00:00Z')
const DAY = 86_400_000
let n = 0

function attributed(
  o: Partial<Event>,
  first = TOUTIAO,
  lastNonDirect: typeof BAIDU | null = BAIDU,
): AttributedEvent {
  n += 1
  return {
    event: sampleEvent({
      event_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      anonymous_id: 'dev-1',
      ...o,
    }),
    attribution: {
      channel: DIRECT,
      session: { session_id: 'dev-1:1', started_at: new Date(T0), index: 1, channel: DIRECT },
      first_touch: { channel: first, at: new Date(T0 - DAY) },
      last_non_direct_touch: lastNonDirect ? { channel: lastNonDirect, at: new Date(T0 - 1_000) } : null,
    },
  }
}

const invest = (at: number, amount: string, user = 'u1') =>
  attributed({
    event: 'invest',
    user_id: user,
    occurred_at: new Date(at),
    purchase: {
      order_id: `o${n}`,
      amount,
      currency: 'CNY',
      product_id: 'p',
      product_type: null,
      term_days: 30,
      coupon_id: null,
    },
  })

function run(inputs: AttributedEvent[], acquisition: 'first_touch' | 'last_non_direct' = 'first_touch') {
  let state: PersonState | undefined
  return inputs.map((a) => {
    const r = profileEvent(state, 'u1', a, { ...DEFAULT_PROFILE, acquisition })
    state = r.state
    return r.enriched
  })
}

describe('person profile', () => {
  it('freezes the acquisition channel at registration: the registering device’s first touch', () => {
    const out = run([
      attributed({ occurred_at: new Date(T0 - 60_000) }),
      attributed({ event: 'register', user_id: 'u1', occurred_at: new Date(T0) }),
      attributed({ occurred_at: new Date(T0 + DAY) }, BAIDU, TOUTIAO),
    ])
    expect(out[0]?.acquisition).toBeNull()
    expect(out[0]?.identity).toEqual({ user_id: null, linked_at: null, pre_registration: true })
    expect(out[0]?.counters.days_since_registration).toBeNull()
    expect(out[1]?.acquisition).toEqual({ channel: TOUTIAO, registered_at: new Date(T0) })
    expect(out[1]?.identity).toEqual({ user_id: 'u1', linked_at: new Date(T0), pre_registration: false })
    // Later touches do not move it.
    expect(out[2]?.acquisition?.channel).toEqual(TOUTIAO)
    expect(out[2]?.identity.user_id).toBe('u1')
    expect(out[2]?.counters.days_since_registration).toBe(1)
  })

  it('can take the last non-direct touch instead, by configuration', () => {
    const out = run(
      [attributed({ event: 'register', user_id: 'u1', occurred_at: new Date(T0) })],
      'last_non_direct',
    )
    expect(out[0]?.acquisition?.channel).toEqual(BAIDU)
  })

  it('counts purchases: nth, cumulative amount (exact decimals), first purchase time', () => {
    const out = run([
      attributed({ event: 'register', user_id: 'u1', occurred_at: new Date(T0) }),
      invest(T0 + 1_000, '1000.5000'),
      invest(T0 + 3 * DAY, '0.2500'),
      attributed({ event: 'page_view', user_id: 'u1', occurred_at: new Date(T0 + 4 * DAY) }),
      invest(T0 + 10 * DAY, '99999999999999.9999'),
    ])
    expect(out.map((e) => e?.counters.nth_purchase)).toEqual([null, 1, 2, null, 3])
    expect(out.map((e) => e?.counters.cumulative_amount)).toEqual([
      '0.0000',
      '1000.5000',
      '1000.7500',
      '1000.7500',
      '100000000001000.7499',
    ])
    expect(out[4]?.counters.first_purchase_at).toEqual(new Date(T0 + 1_000))
    expect(out[4]?.counters.days_since_registration).toBe(10)
  })

  it('a client-retried event (same event_id) neither counts again nor produces a second enriched event', () => {
    const first = invest(T0, '500.0000')
    const retry: AttributedEvent = { ...first, event: { ...first.event, received_at: new Date(T0 + 60_000) } }
    const out = run([first, invest(T0 + 1, '1.0000'), retry])
    expect(out[0]?.counters.nth_purchase).toBe(1)
    expect(out[1]?.counters.nth_purchase).toBe(2)
    expect(out[2]).toBeNull()
  })

  it('recognises a client retry received within the window after any number of events, purchases beyond it', () => {
    const received = (a: AttributedEvent, ms: number): AttributedEvent => ({
      ...a,
      event: { ...a.event, received_at: new Date(a.event.received_at.getTime() + ms) },
    })
    const purchase = invest(T0, '1.0000')
    const views = Array.from({ length: 20 }, (_, i) => attributed({ occurred_at: new Date(T0 + i) }))
    const first = views[0] as AttributedEvent
    const out = run([
      purchase,
      ...views,
      // 20 events later, 24 h after the first receipt: still a retry.
      received(first, DAY),
      // A second more: outside the window, so it counts.
      received(views[1] as AttributedEvent, DAY + 1_000),
      // A purchase id is remembered beyond the window too.
      received(purchase, 3 * DAY),
    ])
    expect(out.slice(0, 21).every((e) => e !== null)).toBe(true)
    expect(out[21]).toBeNull()
    expect(out[22]).not.toBeNull()
    expect(out[23]).toBeNull()
  })

  it('marks what it drops as a duplicate', () => {
    const view = attributed({ occurred_at: new Date(T0) })
    const once = profileEvent(undefined, 'u1', view)
    expect(once.duplicate).toBeUndefined()
    expect(profileEvent(once.state, 'u1', view).duplicate).toBe(true)
  })

  it('recognises a replay of stage 1 by its source offset, however many events it spans', () => {
    const events = Array.from({ length: 12 }, (_, i) => invest(T0 + i, '10.0000'))
    let state: PersonState | undefined
    const once = events.map((e, i) => {
      const r = profileEvent(state, 'u1', e, undefined, 100 + i)
      state = r.state
      return r.enriched?.counters.nth_purchase
    })
    expect(once).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    // Stage 1 re-sends all twelve (more than any id window holds), then carries on.
    const replay = events.map((e, i) => profileEvent(state, 'u1', e, undefined, 100 + i).enriched)
    expect(replay.every((e) => e === null)).toBe(true)
    const next = profileEvent(state, 'u1', invest(T0 + 20, '1.0000'), undefined, 112)
    expect(next.enriched?.counters).toMatchObject({ nth_purchase: 13, cumulative_amount: '121.0000' })
  })

  it('joins the latest user profile; an older record replayed never moves it back; a tombstone clears it', () => {
    const profile = (tier: string): UserProfile => ({
      user_id: 'u1',
      member_tier: tier,
      city: '杭州',
      province: '浙江',
      birthday: '1990-05-01',
      gender: null,
      asset_band: '10w-50w',
      registered_at: new Date(T0),
      updated_at: new Date(T0 + DAY),
      custom: { vip: 'yes' },
    })
    let state = applyUserProfile(undefined, profile('gold'), 5)
    expect(state?.user).toEqual({
      member_tier: 'gold',
      city: '杭州',
      province: '浙江',
      birthday: '1990-05-01',
      gender: null,
      asset_band: '10w-50w',
      registered_at: new Date(T0),
      custom: { vip: 'yes' },
    })
    expect(applyUserProfile(state, profile('silver'), 5)).toBeUndefined()
    expect(applyUserProfile(state, profile('silver'), 3)).toBeUndefined()
    state = applyUserProfile(state, profile('platinum'), 9)
    const r = profileEvent(state, 'u1', attributed({ user_id: 'u1', occurred_at: new Date(T0) }))
    expect(r.enriched?.user?.member_tier).toBe('platinum')
    expect(applyUserProfile(r.state, null, 10)?.user).toBeNull()
  })
})

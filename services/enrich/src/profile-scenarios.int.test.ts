import { prefixedTopicNames } from '@opstream/runtime/config'
import { createDecoder, createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { Channel } from '@opstream/runtime/contract/generated/channel'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { Event } from '@opstream/runtime/contract/generated/event'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import { sampleEvent } from '@opstream/runtime/testing/sample-events'
import { brokers, committedToEnd, testKafka, uniqueName, waitFor } from '@opstream/runtime/testing/stack'
import { tailTopics } from '@opstream/runtime/testing/topic-tail'
import { ensureTopics, pipelineTopics } from '@opstream/runtime/topics'
import { afterAll, describe, expect, it } from 'vitest'
import { startEnrich } from '../test/support/enrich-process.ts'

const registry = fileRegistry(builtInCatalog())
const T = Date.parse('2026-11-20T10:00:00Z')
const MIN = 60_000
const DAY = 86_400_000
const TOUTIAO = 'https://m.example.cn/l?utm_source=toutiao&utm_medium=feed&clickid=ck'
let n = 0

/** An event; `url` is the landing page, `referrer` where the visitor came from. */
function ev(device: string, at: number, o: Partial<Event> & { url?: string; referrer?: string } = {}): Event {
  n += 1
  const { url, referrer, ...rest } = o
  return sampleEvent({
    event_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    anonymous_id: device,
    occurred_at: new Date(at),
    received_at: new Date(at + 100),
    page: { url: url ?? 'https://m.example.cn/p', path: null, referrer: referrer ?? null, title: null },
    ...rest,
  })
}

const invest = (device: string, at: number, user: string, amount: string) =>
  ev(device, at, {
    event: 'invest',
    user_id: user,
    purchase: {
      order_id: `o${n}`,
      amount,
      currency: 'CNY',
      product_id: 'fund-7d',
      product_type: null,
      term_days: 7,
      coupon_id: null,
    },
  })

describe('enrich, both stages: identity, acquisition, user attributes, counters', () => {
  const stops: Array<() => Promise<unknown>> = []
  afterAll(async () => {
    for (const s of stops.reverse()) await s()
  })

  it('stitches multi-device users, freezes acquisition at registration, joins profiles and the catalog, counts purchases once', {
    timeout: 120_000,
  }, async () => {
    const prefix = `${uniqueName('profile')}.`
    const kafka = testKafka()
    const admin = await kafka.admin()
    stops.push(() => admin.disconnect())
    const names = prefixedTopicNames(prefix)
    await ensureTopics(admin, pipelineTopics(names, 3))
    const producer = await kafka.producer()
    stops.push(() => producer.disconnect())
    const channels = await createEncoder<Channel>(registry, SUBJECTS.channel)
    await producer.send(names.channels, [
      {
        key: 'tt_1124',
        value: channels.encode({
          code: 'tt_1124',
          name: '头条-理财-1124',
          channel_group: 'Paid Social',
          owner: 'feed-team',
          costs: [],
          updated_at: new Date(T),
        }),
      },
    ])
    const enrich = await startEnrich({ KAFKA_BROKERS: brokers().join(','), KAFKA_TOPIC_PREFIX: prefix })
    stops.push(() => enrich.stop())
    const tail = await tailTopics(kafka, [names.eventsEnriched, names.dlq])
    stops.push(() => tail.stop())

    const encoder = await createEncoder<Event>(registry, SUBJECTS.event)
    const send = (events: Event[]) =>
      producer.send(
        names.eventsRaw,
        events.map((e) => ({ key: e.anonymous_id, value: encoder.encode(e) })),
      )
    const decoder = await createDecoder<EnrichedEvent>(registry, SUBJECTS.enrichedEvent)
    const output = async () => {
      const all = tail.messages(names.eventsEnriched)
      const decoded = await decoder.decodeAll(all.map((m) => m.value))
      return decoded.map((d, i) => {
        if (!d.ok) throw d.error
        return { key: all[i]?.key?.toString(), e: d.value }
      })
    }
    const settle = async (count: number) => {
      await waitFor(() => tail.messages(names.eventsEnriched).length >= count, { what: `${count} enriched` })
      await waitFor(() => committedToEnd(admin, `${prefix}enrich.profile`, names.eventsAttributed), {
        what: 'profile stage caught up',
      })
    }

    // Phase 1: first visits. d6's events arrive out of order within one session.
    const d1Landing = ev('d1', T, { url: `${TOUTIAO}&utm_campaign=tt_1124` })
    const d1Register = ev('d1', T + 5 * MIN, { event: 'register', user_id: 'u1' })
    const d3Paid = ev('d3', T, { url: 'https://m.example.cn/l?bd_vid=abc' })
    const d4Weibo = ev('d4', T, { referrer: 'https://weibo.com/u/1' })
    const d6Later = ev('d6', T + 10 * MIN)
    const d6Earlier = ev('d6', T, { url: TOUTIAO })
    await send([d1Landing, d1Register, d3Paid, d4Weibo, d6Later, d6Earlier])
    await settle(6)

    // Phase 2: a second device of u1; a direct return visit; registration on a second device.
    const d2Baidu = ev('d2', T + DAY, { url: 'https://m.example.cn/l?bd_vid=xyz' })
    const d2Login = ev('d2', T + DAY + MIN, { event: 'login', user_id: 'u1' })
    const d2Invest = invest('d2', T + DAY + 2 * MIN, 'u1', '1000.0000')
    const d3Return = ev('d3', T + 2 * DAY)
    const d3Register = ev('d3', T + 2 * DAY + MIN, { event: 'register', user_id: 'u3' })
    const d5Landing = ev('d5', T + 60 * MIN, { url: TOUTIAO })
    const d5Register = ev('d5', T + 62 * MIN, { event: 'register', user_id: 'u2' })
    const d6Register = ev('d6', T + 15 * MIN, { event: 'register', user_id: 'u6' })
    await send([d2Baidu, d2Login, d2Invest, d3Return, d3Register, d5Landing, d5Register, d6Register])
    await settle(14)

    // A profile update after u1's first purchase was enriched.
    const profiles = await createEncoder<UserProfile>(registry, SUBJECTS.userProfile)
    await producer.send(names.users, [
      {
        key: 'u1',
        value: profiles.encode({
          user_id: 'u1',
          member_tier: 'gold',
          city: '深圳',
          province: '广东',
          birthday: null,
          gender: null,
          asset_band: '5w-20w',
          registered_at: new Date(T + 5 * MIN),
          updated_at: new Date(T + DAY + 10 * MIN),
          custom: {},
        }),
      },
    ])
    await waitFor(() => committedToEnd(admin, `${prefix}enrich.profile`, names.users), {
      what: 'profile applied',
    })

    // Phase 3: u1 invests again on the first device; the client retries that event.
    const d1Invest = invest('d1', T + 3 * DAY, 'u1', '500.5000')
    await send([d1Invest, { ...d1Invest, received_at: new Date(T + 3 * DAY + 30_000) }])
    await settle(15)

    const out = await output()
    const byId = new Map(out.map((o) => [o.e.event.event_id, o]))
    const get = (e: Event) => {
      const o = byId.get(e.event_id)
      if (!o) throw new Error(`no enriched event for ${e.event_id}`)
      return o
    }
    // The retried purchase was not emitted twice; nothing was rejected.
    expect(out.length).toBe(15)
    expect(tail.messages(names.dlq)).toHaveLength(0)

    // Channel catalog join: the campaign code's catalog name, group and owner.
    expect(get(d1Landing).e.attribution.channel).toMatchObject({
      source: 'toutiao',
      campaign: 'tt_1124',
      name: '头条-理财-1124',
      group: 'Paid Social',
      owner: 'feed-team',
    })
    // Pre-registration activity is the device's; registration links it to the user.
    expect(get(d1Landing)).toMatchObject({
      key: 'd1',
      e: { person_key: 'd1', identity: { pre_registration: true } },
    })
    expect(get(d1Register)).toMatchObject({
      key: 'u1',
      e: {
        person_key: 'u1',
        identity: { user_id: 'u1', linked_at: new Date(T + 5 * MIN), pre_registration: false },
        acquisition: { channel: { name: '头条-理财-1124' }, registered_at: new Date(T + 5 * MIN) },
      },
    })

    // Multi-device user: the second device's activity before login is its own; from the login
    // on it is u1's, acquisition stays the first device's, purchases count across devices.
    expect(get(d2Baidu).key).toBe('d2')
    expect(get(d2Login).key).toBe('u1')
    const first = get(d2Invest).e
    expect(first.acquisition?.channel.name).toBe('头条-理财-1124')
    expect(first.attribution.first_touch?.channel.group).toBe('Paid Search')
    expect(first.counters).toEqual({
      nth_purchase: 1,
      cumulative_amount: '1000.0000',
      first_purchase_at: new Date(T + DAY + 2 * MIN),
      // Registered at T+5 min: 23 h 57 min earlier.
      days_since_registration: 0,
    })
    // The profile arrived after that event: it was joined with what was known then.
    expect(first.user).toBeNull()
    const second = get(d1Invest).e
    expect(second.person_key).toBe('u1')
    expect(second.counters).toEqual({
      nth_purchase: 2,
      cumulative_amount: '1500.5000',
      first_purchase_at: new Date(T + DAY + 2 * MIN),
      // 2 days 23 h 55 min after registration.
      days_since_registration: 2,
    })
    expect(second.user).toMatchObject({ member_tier: 'gold', city: '深圳', asset_band: '5w-20w' })

    // A direct return visit keeps the paid click as last non-direct touch and acquisition.
    expect(get(d3Return).e.attribution).toMatchObject({
      channel: { group: 'Direct' },
      session: { index: 2 },
      last_non_direct_touch: { channel: { group: 'Paid Search' } },
    })
    expect(get(d3Register).e.acquisition?.channel.group).toBe('Paid Search')

    // Registration on a second device: the registering device's first touch (Toutiao), not
    // the Weibo visit of the other device.
    expect(get(d4Weibo).e.attribution.channel.source).toBe('Weibo')
    expect(get(d5Register).e.acquisition?.channel.source).toBe('toutiao')

    // Out of order within a session: the earlier event joined the same session and became the
    // device's first touch, which is what registration froze.
    expect(get(d6Earlier).e.attribution.session.session_id).toBe(
      get(d6Later).e.attribution.session.session_id,
    )
    expect(get(d6Register).e.attribution.session.session_id).toBe('d6:1')
    expect(get(d6Register).e.acquisition?.channel.source).toBe('toutiao')
  })
})

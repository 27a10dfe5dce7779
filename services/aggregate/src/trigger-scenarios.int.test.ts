import { createDecoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { Trigger } from '@opstream/runtime/contract/generated/trigger'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import { channelInfo } from '@opstream/runtime/testing/channel-info'
import { sampleEvent } from '@opstream/runtime/testing/sample-events'
import { testClickHouse, testKafka, waitFor } from '@opstream/runtime/testing/stack'
import { tailTopics } from '@opstream/runtime/testing/topic-tail'
import { afterAll, describe, expect, it } from 'vitest'
import { type AggregateProcess, startAggregate } from '../test/support/aggregate-process.ts'
import { caughtUp, produceEnriched, setUpAggregate } from '../test/support/aggregate-setup.ts'
import { queryTables } from '../test/support/query-tables.ts'
import { chTime } from './core/event-row.ts'
import { triggerOutcomes } from './queries/triggers.ts'

const H = 3_600_000
const D = 24 * H
const T0 = Date.parse('2026-11-10T00:00:00Z')
const PARTITIONS = 3

const NO_ATTRIBUTES = {
  member_tier: null,
  city: null,
  province: null,
  birthday: null,
  gender: null,
  asset_band: null,
  registered_at: null,
  custom: {},
}

let seq = 0
/** A registered user's event as enrich emits it (keyed by the user). */
function userEvent(
  user: string,
  event: string,
  at: number,
  properties: Record<string, string> = {},
  birthday: string | null = null,
): EnrichedEvent {
  const channel = { ...channelInfo('Paid Social', 'toutiao'), campaign: 'tt_1124' }
  const e = sampleEvent({
    event_id: `00000000-0000-4000-a000-${(seq++).toString(16).padStart(12, '0')}`,
    event,
    anonymous_id: `d-${user}`,
    user_id: user,
    occurred_at: new Date(T0 + at),
    received_at: new Date(T0 + at + 100),
    properties,
  })
  return {
    event: e,
    attribution: {
      channel,
      session: { session_id: `${user}:1`, started_at: e.occurred_at, index: 1, channel },
      first_touch: { channel, at: new Date(T0) },
      last_non_direct_touch: null,
    },
    person_key: user,
    identity: { user_id: user, linked_at: new Date(T0), pre_registration: false },
    acquisition: { channel, registered_at: new Date(T0) },
    user: birthday === null ? null : { ...NO_ATTRIBUTES, birthday },
    counters: {
      nth_purchase: null,
      cumulative_amount: '0.0000',
      first_purchase_at: null,
      days_since_registration: 0,
    },
  }
}

/**
 * Hand-written lives, in delivery order. Expected, from the rules in config/funnels.json
 * (registered_no_card: 24 h after register, conversion within 7 d; gift_expiring_unused: 48 h
 * before the gift's expires_at, conversion within 2 d; funds_idle: 72 h after a recharge without
 * an investment, conversion within 7 d):
 * - uA binds a card 10 h after registering: no trigger;
 * - uB registers at 1 h, fires at 25 h, binds a card at 1 h + 3 d: converted;
 * - uC registers at 2 h, fires at 26 h, never binds: not converted;
 * - uD gets a gift expiring at 5 d: fires at 3 d, uses it at 4 d: converted;
 * - uE registers at 0 h; its card (20 h) arrives after its page view at 24.5 h — within the
 *   allowed lateness of the watermark, before the timer (24 h) can fire: no trigger;
 * - uF recharges at 0 h and never invests: fires at 3 d, not converted;
 * - uG recharges at 0 h and invests at 2 d: no trigger;
 * - uH recharges at 0 h, fires at 3 d, invests at 4 d: converted;
 * birthday (the day the users table's birthday comes round, in Asia/Shanghai; T0 is 08:00 there on
 * 10 November; conversion: an investment within 3 d):
 * - uI, born 11 November, seen at 0 h: fires at 16 h (midnight in Shanghai), invests at 2 d: converted;
 * - uK, born 10 November, first seen at 12 h (20:00 on its birthday): fires for that same day, at
 *   −8 h, not converted;
 * - uJ, born 1 June, seen at 0 h and 1 d: no trigger (the sentinels' 30 d is before June).
 */
const firstHalf = [
  userEvent('uA', 'register', 0),
  userEvent('uE', 'register', 0),
  userEvent('uD', 'gift_issued', 0, { expires_at: new Date(T0 + 5 * D).toISOString() }),
  userEvent('uB', 'register', H),
  userEvent('uC', 'register', 2 * H),
  userEvent('uA', 'bind_card', 10 * H),
  userEvent('uE', 'page_view', 24.5 * H),
  userEvent('uE', 'bind_card', 20 * H),
  userEvent('uC', 'page_view', 40 * H),
  userEvent('uB', 'page_view', 41 * H),
  userEvent('uA', 'page_view', 42 * H),
  userEvent('uF', 'recharge', 0),
  userEvent('uG', 'recharge', 0),
  userEvent('uH', 'recharge', 0),
  userEvent('uI', 'page_view', 0, {}, '1990-11-11'),
  userEvent('uJ', 'page_view', 0, {}, '1988-06-01'),
  userEvent('uK', 'page_view', 12 * H, {}, '1995-11-10'),
]
const secondHalf = [
  userEvent('uB', 'bind_card', H + 3 * D),
  userEvent('uD', 'gift_used', 4 * D),
  userEvent('uG', 'invest', 2 * D),
  userEvent('uH', 'invest', 4 * D),
  userEvent('uI', 'invest', 2 * D, {}, '1990-11-11'),
  userEvent('uJ', 'page_view', D, {}, '1988-06-01'),
]
/** One far-future event per partition moves every partition's watermark past every timer. */
const sentinels = Array.from({ length: PARTITIONS }, (_, p) => userEvent(`z${p}`, 'page_view', 30 * D))

describe('stall triggers in the aggregate', () => {
  const running: AggregateProcess[] = []
  const admin = testKafka().admin()
  afterAll(async () => {
    for (const r of running) await r.stop('SIGKILL')
    await (await admin).disconnect()
  })

  it('fire on event time, survive a SIGKILL, and measure conversions', { timeout: 180_000 }, async () => {
    const a = await admin
    const { names, target, env, prefix } = await setUpAggregate(a, 'triggers', PARTITIONS)
    const tail = await tailTopics(testKafka(), [names.triggers])
    await produceEnriched(names.eventsEnriched, firstHalf)
    let agg = await startAggregate(env)
    running.push(agg)
    await waitFor(() => caughtUp(a, prefix, names.eventsEnriched), { what: 'first half', timeoutMs: 60_000 })
    // uB and uC have fired by now (watermark 41 h); the gift has not (3 d).
    await waitFor(() => tail.messages(names.triggers).length >= 2, {
      what: 'two triggers',
      timeoutMs: 30_000,
    })
    await agg.stop('SIGKILL')
    await produceEnriched(names.eventsEnriched, [...secondHalf, ...sentinels], (e) =>
      e.person_key.startsWith('z') ? Number(e.person_key.slice(1)) : undefined,
    )
    agg = await startAggregate(env)
    running.push(agg)
    await waitFor(() => caughtUp(a, prefix, names.eventsEnriched), { what: 'second half', timeoutMs: 60_000 })
    await waitFor(() => tail.messages(names.triggers).length >= 7, {
      what: 'the gift, idle-funds and birthday triggers',
      timeoutMs: 30_000,
    })
    expect(await agg.stop()).toBe(0)
    await tail.stop()

    const decoder = await createDecoder<Trigger>(fileRegistry(builtInCatalog()), SUBJECTS.trigger)
    const triggers = new Map<string, Trigger>()
    for (const m of tail.messages(names.triggers)) {
      const t = await decoder.decode(m.value)
      triggers.set(t.trigger_id, t)
    }
    const fired = [...triggers.values()]
      .map((t) => [t.rule, t.person_key, t.stalled_step, t.since.getTime() - T0, t.fired_at.getTime() - T0])
      .sort()
    expect(fired).toEqual([
      ['birthday', 'uI', 'birthday', 16 * H, 16 * H],
      ['birthday', 'uK', 'birthday', -8 * H, -8 * H],
      ['funds_idle', 'uF', 'recharge', 0, 3 * D],
      ['funds_idle', 'uH', 'recharge', 0, 3 * D],
      ['gift_expiring_unused', 'uD', 'gift_issued', 0, 3 * D],
      ['registered_no_card', 'uB', 'register', H, 25 * H],
      ['registered_no_card', 'uC', 'register', 2 * H, 26 * H],
    ])
    const uB = [...triggers.values()].find((x) => x.person_key === 'uB')
    expect(uB).toMatchObject({ user_id: 'uB', acquisition_channel: 'Paid Social', properties: {} })
    const uK = [...triggers.values()].find((x) => x.person_key === 'uK')
    expect(uK?.properties).toEqual({ birthday: '1995-11-10' })

    const [outcomes] = await queryTables(target, [
      `SELECT rule, person_key, toString(fired_at) AS fired_at, toString(converted_at) AS converted_at,
              toString(measure_until) AS measure_until, channel_group
       FROM trigger_outcomes FINAL ORDER BY rule, person_key`,
    ])
    const t = (ms: number) => chTime(new Date(T0 + ms))
    expect(outcomes).toEqual([
      {
        rule: 'birthday',
        person_key: 'uI',
        fired_at: t(16 * H),
        converted_at: t(2 * D),
        measure_until: t(16 * H + 3 * D),
        channel_group: 'Paid Social',
      },
      {
        rule: 'birthday',
        person_key: 'uK',
        fired_at: t(-8 * H),
        converted_at: null,
        measure_until: t(-8 * H + 3 * D),
        channel_group: 'Paid Social',
      },
      {
        rule: 'funds_idle',
        person_key: 'uF',
        fired_at: t(3 * D),
        converted_at: null,
        measure_until: t(10 * D),
        channel_group: 'Paid Social',
      },
      {
        rule: 'funds_idle',
        person_key: 'uH',
        fired_at: t(3 * D),
        converted_at: t(4 * D),
        measure_until: t(10 * D),
        channel_group: 'Paid Social',
      },
      {
        rule: 'gift_expiring_unused',
        person_key: 'uD',
        fired_at: t(3 * D),
        converted_at: t(4 * D),
        measure_until: t(5 * D),
        channel_group: 'Paid Social',
      },
      {
        rule: 'registered_no_card',
        person_key: 'uB',
        fired_at: t(25 * H),
        converted_at: t(H + 3 * D),
        measure_until: t(25 * H + 7 * D),
        channel_group: 'Paid Social',
      },
      {
        rule: 'registered_no_card',
        person_key: 'uC',
        fired_at: t(26 * H),
        converted_at: null,
        measure_until: t(26 * H + 7 * D),
        channel_group: 'Paid Social',
      },
    ])

    // Per day of firing and rule, as the read-only user: fired, converted, rate, mean hours from
    // the firing to the conversion (uI 16 h → 48 h; uB 25 h → 73 h; uH and uD 72 h → 96 h).
    const reader = await testClickHouse(target.database, 'reader')
    try {
      const range = { from: '2026-11-09', to: '2026-11-13' }
      const row = (period: string, rule: string, fired: number, converted: number, hours: number | null) => ({
        period,
        rule,
        fired,
        converted,
        conversion_rate: converted / fired,
        avg_hours_to_convert: hours,
      })
      expect(await triggerOutcomes(reader.client, 'day', range)).toEqual([
        row('2026-11-09', 'birthday', 1, 0, null),
        row('2026-11-10', 'birthday', 1, 1, 32),
        row('2026-11-11', 'registered_no_card', 2, 1, 48),
        row('2026-11-13', 'funds_idle', 2, 1, 24),
        row('2026-11-13', 'gift_expiring_unused', 1, 1, 24),
      ])
      expect(
        await triggerOutcomes(reader.client, 'week', range, { rule: 'funds_idle', platform: 'web' }),
      ).toEqual([row('2026-11-09', 'funds_idle', 2, 1, 24)])
      expect(await triggerOutcomes(reader.client, 'week', range, { group: 'Organic Search' })).toEqual([])
    } finally {
      await reader.close()
    }
  })
})

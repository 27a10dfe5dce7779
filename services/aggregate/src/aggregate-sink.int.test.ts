import { stageNames } from '@opstream/runtime/config'
import { createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { Channel } from '@opstream/runtime/contract/generated/channel'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import { committedToEnd, testKafka, waitFor } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, it } from 'vitest'
import { type AggregateProcess, startAggregate } from '../test/support/aggregate-process.ts'
import { caughtUp, committedCount, produceEnriched, setUpAggregate } from '../test/support/aggregate-setup.ts'
import { channelCosts, economicsOf } from '../test/support/economics-truth.ts'
import { enrichedStream } from '../test/support/enriched-stream.ts'
import { expectFunnelsExact } from '../test/support/funnel-checks.ts'
import { REFRESH_FUNNEL_ROLLUPS, windowFunnelSql } from '../test/support/funnel-sql.ts'
import { queryTables } from '../test/support/query-tables.ts'
import { volumeOf, weeklyIntervalsOf, weeklyLadderOf } from '../test/support/rollup-truth.ts'
import { SINK_QUERIES as QUERIES, sinkTruth as truth } from '../test/support/sink-truth.ts'
import { loadFunnels } from './adapters/funnels-file.ts'
import type { FunnelDefinition } from './core/funnel-config.ts'
import { CHANNEL_ECONOMICS_SQL } from './queries/channel-economics.ts'
import { EVENT_VOLUME_SQL } from './queries/event-volume.ts'
import { FUNNEL_STEPS_SQL, TIME_TO_CONVERT_SQL } from './queries/funnels.ts'
import { ladderSql, purchaseIntervalsSql } from './queries/purchase-ladder.ts'

const registry = fileRegistry(builtInCatalog())
const log = (line: string) => process.stdout.write(`[aggregate sink] ${line}\n`)

/**
 * The funnel queries dashboards use, over the whole range: step counts and conversions per
 * channel group equal those computed here from windowFunnel's levels over the stitched events;
 * the time-to-convert histogram accounts for every person at every step.
 */
async function expectFunnelQueries(
  target: Parameters<typeof queryTables>[0],
  range: { from: string; to: string },
): Promise<void> {
  const funnel = loadFunnels().funnels[0] as FunnelDefinition
  const params = { funnel: funnel.name, ...range }
  const [, , , , oracle, steps, histogram] = await queryTables(target, [
    ...REFRESH_FUNNEL_ROLLUPS,
    `SELECT level, dims.1 AS channel FROM (${windowFunnelSql(funnel)}) WHERE level > 0`,
    { query: FUNNEL_STEPS_SQL, params },
    { query: TIME_TO_CONVERT_SQL, params },
  ])
  const users = new Map<string, number>()
  for (const o of oracle ?? []) {
    for (let k = 1; k <= (o.level as number); k++) {
      const key = `${o.channel}|${k}`
      users.set(key, (users.get(key) ?? 0) + 1)
    }
  }
  const expected = [...users]
    .map(([key, n]) => {
      const [channel = '', step = '0'] = key.split('|')
      const first = users.get(`${channel}|1`) ?? 0
      const previous = users.get(`${channel}|${Number(step) - 1}`) ?? n
      return {
        channel_group: channel,
        step: Number(step),
        users: n,
        of_first: Math.round((n / first) * 10_000) / 10_000,
        of_previous: Math.round((n / previous) * 10_000) / 10_000,
      }
    })
    .sort((a, b) => a.channel_group.localeCompare(b.channel_group) || a.step - b.step)
  expect(
    (steps ?? []).map(({ channel_group, step, users, of_first, of_previous }) => ({
      channel_group,
      step,
      users,
      of_first,
      of_previous,
    })),
  ).toEqual(expected)
  expect(expected.some((r) => r.step >= 4)).toBe(true)
  for (const h of histogram ?? []) {
    const {
      users: n,
      within_1m,
      within_1h,
      within_1d,
      within_7d,
      within_30d,
      later,
    } = h as Record<string, number>
    expect(
      (within_1m ?? 0) +
        (within_1h ?? 0) +
        (within_1d ?? 0) +
        (within_7d ?? 0) +
        (within_30d ?? 0) +
        (later ?? 0),
    ).toBe(n)
  }
  const perStep = new Map<number, number>()
  for (const r of expected) perStep.set(r.step, (perStep.get(r.step) ?? 0) + r.users)
  expect((histogram ?? []).map((h) => [h.step, h.users])).toEqual([...perStep].sort((a, b) => a[0] - b[0]))
}

describe('aggregate sink into ClickHouse', () => {
  const running: AggregateProcess[] = []
  const admin = testKafka().admin()
  afterAll(async () => {
    for (const r of running) await r.stop('SIGKILL')
    await (await admin).disconnect()
  })

  it('writes enriched events and users as sent; identities through a view; bad bytes to the DLQ', {
    timeout: 120_000,
  }, async () => {
    const a = await admin
    const { names, target, env, prefix } = await setUpAggregate(a, 'sink')
    const events = enrichedStream({ events: 20_000, persons: 2_000 })
    await produceEnriched(names.eventsEnriched, events)
    const producer = await testKafka().producer()
    const profiles = await createEncoder<UserProfile>(registry, SUBJECTS.userProfile)
    const profile = (id: string, tier: string, at: number): UserProfile => ({
      user_id: id,
      member_tier: tier,
      city: '成都',
      province: '四川',
      birthday: '1992-03-04',
      gender: 'f',
      asset_band: '1w-5w',
      registered_at: new Date(at),
      updated_at: new Date(at),
      custom: { source: 'crm' },
    })
    await producer.send(names.users, [
      { key: 'u1', value: profiles.encode(profile('u1', 'silver', 1)) },
      { key: 'u1', value: profiles.encode(profile('u1', 'gold', 2)) },
      { key: 'u2', value: profiles.encode(profile('u2', 'silver', 3)) },
      { key: 'u2', value: null },
    ])
    await producer.send(names.eventsEnriched, [{ key: 'x', value: Buffer.from('not avro') }])
    await producer.disconnect()

    const agg = await startAggregate({ ...env, AGGREGATE_HEALTH_SAMPLE_MS: '500' })
    running.push(agg)
    const group = stageNames(prefix).groups.aggregate
    await waitFor(
      async () =>
        (await caughtUp(a, prefix, names.eventsEnriched)) && (await committedToEnd(a, group, names.users)),
      { what: 'aggregate caught up', timeoutMs: 90_000 },
    )
    expect(await agg.stop()).toBe(0)

    const [totals, byEvent, identities, rollup, users] = await queryTables(target, [
      ...QUERIES,
      `SELECT user_id, member_tier, city, birthday, deleted, custom FROM users FINAL ORDER BY user_id`,
    ])
    const t = truth(events)
    expect(totals).toEqual([{ rows: t.rows, ids: t.rows, amount: t.amount }])
    expect(Object.fromEntries((byEvent ?? []).map((r) => [r.event, r.n]))).toEqual(t.byEvent)
    expect(identities).toEqual([{ n: t.links }])
    expect(rollup).toEqual([t.rollup])
    expect(users).toEqual([
      {
        user_id: 'u1',
        member_tier: 'gold',
        city: '成都',
        birthday: '1992-03-04',
        deleted: false,
        custom: { source: 'crm' },
      },
      { user_id: 'u2', member_tier: '', city: '', birthday: null, deleted: true, custom: {} },
    ])
    const dlq = await a.fetchTopicOffsets(names.dlq)
    expect(dlq.reduce((n, o) => n + Number(o.high), 0)).toBe(1)
    // Pipeline health, sampled every 500 ms and once more at shutdown: the DLQ message counted
    // once over the minutes, and the aggregate's lag 0 once it had caught up.
    const [dlqSeries, lag] = await queryTables(target, [
      `SELECT toUInt32(sum(value)) AS n FROM metric_series WHERE metric = 'dlq_messages'`,
      {
        query: `SELECT value FROM metric_series WHERE metric = 'consumer_lag' AND event = {g:String}
                ORDER BY minute DESC LIMIT 1`,
        params: { g: group },
      },
    ])
    expect(dlqSeries).toEqual([{ n: 1 }])
    expect(lag).toEqual([{ value: 0 }])
  })

  it('rollups — channel economics, purchase ladder, event volume, metric points — equal computations over the events as sent', {
    timeout: 120_000,
  }, async () => {
    const a = await admin
    const { names, target, env, prefix } = await setUpAggregate(a, 'economics')
    const events = enrichedStream({ events: 20_000, persons: 3_000, seed: 5 })
    await produceEnriched(names.eventsEnriched, events)
    const costs = channelCosts()
    const channels = await createEncoder<Channel>(registry, SUBJECTS.channel)
    const producer = await testKafka().producer()
    await producer.send(
      names.channels,
      costs.map((c) => ({ key: c.code, value: channels.encode(c) })),
    )
    await producer.disconnect()
    const agg = await startAggregate(env)
    running.push(agg)
    const group = stageNames(prefix).groups.aggregate
    await waitFor(
      async () =>
        (await caughtUp(a, prefix, names.eventsEnriched)) && (await committedToEnd(a, group, names.channels)),
      { what: 'aggregate caught up', timeoutMs: 90_000 },
    )
    expect(await agg.stop()).toBe(0)
    const range = { from: '2026-10-01', to: '2027-06-30' }
    const [rows, ladder, volume, points, intervals] = await queryTables(target, [
      { query: CHANNEL_ECONOMICS_SQL, params: range },
      { query: ladderSql('week'), params: range },
      { query: EVENT_VOLUME_SQL, params: range },
      `SELECT event, toUInt32(sum(value)) AS n FROM metric_points WHERE metric = 'events' GROUP BY event ORDER BY event`,
      { query: purchaseIntervalsSql('week'), params: range },
    ])
    expect(ladder).toEqual(weeklyLadderOf(events))
    const expectedIntervals = weeklyIntervalsOf(events)
    expect(intervals).toEqual(expectedIntervals)
    expect(expectedIntervals.reduce((n, r) => n + r.intervals, 0)).toBeGreaterThan(100)
    // The stream reaches third purchases, so the ladder is more than one rung deep.
    expect((ladder ?? []).some((r) => ((r.users as number[])[2] ?? 0) > 0)).toBe(true)
    expect(volume).toEqual(volumeOf(events))
    await expectFunnelsExact(target, log)
    await expectFunnelQueries(target, range)
    expect(Object.fromEntries((points ?? []).map((r) => [r.event, r.n]))).toEqual(truth(events).byEvent)
    const expected = economicsOf(events, costs)
    expect(rows?.length).toBe(expected.length)
    expect(rows).toEqual(expected)
    // The ghost campaign cost money and brought nobody: it is there, with no CAC.
    expect(rows?.find((r) => r.cost_code === 'ghost')).toMatchObject({ registrations: 0, cac: null })
  })

  it('SIGKILLed 4 times during a 180,000-event stream: every number equals the events as sent', {
    timeout: 600_000,
  }, async () => {
    const a = await admin
    const total = Number(process.env.AGG_CRASH_EVENTS ?? 180_000)
    const { names, target, env, prefix } = await setUpAggregate(a, 'sinkcrash')
    const events = enrichedStream({ events: total, persons: 18_000, seed: 11 })
    await produceEnriched(names.eventsEnriched, events)
    const group = stageNames(prefix).groups.aggregate
    let agg = await startAggregate(env)
    running.push(agg)
    const runs = [agg]
    for (let k = 1; k <= 4; k++) {
      // Spread over the stream, and never before the restarted process has committed something.
      const at = Math.max(
        Math.round((total * k) / 6),
        (await committedCount(a, group, names.eventsEnriched)) + 1,
      )
      await waitFor(async () => (await committedCount(a, group, names.eventsEnriched)) >= at, {
        what: `${at} events committed`,
        timeoutMs: 180_000,
        intervalMs: 25,
      })
      await agg.stop('SIGKILL')
      const committed = await committedCount(a, group, names.eventsEnriched)
      log(`SIGKILL ${k} at ${committed} events committed`)
      expect(committed).toBeLessThan(total)
      agg = await startAggregate(env)
      running.push(agg)
      runs.push(agg)
    }
    await waitFor(() => caughtUp(a, prefix, names.eventsEnriched), {
      what: 'aggregate caught up',
      timeoutMs: 300_000,
      intervalMs: 250,
    })
    expect(await agg.stop()).toBe(0)
    const replays = runs.reduce((n, r) => n + (r.logged.get('range written again after a restart') ?? 0), 0)
    log(`${replays} recorded ranges written again after restarts`)
    const range = { from: '2026-10-01', to: '2027-06-30' }
    const [totals, byEvent, identities, rollup, ladder, volume, intervals, points] = await queryTables(
      target,
      [
        ...QUERIES,
        { query: ladderSql('week'), params: range },
        { query: EVENT_VOLUME_SQL, params: range },
        { query: purchaseIntervalsSql('week'), params: range },
        `SELECT event, toUInt32(sum(value)) AS n FROM metric_points WHERE metric = 'events' GROUP BY event ORDER BY event`,
      ],
    )
    const t = truth(events)
    // Every rollup as a run without kills would leave it: the numbers of the input.
    expect(ladder).toEqual(weeklyLadderOf(events))
    expect(volume).toEqual(volumeOf(events))
    expect(intervals).toEqual(weeklyIntervalsOf(events))
    expect(Object.fromEntries((points ?? []).map((r) => [r.event, r.n]))).toEqual(t.byEvent)
    expect(rollup).toEqual([t.rollup])
    log(`${JSON.stringify(totals)}; identities ${JSON.stringify(identities)}`)
    expect(totals).toEqual([{ rows: t.rows, ids: t.rows, amount: t.amount }])
    expect(Object.fromEntries((byEvent ?? []).map((r) => [r.event, r.n]))).toEqual(t.byEvent)
    expect(identities).toEqual([{ n: t.links }])
    await expectFunnelsExact(target, log)
  })
})

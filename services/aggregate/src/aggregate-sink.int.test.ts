import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { prefixedTopicNames } from '@opstream/runtime/config'
import { createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { Channel } from '@opstream/runtime/contract/generated/channel'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import type { AdminHandle } from '@opstream/runtime/kafka-types'
import { brokers, committedToEnd, testKafka, uniqueName, waitFor } from '@opstream/runtime/testing/stack'
import { ensureTopics, pipelineTopics } from '@opstream/runtime/topics'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { loadFunnels } from './adapters/funnels-file.ts'
import { CHANNEL_ECONOMICS_SQL } from './queries/channel-economics.ts'
import { EVENT_VOLUME_SQL } from './queries/event-volume.ts'
import { ladderSql } from './queries/purchase-ladder.ts'
import { type AggregateProcess, startAggregate } from './testing/aggregate-process.ts'
import { channelCosts, economicsOf } from './testing/economics-truth.ts'
import { enrichedStream } from './testing/enriched-stream.ts'
import { funnelCheckQueries } from './testing/funnel-sql.ts'
import { queryTables } from './testing/query-tables.ts'
import { volumeOf, weeklyLadderOf } from './testing/rollup-truth.ts'

const registry = fileRegistry(builtInCatalog())
const PARTITIONS = 3
const log = (line: string) => process.stdout.write(`[aggregate sink] ${line}\n`)

/** The numbers the sink must reproduce, computed here from the events as sent. */
function truth(events: EnrichedEvent[]) {
  const byEvent = new Map<string, number>()
  let invested = 0n
  let links = 0
  let acquired = 0
  for (const e of events) {
    if (e.acquisition) acquired += 1
    byEvent.set(e.event.event, (byEvent.get(e.event.event) ?? 0) + 1)
    if (e.event.purchase) invested += BigInt(e.event.purchase.amount.replace('.', ''))
    if (e.event.user_id && ['register', 'login', 'identify'].includes(e.event.event)) links += 1
  }
  const amount = `${invested / 10_000n}.${(invested % 10_000n).toString().padStart(4, '0')}`
  return {
    rows: events.length,
    byEvent: Object.fromEntries([...byEvent].sort()),
    amount,
    links,
    // Every register event carries the acquisition it froze; purchases come after registration.
    rollup: { events: acquired, registrations: byEvent.get('register') ?? 0, amount },
  }
}

const QUERIES = [
  'SELECT toUInt32(count()) AS rows, toUInt32(uniqExact(event_id)) AS ids, toDecimalString(sum(amount), 4) AS amount FROM events',
  'SELECT event, toUInt32(count()) AS n FROM events GROUP BY event ORDER BY event',
  'SELECT toUInt32(count()) AS n FROM identities',
  `SELECT toUInt32(sum(events)) AS events, toUInt32(sum(registrations)) AS registrations,
     toDecimalString(sum(invested_amount), 4) AS amount FROM channel_daily`,
]

/**
 * Every configured funnel: levels in funnel_progress and counts in funnel_daily against
 * windowFunnel over the raw events of each person key. (A device's activity before sign-in is
 * its own person key, not yet stitched onto the user's timeline.)
 */
async function expectFunnelsExact(target: Parameters<typeof queryTables>[0]): Promise<void> {
  const funnels = loadFunnels().funnels
  const results = await queryTables(
    target,
    funnels.flatMap((f) => funnelCheckQueries(f)),
  )
  funnels.forEach((f, i) => {
    const [levels, steps] = [results[2 * i], results[2 * i + 1]]
    log(`funnel ${f.name}: ${JSON.stringify(levels)} ${JSON.stringify(steps)}`)
    expect(levels?.[0]?.differing).toBe(0)
    expect((levels?.[0]?.persons as number) > 0).toBe(true)
    for (const row of steps ?? []) expect(row.rollup).toBe(row.oracle)
    expect(steps?.length).toBeGreaterThan(0)
  })
}

async function setUp(admin: AdminHandle, label: string) {
  const prefix = `${uniqueName(label)}.`
  const names = prefixedTopicNames(prefix)
  await ensureTopics(admin, pipelineTopics(names, PARTITIONS))
  const clickhouseUrl = inject('clickhouseUrl')
  const target = {
    url: clickhouseUrl || undefined,
    chdbPath: await mkdtemp(join(tmpdir(), 'opstream-agg-chdb-')),
    database: uniqueName(label),
  }
  const env: Record<string, string> = {
    KAFKA_BROKERS: brokers().join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    // A killed member's partitions move after 6 s instead of 30.
    CONSUMER_SESSION_TIMEOUT_MS: '6000',
    CHDB_PATH: target.chdbPath,
    CLICKHOUSE_DATABASE: target.database,
    ...(target.url ? { CLICKHOUSE_URL: target.url } : {}),
  }
  return { prefix, names, target, env }
}

async function produceEvents(topic: string, events: EnrichedEvent[]): Promise<void> {
  const encoder = await createEncoder<EnrichedEvent>(registry, SUBJECTS.enrichedEvent)
  const producer = await testKafka().producer()
  for (let i = 0; i < events.length; i += 5_000) {
    await producer.send(
      topic,
      events.slice(i, i + 5_000).map((e) => ({ key: e.person_key, value: encoder.encode(e) })),
    )
  }
  await producer.disconnect()
}

async function rowsIn(admin: AdminHandle, group: string, topic: string): Promise<number> {
  return (await admin.fetchCommitted(group, topic)).reduce((n, c) => n + Math.max(0, Number(c.offset)), 0)
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
    const { names, target, env, prefix } = await setUp(a, 'sink')
    const events = enrichedStream({ events: 20_000, persons: 2_000 })
    await produceEvents(names.eventsEnriched, events)
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

    const agg = await startAggregate(env)
    running.push(agg)
    const group = `${prefix}aggregate`
    await waitFor(
      async () =>
        (await committedToEnd(a, group, names.eventsEnriched)) &&
        (await committedToEnd(a, group, names.users)),
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
  })

  it('rollups — channel economics, purchase ladder, event volume, metric points — equal computations over the events as sent', {
    timeout: 120_000,
  }, async () => {
    const a = await admin
    const { names, target, env, prefix } = await setUp(a, 'economics')
    const events = enrichedStream({ events: 20_000, persons: 3_000, seed: 5 })
    await produceEvents(names.eventsEnriched, events)
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
    const group = `${prefix}aggregate`
    await waitFor(
      async () =>
        (await committedToEnd(a, group, names.eventsEnriched)) &&
        (await committedToEnd(a, group, names.channels)),
      { what: 'aggregate caught up', timeoutMs: 90_000 },
    )
    expect(await agg.stop()).toBe(0)
    const range = { from: '2026-10-01', to: '2027-06-30' }
    const [rows, ladder, volume, points] = await queryTables(target, [
      { query: CHANNEL_ECONOMICS_SQL, params: range },
      { query: ladderSql('week'), params: range },
      { query: EVENT_VOLUME_SQL, params: range },
      `SELECT event, toUInt32(sum(value)) AS n FROM metric_points WHERE metric = 'events' GROUP BY event ORDER BY event`,
    ])
    expect(ladder).toEqual(weeklyLadderOf(events))
    // The stream reaches third purchases, so the ladder is more than one rung deep.
    expect((ladder ?? []).some((r) => ((r.users as number[])[2] ?? 0) > 0)).toBe(true)
    expect(volume).toEqual(volumeOf(events))
    await expectFunnelsExact(target)
    expect(Object.fromEntries((points ?? []).map((r) => [r.event, r.n]))).toEqual(truth(events).byEvent)
    const expected = economicsOf(events, costs)
    expect(rows?.length).toBe(expected.length)
    expect(rows).toEqual(expected)
    // The ghost campaign cost money and brought nobody: it is there, with no CAC.
    expect(rows?.find((r) => r.cost_code === 'ghost')).toMatchObject({ registrations: 0, cac: null })
  })

  it('SIGKILLed 5 times during a 300,000-event stream: every number equals the events as sent', {
    timeout: 600_000,
  }, async () => {
    const a = await admin
    const total = Number(process.env.AGG_CRASH_EVENTS ?? 300_000)
    const { names, target, env, prefix } = await setUp(a, 'sinkcrash')
    const events = enrichedStream({ events: total, persons: 30_000, seed: 11 })
    await produceEvents(names.eventsEnriched, events)
    const group = `${prefix}aggregate`
    let agg = await startAggregate(env)
    running.push(agg)
    const runs = [agg]
    for (let k = 1; k <= 5; k++) {
      // Spread over the stream, and never before the restarted process has committed something.
      const at = Math.max(Math.round((total * k) / 7), (await rowsIn(a, group, names.eventsEnriched)) + 1)
      await waitFor(async () => (await rowsIn(a, group, names.eventsEnriched)) >= at, {
        what: `${at} events committed`,
        timeoutMs: 180_000,
        intervalMs: 25,
      })
      await agg.stop('SIGKILL')
      const committed = await rowsIn(a, group, names.eventsEnriched)
      log(`SIGKILL ${k} at ${committed} events committed`)
      expect(committed).toBeLessThan(total)
      agg = await startAggregate(env)
      running.push(agg)
      runs.push(agg)
    }
    await waitFor(() => committedToEnd(a, group, names.eventsEnriched), {
      what: 'aggregate caught up',
      timeoutMs: 300_000,
      intervalMs: 250,
    })
    expect(await agg.stop()).toBe(0)
    const replays = runs.reduce((n, r) => n + (r.logged.get('range written again after a restart') ?? 0), 0)
    log(`${replays} recorded ranges written again after restarts`)
    const [totals, byEvent, identities, rollup] = await queryTables(target, QUERIES)
    const t = truth(events)
    expect(rollup).toEqual([t.rollup])
    log(`${JSON.stringify(totals)}; identities ${JSON.stringify(identities)}`)
    expect(totals).toEqual([{ rows: t.rows, ids: t.rows, amount: t.amount }])
    expect(Object.fromEntries((byEvent ?? []).map((r) => [r.event, r.n]))).toEqual(t.byEvent)
    expect(identities).toEqual([{ n: t.links }])
    await expectFunnelsExact(target)
  })
})

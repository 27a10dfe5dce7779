/**
 * The operations rollups (activity_daily, cohort_activity, fund_flows_daily, sessions,
 * content_daily) and their queries,
 * against ClickHouse's own functions — uniqExact, retention(), plain sums — over the raw `events`
 * the same run wrote, and against a hand-built cohort whose retention is worked out by hand.
 */
import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import { createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { Channel } from '@opstream/runtime/contract/generated/channel'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import { committedToEnd, testClickHouse, testKafka, waitFor } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, it } from 'vitest'
import { type AggregateProcess, startAggregate } from '../test/support/aggregate-process.ts'
import { caughtUp, committedCount, produceEnriched, setUpAggregate } from '../test/support/aggregate-setup.ts'
import { channelCosts } from '../test/support/economics-truth.ts'
import { enrichedStream } from '../test/support/enriched-stream.ts'
import { monday, money, units } from '../test/support/money-units.ts'
import { onboardingEvents } from '../test/support/onboarding-events.ts'
import {
  activeTruthSql,
  contentTruthSql,
  fundFlowTruthSql,
  ltvTruthSql,
  pageTruthSql,
  periodTruthSql,
  retentionTruthSql,
  sessionTruthSql,
} from '../test/support/operations-truth.ts'
import { activeUsers, periodSummary } from './queries/active-users.ts'
import { contentEngagement, pageEngagement, sessionSummary } from './queries/engagement.ts'
import { fundFlows } from './queries/fund-flows.ts'
import { LTV_DAYS, ltv, retention } from './queries/retention.ts'

const DAY = 86_400_000
const FROM = '2026-11-01'
const TO = '2026-11-28'

/**
 * Five users of channel group 'Hand Built' who register on 2026-11-02 and come back on known
 * days after: A on days 1 and 7, B on 1, C on 3, D never, E on 7 and 14.
 */
function handBuiltCohort(): EnrichedEvent[] {
  const registered = Date.parse('2026-11-02T09:00:00Z')
  const returns: Record<string, number[]> = { A: [1, 7], B: [1], C: [3], D: [], E: [7, 14] }
  return Object.entries(returns).flatMap(([name, days]) => {
    const user = `hand-${name}`
    const base = { user, channelGroup: 'Hand Built', platform: 'ios' as const }
    const joined = onboardingEvents({ ...base, at: registered - 1_000, steps: 2 })
    const later = days.flatMap((d) => onboardingEvents({ ...base, at: registered + d * DAY, steps: 1 }))
    const registeredAt = joined[1]?.acquisition?.registered_at as Date
    return [
      ...joined,
      ...later.map((e, i) => ({
        ...e,
        attribution: {
          ...e.attribution,
          // Each return is a session of its own.
          session: { ...e.attribution.session, session_id: `${user}:${i + 2}`, index: i + 2 },
          first_touch: { channel: e.attribution.channel, at: new Date(registered - 1_000) },
        },
        identity: { ...e.identity, linked_at: registeredAt },
        acquisition: { channel: e.attribution.channel, registered_at: registeredAt },
      })),
    ]
  })
}

describe('operations numbers: users, revenue, retention and fund flows', () => {
  const kafka = testKafka()
  let aggregate: AggregateProcess | undefined
  const stops: Array<() => Promise<unknown>> = []
  afterAll(async () => {
    await aggregate?.stop('SIGKILL')
    for (const stop of stops) await stop()
  })

  it('equal ClickHouse’s own functions over the raw events, the stream sent in two halves with a SIGKILL between', {
    timeout: 300_000,
  }, async () => {
    const admin = await kafka.admin()
    stops.push(() => admin.disconnect())
    const setup = await setUpAggregate(admin, 'operations')
    const stream = [
      ...enrichedStream({
        events: 100_000,
        persons: 12_000,
        seed: 23,
        days: 26,
        money: true,
        engagement: true,
      }),
      ...handBuiltCohort(),
    ]
    const half = Math.floor(stream.length / 2)
    const channels = await createEncoder<Channel>(fileRegistry(builtInCatalog()), SUBJECTS.channel)
    const producer = await kafka.producer()
    await producer.send(
      setup.names.channels,
      channelCosts().map((c) => ({ key: c.code, value: channels.encode(c) })),
    )
    await producer.disconnect()
    aggregate = await startAggregate(setup.env)
    await produceEnriched(setup.names.eventsEnriched, stream.slice(0, half))
    // Killed while the first half is being written: what it had not committed comes again.
    await waitFor(
      async () => (await committedCount(admin, setup.group, setup.names.eventsEnriched)) >= half / 3,
      {
        what: 'a third of the first half committed',
        timeoutMs: 120_000,
        intervalMs: 25,
      },
    )
    await aggregate.stop('SIGKILL')
    aggregate = await startAggregate(setup.env)
    await produceEnriched(setup.names.eventsEnriched, stream.slice(half))
    await waitFor(
      async () =>
        (await caughtUp(admin, setup.prefix, setup.names.eventsEnriched)) &&
        (await committedToEnd(admin, setup.group, setup.names.channels)),
      {
        what: 'both halves and the catalog written',
        timeoutMs: 240_000,
      },
    )
    const ch = await testClickHouse(setup.target.database)
    stops.push(() => ch.close())
    const c = ch.client
    const [raw] = await queryRows<{ rows: number; ids: number }>(
      c,
      'SELECT toUInt32(count()) AS rows, toUInt32(uniqExact(event_id)) AS ids FROM events',
    )
    expect(raw).toEqual({ rows: stream.length, ids: stream.length })

    await checkActive(c)
    await checkPeriods(c)
    await checkRetention(c)
    await checkFundFlows(c)
    await checkLtv(c)
    await checkHandBuilt(c)
    await checkEngagement(c)
  })
})

async function checkActive(c: ClickHouseClient): Promise<void> {
  const mine = await activeUsers(c, { from: FROM, to: TO })
  const truth = await queryRows(c, activeTruthSql(FROM, 28))
  expect(mine).toEqual(truth)
  expect(mine.some((r) => r.mau > r.wau && r.wau > r.dau)).toBe(true)
  process.stdout.write(`[operations] ${FROM}…${TO}: DAU ${mine.map((r) => r.dau).join(' ')}\n`)
}

async function checkPeriods(c: ClickHouseClient): Promise<void> {
  for (const [grain, day] of [
    ['day', '2026-11-12'],
    ['week', '2026-11-18'],
    ['month', '2026-11-20'],
  ] as const) {
    const mine = await periodSummary(c, grain, day)
    const truth = await Promise.all(mine.map((p) => queryRows(c, periodTruthSql(p.from, p.to))))
    expect(mine.map(({ period: _p, from: _f, to: _t, ...r }) => r)).toEqual(truth.map((t) => t[0]))
  }
  const [week] = await periodSummary(c, 'week', '2026-11-18', { group: 'Paid Social', platform: 'ios' })
  const [truth] = await queryRows(
    c,
    periodTruthSql(
      week?.from ?? '',
      week?.to ?? '',
      "acquisition_group = 'Paid Social' AND platform = 'ios'",
    ),
  )
  expect(week).toMatchObject(truth as object)
}

async function checkRetention(c: ClickHouseClient): Promise<void> {
  for (const kind of ['active', 'purchase'] as const) {
    const mine = await retention(c, { kind, grain: 'day', unit: 'day', from: FROM, to: TO })
    const truth = await queryRows(c, retentionTruthSql(kind, 'day', FROM, TO, 30))
    expect(mine).toEqual(truth)
    const weeks = await retention(c, { kind, grain: 'week', unit: 'week', from: FROM, to: TO })
    expect(weeks).toEqual(await queryRows(c, retentionTruthSql(kind, 'week', FROM, TO, 12)))
    process.stdout.write(
      `[operations] ${kind} retention: ${mine.length} cohort-day cells, ${weeks.length} cohort-week cells\n`,
    )
  }
}

async function checkFundFlows(c: ClickHouseClient): Promise<void> {
  const mine = await fundFlows(c, 'week', { from: FROM, to: TO })
  expect(mine).toEqual(await queryRows(c, fundFlowTruthSql(FROM, TO)))
  expect(mine.reduce((n, r) => n + r.large_withdrawals, 0)).toBeGreaterThan(0)
}

async function checkLtv(c: ClickHouseClient): Promise<void> {
  const mine = await ltv(c, 'week', { from: FROM, to: TO })
  const truth = await queryRows<{
    cohort: string
    acquisition_group: string
    per_day: unknown
    by_day: Array<[number, string]>
  }>(c, ltvTruthSql(FROM, TO, LTV_DAYS))
  expect(
    mine.map(({ cohort, acquisition_group, cohort_users, converted, amount }) => ({
      cohort,
      acquisition_group,
      cohort_users,
      converted,
      amount,
    })),
  ).toEqual(truth.map(({ by_day: _b, per_day: _p, ...t }) => t))
  // Cost, LTV ÷ CAC and payback, from the catalog records as sent and the truth's daily amounts.
  const cost = costByWeekAndGroup(channelCosts())
  for (const r of mine) {
    const spent = cost.get(`${r.cohort}|${r.acquisition_group}`) ?? 0n
    expect(r.cost).toBe(money(spent))
    expect(r.ltv_to_cac).toEqual(
      r.amount.map((a) => (spent > 0n ? money((units(a) * 10_000n) / spent) : null)),
    )
    const days =
      truth.find((t) => t.cohort === r.cohort && t.acquisition_group === r.acquisition_group)?.by_day ?? []
    let sum = 0n
    let payback: number | null = null
    for (let n = 0; spent > 0n && payback === null && n <= Math.max(0, ...days.map(([d]) => d)); n++) {
      for (const [d, a] of days) if (d === n) sum += units(a)
      if (sum >= spent) payback = n
    }
    expect(r.payback_day).toBe(payback)
  }
  expect(mine.some((r) => r.payback_day !== null) && mine.some((r) => r.cost !== '0.0000')).toBe(true)
}

/** Each catalog code's costs summed per ISO week (Monday) and channel group. */
function costByWeekAndGroup(records: Channel[]): Map<string, bigint> {
  const out = new Map<string, bigint>()
  for (const r of records)
    for (const c of r.costs) {
      const key = `${monday(new Date(`${c.date}T00:00:00Z`))}|${r.channel_group}`
      out.set(key, (out.get(key) ?? 0n) + units(c.amount))
    }
  return out
}

async function checkEngagement(c: ClickHouseClient): Promise<void> {
  const range = { from: FROM, to: TO }
  const sessions = await sessionSummary(c, 'day', range)
  expect(sessions).toEqual(await queryRows(c, sessionTruthSql(FROM, TO)))
  const filtered = await sessionSummary(c, 'day', range, { group: 'Paid Social', platform: 'android' })
  expect(filtered).toEqual(
    await queryRows(
      c,
      sessionTruthSql(FROM, TO, "max(acquisition_group) = 'Paid Social' AND any(platform) = 'android'"),
    ),
  )
  expect(sessions.every((s) => s.sessions > 0) && filtered.length > 0).toBe(true)
  expect(await pageEngagement(c, range, {}, 20)).toEqual(await queryRows(c, pageTruthSql(FROM, TO, 20)))
  expect(await contentEngagement(c, range, {}, 20)).toEqual(await queryRows(c, contentTruthSql(FROM, TO, 20)))
  // H5 pages sent only their URL: the path is ClickHouse's own path() of it.
  const [paths] = await queryRows<{ n: number; differ: number }>(
    c,
    `SELECT toUInt32(count()) AS n, toUInt32(countIf(page_path != path(page_url))) AS differ
     FROM events WHERE event = 'page_view' AND page_url != '' AND platform = 'h5'`,
  )
  expect(paths?.n).toBeGreaterThan(0)
  expect(paths?.differ).toBe(0)
  const total = sessions.reduce((n, s) => n + s.sessions, 0)
  process.stdout.write(
    `[operations] ${total} sessions, bounce rate ${sessions.map((s) => s.bounce_rate).join(' ')}\n`,
  )
}

async function checkHandBuilt(c: ClickHouseClient): Promise<void> {
  const cells = await retention(
    c,
    { kind: 'active', grain: 'day', unit: 'day', from: '2026-11-02', to: '2026-11-02' },
    { group: 'Hand Built' },
  )
  const byN = (n: number) => cells.find((r) => r.n === n)
  // On day n exactly: day 0 all five; day 1 A and B; 3 C; 7 A and E; 14 E.
  // On day n or later: 1 → A B C E; 2–3 → A C E; 4–7 → A E; 8–14 → E.
  const expected: Record<number, [number, number]> = {
    0: [5, 5],
    1: [2, 4],
    2: [0, 3],
    3: [1, 3],
    4: [0, 2],
    7: [2, 2],
    8: [0, 1],
    14: [1, 1],
  }
  for (const [n, [on, after]] of Object.entries(expected))
    expect(byN(Number(n))).toMatchObject({
      cohort: '2026-11-02',
      cohort_users: 5,
      on_n: on,
      on_or_after: after,
      on_or_after_rate: after / 5,
    })
  expect(byN(15)).toBeUndefined()
  const weeks = await retention(
    c,
    { kind: 'active', grain: 'day', unit: 'week', from: '2026-11-02', to: '2026-11-02' },
    { group: 'Hand Built' },
  )
  // Week 0 (days 0–6) all five; week 1 (7–13) A and E; week 2 (14–20) E.
  expect(weeks.map((r) => [r.n, r.on_n, r.on_or_after])).toEqual([
    [0, 5, 5],
    [1, 2, 2],
    [2, 1, 1],
  ])
}

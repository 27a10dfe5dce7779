/**
 * Every provisioned dashboard's SQL — panels, variables, annotations — expanded as Grafana and
 * the ClickHouse plugin expand it, run as the read-only user against the local ClickHouse server
 * over a simulated stream written by the real aggregate (and an alert fired by the real alerts
 * service): no error, rows, the columns the panel type needs, no read of `events`. Chosen
 * values against independent computations.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Dashboard, Panel } from '@grafana/schema'
import { loadFunnels } from '@opstream/aggregate/adapters/funnels-file'
import { type AggregateProcess, startAggregate } from '@opstream/aggregate/testing/aggregate-process'
import { caughtUp, produceEnriched, setUpAggregate } from '@opstream/aggregate/testing/aggregate-setup'
import { channelCosts } from '@opstream/aggregate/testing/economics-truth'
import { enrichedStream } from '@opstream/aggregate/testing/enriched-stream'
import { REFRESH_FUNNEL_ROLLUPS, windowFunnelSql } from '@opstream/aggregate/testing/funnel-sql'
import { units } from '@opstream/aggregate/testing/money-units'
import { retentionTruthSql } from '@opstream/aggregate/testing/operations-truth'
import { startAlerts } from '@opstream/alerts/testing/alerts-process'
import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import { createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { Channel } from '@opstream/runtime/contract/generated/channel'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import type { ServiceProcess } from '@opstream/runtime/testing/service-process'
import { committedToEnd, testClickHouse, testKafka, waitFor } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, it } from 'vitest'
import { type Choice, queriesOf, variableValues } from '../test/support/dashboard-queries.ts'
import { interpolate, type QueryContext } from './core/grafana-sql.ts'
import { DASHBOARDS } from './dashboards/catalog.ts'

const RANGE = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-28T23:59:59Z') }
const HOUR = 3_600_000
/** After the stream's last event: a few persons' lives run on past today. */
const END_OF_STREAM = new Date('2027-01-01T00:00:00Z')

interface Result {
  meta: Array<{ name: string; type: string }>
  data: unknown[][]
}

async function run(client: ClickHouseClient, sql: string): Promise<Result> {
  const rs = await client.query({ query: sql, format: 'JSONCompact' })
  return (await rs.json()) as Result
}

const numeric = (type: string) => /^(Nullable\()?(U?Int|Float|Decimal)/.test(type)
const temporal = (type: string) => /^(Nullable\()?(DateTime|Date)/.test(type)

/** What each panel type needs of its columns. */
function shapeProblem(panelType: string | null, meta: Result['meta']): string | null {
  const nums = meta.filter((m) => numeric(m.type)).length
  if (panelType === 'timeseries') {
    const time = meta.find((m) => m.name === 'time')
    if (!time || !temporal(time.type)) return 'a time series needs a DateTime column named time'
    return nums > 0 ? null : 'a time series needs a numeric column'
  }
  if (panelType === 'stat') return nums === meta.length ? null : 'a stat panel takes numeric columns only'
  if (panelType === 'barchart')
    return meta[0] && !numeric(meta[0].type) && nums > 0 ? null : 'bars need a label and numbers'
  return meta.length > 0 ? null : 'no columns'
}

/** A few events of the last minutes (the stream itself is of November), for the alert. */
function liveTraffic(n: number): ReturnType<typeof enrichedStream> {
  const start = Date.now() - 3 * 60_000
  return enrichedStream({ events: n, persons: 5, seed: 3 }).map((e, i) => {
    const at = new Date(start + i * 1_000)
    const live = (id: string) => `live-${id}`
    return {
      ...e,
      event: {
        ...e.event,
        event_id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
        anonymous_id: live(e.event.anonymous_id),
        user_id: e.event.user_id === null ? null : live(e.event.user_id),
        occurred_at: at,
        received_at: at,
      },
      person_key: live(e.person_key),
      identity: { ...e.identity, user_id: e.identity.user_id === null ? null : live(e.identity.user_id) },
    }
  })
}

describe('the Grafana dashboards', () => {
  const kafka = testKafka()
  const running: Array<AggregateProcess | ServiceProcess> = []
  const closers: Array<() => Promise<unknown>> = []
  afterAll(async () => {
    for (const r of running) await r.stop('SIGKILL')
    for (const c of closers) await c()
  })

  it('run every panel’s SQL as Grafana sends it, read only rollups, and show the right numbers', {
    timeout: 300_000,
  }, async () => {
    const admin = await kafka.admin()
    closers.push(() => admin.disconnect())
    const setup = await setUpAggregate(admin, 'dashboards')
    const stream = enrichedStream({
      events: 40_000,
      persons: 5_000,
      seed: 41,
      days: 26,
      money: true,
      engagement: true,
    })
    const catalog = channelCosts()
    const encoder = await createEncoder<Channel>(fileRegistry(builtInCatalog()), SUBJECTS.channel)
    const producer = await kafka.producer()
    await producer.send(
      setup.names.channels,
      catalog.map((c) => ({ key: c.code, value: encoder.encode(c) })),
    )
    await producer.disconnect()
    const aggregate = await startAggregate({ ...setup.env, AGGREGATE_HEALTH_SAMPLE_MS: '1000' })
    running.push(aggregate)
    await produceEnriched(setup.names.eventsEnriched, [...stream, ...liveTraffic(30)])
    await waitFor(
      async () =>
        (await caughtUp(admin, setup.prefix, setup.names.eventsEnriched)) &&
        (await committedToEnd(admin, setup.group, setup.names.channels)),
      { what: 'the stream and the catalog written', timeoutMs: 180_000 },
    )
    const writer = await testClickHouse(setup.target.database)
    closers.push(() => writer.close())
    for (const q of REFRESH_FUNNEL_ROLLUPS) await writer.client.command({ query: q })

    // An alert the real evaluator fires: fewer than 100 events in the last five minutes.
    const rulesFile = join(await mkdtemp(join(tmpdir(), 'opstream-dash-')), 'rules.json')
    await writeFile(
      rulesFile,
      JSON.stringify({
        interval: '1s',
        rules: [
          {
            name: 'traffic_low',
            series: { metric: 'events' },
            window: '5m',
            condition: { type: 'threshold', op: 'below', value: 100 },
            severity: 'page',
            annotations: { summary: 'only {{value}} events in 5 minutes' },
          },
        ],
      }),
    )
    const alerts = await startAlerts({ ...setup.env, ALERTS_RULES: rulesFile, ALERTS_DELAY_MS: '0' })
    running.push(alerts)
    const count = async (sql: string) => (await queryRows<{ n: number }>(writer.client, sql))[0]?.n ?? 0
    await waitFor(
      async () => (await count("SELECT toUInt32(count()) AS n FROM alerts WHERE state = 'firing'")) > 0,
      {
        what: 'the alert firing',
        timeoutMs: 60_000,
      },
    )
    await waitFor(
      async () =>
        (await count(
          "SELECT toUInt32(count()) AS n FROM pipeline_health WHERE metric = 'event_delay_seconds'",
        )) > 0,
      { what: 'an event-to-table delay sample', timeoutMs: 30_000 },
    )

    const reader = await testClickHouse(setup.target.database, 'reader')
    closers.push(() => reader.close())
    const now = new Date(Date.now() + HOUR)
    // The plan names the tables read: a read of events shows as ReadFromMergeTree (db.events).
    const READS_EVENTS = /ReadFrom\w*\s*\((\w+\.)?events\)/
    const planOf = async (sql: string) =>
      (await run(reader.client, `EXPLAIN PLAN ${sql}`)).data.map((r) => String(r[0])).join('\n')
    expect(await planOf("SELECT count() FROM events WHERE event = 'register'")).toMatch(READS_EVENTS)
    const problems: string[] = []
    let ran = 0
    for (const d of Object.values(DASHBOARDS)) {
      // The pipeline's samples and the alert are of now; the stream is of November.
      const base: Omit<QueryContext, 'variables'> = { from: RANGE.from, to: now, intervalMs: HOUR }
      for (const choice of ['all', 'one', 'two'] as Choice[]) {
        const values = await variableValues(
          d,
          choice,
          base,
          async (sql) => (await run(reader.client, sql)).data.map((r) => String(r[0])),
          { funnel: 'onboarding', group: 'Paid Social', platform: 'ios' },
        )
        for (const q of queriesOf(d)) {
          const where = `${q.dashboard} / ${q.where} (${choice})`
          let sql: string
          try {
            sql = interpolate(q.rawSql, { ...base, variables: values })
          } catch (err) {
            problems.push(`${where}: ${(err as Error).message}`)
            continue
          }
          try {
            const result = await run(reader.client, sql)
            ran++
            if (result.data.length === 0) problems.push(`${where}: no rows`)
            const shape = q.panelType === null ? null : shapeProblem(q.panelType, result.meta)
            if (shape)
              problems.push(
                `${where}: ${shape} (${result.meta.map((m) => `${m.name} ${m.type}`).join(', ')})`,
              )
            if (READS_EVENTS.test(await planOf(sql))) problems.push(`${where}: reads events`)
          } catch (err) {
            problems.push(`${where}: ${(err as Error).message.split('\n')[0]}`)
          }
        }
      }
    }
    expect(problems).toEqual([])
    process.stdout.write(`[dashboards] ${ran} queries run as the read-only user, none reads events\n`)

    await checkValues(reader.client, writer.client, stream, catalog)
  })
})

/** The overview's registrations and first investments, a funnel's steps, a retention cell, a CAC. */
async function checkValues(
  reader: ClickHouseClient,
  writer: ClickHouseClient,
  stream: ReturnType<typeof enrichedStream>,
  catalog: Channel[],
): Promise<void> {
  const ctx = (variables: QueryContext['variables'] = {}): QueryContext => ({
    from: RANGE.from,
    to: RANGE.to,
    intervalMs: HOUR,
    variables,
  })
  const all = (d: Dashboard) =>
    variableValues(d, 'all', ctx(), async (sql) => (await run(reader, sql)).data.map((r) => String(r[0])), {
      funnel: 'onboarding',
    })
  const panel = (d: Dashboard, title: string) => {
    const p = ((d.panels ?? []) as Panel[]).find((x) => x.title?.includes(title))
    const sql = (p?.targets?.[0] as { rawSql?: string } | undefined)?.rawSql
    if (!sql) throw new Error(`no panel ${title}`)
    return sql
  }
  const inRange = (e: (typeof stream)[number]) =>
    e.event.occurred_at >= RANGE.from && e.event.occurred_at <= RANGE.to

  const overview = DASHBOARDS['1-overview.json'] as Dashboard
  const vars = await all(overview)
  const stat = async (title: string) =>
    (await queryRows<{ current: number }>(reader, interpolate(panel(overview, title), ctx(vars))))[0]?.current
  expect(Number(await stat('Registrations'))).toBe(
    stream.filter((e) => inRange(e) && e.event.event === 'register').length,
  )
  expect(Number(await stat('First investments'))).toBe(
    stream.filter((e) => inRange(e) && e.counters.nth_purchase === 1).length,
  )

  // Onboarding steps over the whole stream: persons reaching step k = persons whose windowFunnel
  // level is k or more.
  const funnelsDash = DASHBOARDS['3-funnels.json'] as Dashboard
  const steps = await queryRows<{ step_label: string; persons: number }>(
    reader,
    interpolate(panel(funnelsDash, 'Steps'), { ...ctx(await all(funnelsDash)), to: END_OF_STREAM }),
  )
  const onboarding = (await loadFunnels()).funnels.find((f) => f.name === 'onboarding')
  if (!onboarding) throw new Error('no onboarding funnel')
  const levels = await queryRows<{ level: number }>(
    writer,
    `SELECT level FROM (${windowFunnelSql(onboarding)})`,
  )
  expect(steps.map((s) => Number(s.persons))).toEqual(
    onboarding.steps.map((_, k) => levels.filter((l) => l.level >= k + 1).length),
  )

  // A retention cell: the 2026-11-05 cohort on day 1.
  const retentionDash = DASHBOARDS['4-retention.json'] as Dashboard
  const matrix = await queryRows<{ cohort: string; size: number; d1: number }>(
    reader,
    interpolate(panel(retentionDash, 'Retention by registration day'), ctx(await all(retentionDash))),
  )
  const truth = await queryRows<{ cohort: string; n: number; cohort_users: number; on_rate: number }>(
    writer,
    retentionTruthSql('active', 'day', '2026-11-05', '2026-11-05', 1),
  )
  const cell = truth.find((t) => t.n === 1)
  expect(matrix.find((m) => m.cohort === '2026-11-05')).toMatchObject({
    size: cell?.cohort_users,
    d1: cell?.on_rate,
  })

  // A channel's CAC: the catalog's costs of the range ÷ the first investments it brought.
  const channelsDash = DASHBOARDS['2-channels.json'] as Dashboard
  const economics = await queryRows<{ code: string; cac: number | null; cost: number }>(
    reader,
    interpolate(panel(channelsDash, 'Channel economics'), ctx(await all(channelsDash))),
  )
  const code = 'tt_1124'
  const spent = (catalog.find((c) => c.code === code)?.costs ?? []).reduce((n, c) => n + units(c.amount), 0n)
  const firsts = stream.filter(
    (e) => inRange(e) && e.counters.nth_purchase === 1 && e.acquisition?.channel.campaign === code,
  ).length
  expect(firsts).toBeGreaterThan(0)
  // Decimal division truncates to 4 places; the panel rounds to 2.
  const cac = Number(spent / BigInt(firsts)) / 10_000
  expect(economics.find((r) => r.code === code)?.cac).toBeCloseTo(Math.round(cac * 100) / 100, 2)
}

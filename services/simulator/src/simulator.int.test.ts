/**
 * The simulator against the real pipeline: three days of a seeded platform's history through
 * ingest (the apps' calls by the real Segment SDK, the back end's investments by the producer
 * library, profile updates and the channel catalog by the feeds), both enrich stages and the
 * aggregate into ClickHouse. What ClickHouse holds — events per day, and per day and cost code
 * the registrations, first investments and amounts — must equal the truth the simulator kept of
 * what was acknowledged, client retries and late messages included.
 */
import { type AggregateProcess, startAggregate } from '@opstream/aggregate/testing/aggregate-process'
import { caughtUp, setUpAggregate } from '@opstream/aggregate/testing/aggregate-setup'
import { type EnrichProcess, startEnrich } from '@opstream/enrich/testing/enrich-process'
import { DEV_KEY, type IngestProcess, startIngest } from '@opstream/ingest/testing/ingest-process'
import { queryRows } from '@opstream/runtime/clickhouse-client'
import { stageNames } from '@opstream/runtime/config'
import { brokers, committedToEnd, testClickHouse, testKafka, waitFor } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, it } from 'vitest'
import { compareTruth } from './adapters/truth-check.ts'
import { type SimulationOptions, startSimulation } from './simulation.ts'

describe('the simulator through the real pipeline', () => {
  const kafka = testKafka()
  const running: Array<IngestProcess | EnrichProcess | AggregateProcess> = []
  const closers: Array<() => Promise<unknown>> = []
  afterAll(async () => {
    for (const p of running.reverse()) await p.stop()
    for (const c of closers.reverse()) await c()
  })

  /** Its own topics and database, the three services, a simulation through them, and the wait for all of it in ClickHouse. */
  async function throughPipeline(
    label: string,
    opts: Pick<SimulationOptions, 'seed' | 'model' | 'historyDays' | 'dailyVisitors'>,
  ) {
    const admin = await kafka.admin()
    closers.push(() => admin.disconnect())
    const setup = await setUpAggregate(admin, label, 3)
    const ingest = await startIngest(setup.env)
    running.push(ingest, await startEnrich(setup.env), await startAggregate(setup.env))
    const started = Date.now()
    const truth = await startSimulation({
      ...opts,
      rate: 0,
      incidents: [],
      url: ingest.base,
      writeKey: DEV_KEY,
      brokers: brokers(),
      env: { KAFKA_TOPIC_PREFIX: setup.prefix },
    }).done
    process.stdout.write(
      `[simulator] ${label}: ${truth.events} events (${truth.retries} retries, ${truth.late} late) sent in ${Date.now() - started} ms\n`,
    )
    await waitFor(
      async () =>
        (await committedToEnd(admin, stageNames(setup.prefix).groups.attribute, setup.names.eventsRaw)) &&
        (await committedToEnd(admin, `${setup.prefix}enrich.profile`, setup.names.eventsAttributed)) &&
        (await caughtUp(admin, setup.prefix, setup.names.eventsEnriched)),
      { what: `the pipeline caught up with ${label}`, timeoutMs: 240_000 },
    )
    const ch = await testClickHouse(setup.target.database)
    closers.push(() => ch.close())
    return { truth, ch }
  }

  it('sends what its truth file says, and ClickHouse holds exactly that', { timeout: 420_000 }, async () => {
    const { truth, ch } = await throughPipeline('simulate', { seed: 5, historyDays: 3, dailyVisitors: 700 })
    expect(truth.retries).toBeGreaterThan(0)
    expect(truth.late).toBeGreaterThan(0)
    expect(truth.channels.reduce((n, c) => n + c.first_investments, 0)).toBeGreaterThan(20)
    expect(await compareTruth(ch.client, truth)).toEqual([])
  })

  it('the e-commerce model: orders instead of investments, and the same exactness', {
    timeout: 300_000,
  }, async () => {
    const { truth, ch } = await throughPipeline('simulate_shop', {
      seed: 6,
      model: 'ecommerce',
      historyDays: 2,
      dailyVisitors: 500,
    })
    const orders = truth.channels.reduce((n, c) => n + c.investments, 0)
    expect(orders).toBeGreaterThan(10)
    expect(await compareTruth(ch.client, truth)).toEqual([])
    const [row] = await queryRows<{ n: string }>(
      ch.client,
      "SELECT count() AS n FROM events WHERE event = 'order'",
    )
    expect(Number(row?.n)).toBe(orders)
  })
})

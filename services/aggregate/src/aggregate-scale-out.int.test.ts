/**
 * The aggregate scales out against one ClickHouse: 300,000 enriched events through two
 * aggregate instances of one consumer group, a third joining mid-stream and leaving later, while
 * the local ClickHouse server (a server of this test's own) is SIGKILLed twice and restarted on
 * the same port. Afterwards `events`, every rollup and every person's funnel levels (against
 * windowFunnel) are exactly what the input implies.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type LocalClickHouse, startLocalClickHouse } from '@opstream/clickhouse-local/server-process'
import { stageNames } from '@opstream/runtime/config'
import { testKafka, waitFor } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, it } from 'vitest'
import { type AggregateProcess, startAggregate } from '../test/support/aggregate-process.ts'
import { caughtUp, committedCount, produceEnriched, setUpAggregate } from '../test/support/aggregate-setup.ts'
import { enrichedStream } from '../test/support/enriched-stream.ts'
import { expectFunnelsExact } from '../test/support/funnel-checks.ts'
import { queryTables } from '../test/support/query-tables.ts'
import { volumeOf, weeklyIntervalsOf, weeklyLadderOf } from '../test/support/rollup-truth.ts'
import { SINK_QUERIES, sinkTruth } from '../test/support/sink-truth.ts'
import { EVENT_VOLUME_SQL } from './queries/event-volume.ts'
import { ladderSql, purchaseIntervalsSql } from './queries/purchase-ladder.ts'

const log = (line: string) => process.stdout.write(`[scale-out] ${line}\n`)

describe('aggregate scale-out on one ClickHouse', () => {
  const running: AggregateProcess[] = []
  let server: LocalClickHouse | undefined
  afterAll(async () => {
    for (const r of running) await r.stop('SIGKILL')
    await server?.stop('SIGKILL')
  })

  it('two instances, a third joining and leaving, the ClickHouse server SIGKILLed twice: every number exact', {
    timeout: 900_000,
  }, async () => {
    const admin = await testKafka().admin()
    const total = Number(process.env.AGG_SCALE_EVENTS ?? 300_000)
    const { names, target, env, prefix } = await setUpAggregate(admin, 'scaleout', 6)
    const dataDir = await mkdtemp(join(tmpdir(), 'opstream-scaleout-ch-'))
    server = await startLocalClickHouse({ dataDir, port: 0 })
    const port = Number(new URL(server.url).port)
    const own = { ...env, CLICKHOUSE_URL: server.url }
    const events = enrichedStream({ events: total, persons: 30_000, seed: 23 })
    // The stream arrives in three parts, so that each step below meets input still to come:
    // with everything there at once, instances catch up in bursts that outrun the steps.
    const part = (from: number, to: number) =>
      produceEnriched(names.eventsEnriched, events.slice(Math.round(total * from), Math.round(total * to)))
    await part(0, 0.4)
    const group = stageNames(prefix).groups.aggregate
    const committed = () => committedCount(admin, group, names.eventsEnriched)
    // Progress is read from the rows in ClickHouse: offsets are committed in large steps while
    // partitions move, rows arrive batch by batch.
    const written = async () => {
      const [[row] = []] = await queryTables<{ n: number }>({ ...target, url: server?.url as string }, [
        'SELECT toUInt32(count()) AS n FROM events',
      ])
      return row?.n ?? 0
    }
    const reach = async (share: number) => {
      const at = Math.round(total * share)
      await waitFor(async () => (await written()) >= at, {
        what: `${at} events written`,
        timeoutMs: 300_000,
        intervalMs: 100,
      })
      return written()
    }
    const a = await startAggregate(own)
    const b = await startAggregate(own)
    running.push(a, b)

    log(`third instance joins at ${await reach(0.2)} events written`)
    const c = await startAggregate(own)
    running.push(c)
    await part(0.4, 0.8)

    const crashServer = async (k: number) => {
      const at = await written()
      await server?.stop('SIGKILL')
      server = await startLocalClickHouse({ dataDir, port })
      log(`ClickHouse server SIGKILLed (${k}) at ${at} events written, and restarted`)
    }
    await reach(0.35)
    await crashServer(1)
    log(`third instance leaves at ${await reach(0.5)} events written`)
    expect(await c.stop('SIGTERM')).toBe(0)
    await reach(0.65)
    await crashServer(2)
    expect(await committed()).toBeLessThan(total)
    await part(0.8, 1)

    await waitFor(() => caughtUp(admin, prefix, names.eventsEnriched), {
      what: 'aggregate caught up',
      timeoutMs: 400_000,
      intervalMs: 250,
    })
    expect(await a.stop()).toBe(0)
    expect(await b.stop()).toBe(0)
    await admin.disconnect()

    const at = { ...target, url: server.url }
    const range = { from: '2026-10-01', to: '2027-06-30' }
    const [totals, byEvent, identities, rollup, ladder, volume, intervals] = await queryTables(at, [
      ...SINK_QUERIES,
      { query: ladderSql('week'), params: range },
      { query: EVENT_VOLUME_SQL, params: range },
      { query: purchaseIntervalsSql('week'), params: range },
    ])
    const t = sinkTruth(events)
    expect(totals).toEqual([{ rows: t.rows, ids: t.rows, amount: t.amount }])
    expect(Object.fromEntries((byEvent ?? []).map((r) => [r.event, r.n]))).toEqual(t.byEvent)
    expect(identities).toEqual([{ n: t.links }])
    expect(rollup).toEqual([t.rollup])
    expect(ladder).toEqual(weeklyLadderOf(events))
    expect(volume).toEqual(volumeOf(events))
    expect(intervals).toEqual(weeklyIntervalsOf(events))
    await expectFunnelsExact(at, log)
  })
})

/**
 * A writer killed in the middle of an INSERT leaves it running in ClickHouse, which runs a write
 * whose data has arrived to its end. Its successor, replaying the recorded range in smaller
 * batches, checks row by row what the table holds; done before that INSERT ends, the check finds
 * nothing and the range would be written twice. Here the dead writer's INSERT is a slow one, and
 * the replay starts while it runs: every event must be in `events` and in the rollups once.
 */

import { queryRows } from '@opstream/runtime/clickhouse-client'
import { createDecoder, createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import { runMigrations } from '@opstream/runtime/migrations'
import { testClickHouse, testLogger } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, it } from 'vitest'
import { asInbound, enrichedStream } from '../test/support/enriched-stream.ts'
import { createClickHouseSink } from './adapters/clickhouse-sink.ts'
import { eventsTable } from './adapters/sink-tables.ts'

const MIGRATIONS = new URL('../../../infra/clickhouse/', import.meta.url).pathname
const EVENTS = 1_000

describe('the aggregate sink replaying a range whose INSERT is still running', () => {
  const stops: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const s of stops.reverse()) await s()
  })

  it('waits for that INSERT, then writes nothing twice', async () => {
    const ch = await testClickHouse()
    stops.push(() => ch.close())
    const log = testLogger()
    await runMigrations(ch.client, MIGRATIONS, log)
    const registry = fileRegistry(builtInCatalog())
    const decoder = await createDecoder<EnrichedEvent>(registry, SUBJECTS.enrichedEvent)
    const encoder = await createEncoder<EnrichedEvent>(registry, SUBJECTS.enrichedEvent)
    const messages = asInbound(enrichedStream({ events: EVENTS, persons: 200 }), (e) => encoder.encode(e))

    // The dead writer's rows, formed by the sink's own code into a table beside events.
    await ch.client.command({ query: 'CREATE TABLE staging AS events' })
    const staging = createClickHouseSink({
      client: ch.client,
      group: 'staging',
      topic: 'enriched',
      target: { ...eventsTable(decoder), table: 'staging' },
    })
    const ctx = { topic: 'enriched', partition: 0, log, heartbeat: async () => {} }
    await staging(messages, ctx)

    // Its intent for the whole range, and its INSERT of that range, slow: 100 blocks of 10 rows.
    const group = 'aggregate'
    const token = `${group}/enriched/0/0-${EVENTS - 1}`
    await ch.client.insert({
      table: 'sink_offsets',
      values: [
        {
          consumer_group: group,
          topic: 'enriched',
          partition: 0,
          first_offset: '0',
          last_offset: String(EVENTS - 1),
          row_count: EVENTS,
        },
      ],
      format: 'JSONEachRow',
    })
    const dying = ch.client.command({
      query: `INSERT INTO events SELECT * FROM staging WHERE sleepEachRow(0.003) = 0 ORDER BY src_offset
              SETTINGS max_block_size = 10, min_insert_block_size_rows = 10, insert_deduplication_token = '${token}',
                deduplicate_blocks_in_dependent_materialized_views = 1`,
    })
    const inFlight = async () =>
      (
        await queryRows<{ n: number }>(
          ch.client,
          `SELECT toUInt32(count()) AS n FROM system.processes WHERE query_kind = 'Insert' AND Settings['insert_deduplication_token'] = {t:String}`,
          { t: token },
        )
      )[0]?.n ?? 0
    for (let i = 0; i < 50 && (await inFlight()) === 0; i++) await new Promise((r) => setTimeout(r, 20))
    expect(await inFlight()).toBe(1)

    // The successor: Kafka hands it the range in two batches smaller than the recorded one.
    let waits = 0
    const sink = createClickHouseSink({
      client: ch.client,
      group,
      topic: 'enriched',
      target: eventsTable(decoder),
      onWaitForPreviousWrite: () => waits++,
    })
    await sink(messages.slice(0, EVENTS / 2), ctx)
    await sink(messages.slice(EVENTS / 2), ctx)
    await dying

    const [events] = await queryRows<{ rows: number; offsets: number }>(
      ch.client,
      'SELECT toUInt32(count()) AS rows, toUInt32(uniqExact(src_offset)) AS offsets FROM events',
    )
    expect(events).toEqual({ rows: EVENTS, offsets: EVENTS })
    // A view fed by every block: its counts are the raw events', once each.
    const [volume] = await queryRows<{ n: number }>(
      ch.client,
      'SELECT toUInt32(sum(events)) AS n FROM events_hourly',
    )
    expect(volume?.n).toBe(EVENTS)
    expect(waits).toBeGreaterThan(0)
  })
})

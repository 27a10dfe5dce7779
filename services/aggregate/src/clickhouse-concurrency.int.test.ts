/**
 * One ClickHouse for the writer and its readers: a 300,000-row INSERT into `events`, with every
 * materialized view attached, while 8 readers query the rollups as the read-only user. The
 * readers are answered while the INSERT runs (each query has an engine connection of its own),
 * and afterwards the numbers are exactly the rows'.
 */
import { fileURLToPath } from 'node:url'
import { queryRows } from '@opstream/runtime/clickhouse-client'
import { insertRows } from '@opstream/runtime/clickhouse-insert'
import { runMigrations } from '@opstream/runtime/migrations'
import { testClickHouse, testLogger, uniqueName } from '@opstream/runtime/testing/stack'
import { describe, expect, it } from 'vitest'
import { enrichedStream } from '../test/support/enriched-stream.ts'
import { volumeOf } from '../test/support/rollup-truth.ts'
import { toEventRow } from './core/event-row.ts'
import { EVENT_VOLUME_SQL } from './queries/event-volume.ts'

const MIGRATIONS = fileURLToPath(new URL('../../../infra/clickhouse/', import.meta.url))
const READERS = 8
const range = { from: '2026-10-01', to: '2027-06-30' }

describe('the local server under a writer and 8 readers', () => {
  it('answers readers during a 300,000-row INSERT with every view, and the numbers are exact after', {
    timeout: 300_000,
  }, async () => {
    const database = uniqueName('concurrency')
    const writer = await testClickHouse(database)
    await runMigrations(writer.client, MIGRATIONS, testLogger())
    const events = enrichedStream({ events: 300_000, persons: 30_000, seed: 11 })
    const rows = events.map((e, i) => toEventRow(e, i % 6, String(i)))
    const readers = await Promise.all(
      Array.from({ length: READERS }, () => testClickHouse(database, 'reader')),
    )

    let inserting = true
    const answered: Array<{ reader: number; started: number; ended: number }> = []
    const started = Date.now()
    const insert = insertRows(writer.client, 'events', rows, { token: 'concurrency/1' }).finally(() => {
      inserting = false
    })
    const reading = readers.map(async (r, reader) => {
      while (inserting) {
        const t0 = Date.now()
        const query =
          reader % 2 === 0
            ? 'SELECT count() AS n FROM events'
            : 'SELECT sum(events) AS n FROM events_hourly WHERE hour >= toDateTime({from:Date})'
        await queryRows(r.client, query, { from: range.from })
        answered.push({ reader, started: t0, ended: Date.now() })
      }
    })
    await insert
    const insertEnded = Date.now()
    await Promise.all(reading)
    process.stdout.write(
      `[concurrency] INSERT of ${rows.length.toLocaleString('en')} rows took ${((insertEnded - started) / 1000).toFixed(1)} s; ` +
        `${answered.length} reader answers during it\n`,
    )
    // Every reader was answered at least once while the INSERT was still running.
    for (let reader = 0; reader < READERS; reader++)
      expect(answered.some((a) => a.reader === reader && a.ended < insertEnded)).toBe(true)

    const [totals] = await queryRows<{ rows: number; ids: number }>(
      readers[0]?.client ?? writer.client,
      'SELECT toUInt32(count()) AS rows, toUInt32(uniqExact(event_id)) AS ids FROM events',
    )
    expect(totals).toEqual({ rows: events.length, ids: new Set(events.map((e) => e.event.event_id)).size })
    expect(await queryRows(writer.client, EVENT_VOLUME_SQL, range)).toEqual(volumeOf(events))
    for (const r of readers) await r.close()
    await writer.close()
  })
})

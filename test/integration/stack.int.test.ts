import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { queryRows } from '@opstream/runtime/clickhouse-client'
import type { InboundMessage } from '@opstream/runtime/kafka-types'
import { runMigrations } from '@opstream/runtime/migrations'
import { testClickHouse, testKafka, testLogger, uniqueName, waitFor } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, inject, it } from 'vitest'

const migrationsDir = fileURLToPath(new URL('../../infra/clickhouse/', import.meta.url))

describe('the integration stack', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c()
  })

  it('talks to a real Kafka broker: create a topic, produce, consume', async () => {
    const kafka = testKafka()
    const admin = await kafka.admin()
    cleanups.push(() => admin.disconnect())
    const cluster = await admin.describeCluster()
    process.stdout.write(`[stack test] ${inject('stackDescription')}; cluster id ${cluster.clusterId}\n`)
    expect(cluster.brokers.length).toBeGreaterThan(0)

    const topic = uniqueName('stack_roundtrip')
    await admin.createTopics([{ topic, partitions: 3 }])
    const producer = await kafka.producer()
    cleanups.push(() => producer.disconnect())
    const sent = Array.from({ length: 30 }, (_, i) => ({
      key: `k${i % 5}`,
      value: `value-${i}`,
      headers: { n: String(i) },
    }))
    await producer.send(topic, sent)

    const consumer = await kafka.consumer({ groupId: uniqueName('stack_group') })
    const received: InboundMessage[] = []
    await consumer.subscribe([topic], true)
    await consumer.run(
      async (batch) => {
        received.push(...batch.messages)
        await batch.commit((BigInt(batch.lastOffset) + 1n).toString())
      },
      { partitionsConsumedConcurrently: 3 },
    )
    await waitFor(() => received.length >= 30, { what: '30 messages back' })
    await consumer.stop()
    await consumer.disconnect()
    expect(received.map((m) => m.value?.toString()).sort()).toEqual(sent.map((s) => s.value).sort())
    expect(
      received.every((m) => m.headers.n?.toString() === m.value?.toString().slice('value-'.length)),
    ).toBe(true)
    const committed = await admin.fetchCommitted(uniqueName('nobody'), topic)
    expect(committed.every((c) => c.offset === '-1')).toBe(true)
  })

  it('sends more than one broker request can hold (1 MiB record batches) in one call', async () => {
    const kafka = testKafka()
    const admin = await kafka.admin()
    cleanups.push(() => admin.disconnect())
    const topic = uniqueName('stack_large')
    await admin.createTopics([{ topic, partitions: 1 }])
    const producer = await kafka.producer()
    cleanups.push(() => producer.disconnect())
    // 3,000 × 1 KiB = 3 MiB for one partition: kafkajs alone would send one record batch and be refused.
    await producer.send(
      topic,
      Array.from({ length: 3_000 }, (_, i) => ({ key: `k${i}`, value: Buffer.alloc(1024, 97) })),
    )
    const [end] = await admin.fetchTopicOffsets(topic)
    expect(end?.high).toBe('3000')
  })

  it('talks to the ClickHouse engine and applies migrations once', async () => {
    const ch = await testClickHouse()
    const [row] = await queryRows<{ v: string; db: string }>(
      ch.client,
      'SELECT version() AS v, currentDatabase() AS db',
    )
    process.stdout.write(`[stack test] ClickHouse version() = ${row?.v}, database ${row?.db}\n`)
    expect(row?.db).toBe(ch.database)
    expect(row?.v).toMatch(/^\d+\.\d+/)

    const log = testLogger()
    const first = await runMigrations(ch.client, migrationsDir, log)
    expect(first.applied.length).toBeGreaterThan(0)
    const again = await runMigrations(ch.client, migrationsDir, log)
    expect(again).toEqual({ applied: [], skipped: first.applied })
    const tables = await queryRows<{ name: string }>(
      ch.client,
      'SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name',
    )
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['schema_migrations', 'sink_offsets']))
    await ch.close()
  })

  it('refuses a migration that was edited after it was applied', async () => {
    const ch = await testClickHouse()
    const dir = await mkdtemp(join(tmpdir(), 'opstream-migrations-'))
    await writeFile(join(dir, '0001_first.sql'), 'CREATE TABLE t1 (a UInt8) ENGINE = MergeTree ORDER BY a;\n')
    const log = testLogger()
    expect((await runMigrations(ch.client, dir, log)).applied).toEqual([1])
    await writeFile(
      join(dir, '0001_first.sql'),
      'CREATE TABLE t1 (a UInt16) ENGINE = MergeTree ORDER BY a;\n',
    )
    await expect(runMigrations(ch.client, dir, log)).rejects.toThrow(
      /1_first was changed after it was applied/,
    )
    await ch.close()
  })
})

/**
 * aggregate throughput: N enriched events produced to a topic, the real aggregate process
 * started against the local ClickHouse server (a fresh data directory), as `npm start` runs them; time from ready until its group has committed
 * the whole input (every row is in ClickHouse, rollups and funnel progress included), and until
 * the device hand-overs on the stitch topic are done too. Uses KAFKA_BROKERS, or a local broker on
 * port 19393. First, two ceilings, in blocks the size a 16 MiB partition fetch brings: the
 * ClickHouse engine alone (the rows formatted beforehand, read from files by ClickHouse itself,
 * into events and every view), then the ClickHouse write path alone: the same events through
 * the sink's own code (decode, rows, the recorded intent, the INSERT with its deduplication token
 * and every view), in this process, without Kafka and without funnels. CPU figures count the
 * local server's process too: the engine runs there.
 *   npm run bench:aggregate [-- --events 300000 --persons 30000]
 */

import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { type ClickHouseClient, createClickHouse } from '@opstream/runtime/clickhouse-client'
import { insertSettings, settingsClause } from '@opstream/runtime/clickhouse-insert'
import { prefixedTopicNames, stageNames } from '@opstream/runtime/config'
import { createDecoder, createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import { createKafkaClient } from '@opstream/runtime/kafka-adapter'
import type { InboundMessage } from '@opstream/runtime/kafka-types'
import { createLogger } from '@opstream/runtime/logger'
import { runMigrations } from '@opstream/runtime/migrations'
import { ensureTopics, pipelineTopics } from '@opstream/runtime/topics'
import { createClickHouseSink } from '../../services/aggregate/src/adapters/clickhouse-sink.ts'
import { eventsTable } from '../../services/aggregate/src/adapters/sink-tables.ts'
import { toEventRow } from '../../services/aggregate/src/core/event-row.ts'
import { startAggregate } from '../../services/aggregate/test/support/aggregate-process.ts'
import { enrichedStream } from '../../services/aggregate/test/support/enriched-stream.ts'
import { startLocalClickHouse } from '../../services/clickhouse-local/src/server-process.ts'
import { brokerPidIn, cpuPer100k, cpuSecondsOf, cpuUsedSince } from './cpu-time.ts'

const { values } = parseArgs({
  options: { events: { type: 'string', default: '300000' }, persons: { type: 'string', default: '30000' } },
})
const events = Number(values.events)
const PARTITIONS = 6
const root = fileURLToPath(new URL('../../', import.meta.url))
const kafkaScript = `${root}infra/kafka/kafka.sh`
const kafkaEnv = {
  ...process.env,
  OPSTREAM_KAFKA_DIR: mkdtempSync(join(tmpdir(), 'opstream-bench-kafka-')),
  OPSTREAM_KAFKA_PORT: '19393',
}
const log = createLogger({ service: 'bench', level: 'warn' })
const registry = fileRegistry(builtInCatalog())
// With money movements and engagement (sessions, content), so that every view has its input.
const stream = enrichedStream({ events, persons: Number(values.persons), money: true, engagement: true })
const encoder = await createEncoder<EnrichedEvent>(registry, SUBJECTS.enrichedEvent)
const encoded = stream.map((e) => encoder.encode(e))

/** Rows a 16 MiB partition fetch brings: the size of the process's INSERTs while it catches up. */
const BLOCK = Math.floor((16 * 1024 * 1024) / (encoded.reduce((n, b) => n + b.length, 0) / encoded.length))

const server = await startLocalClickHouse({
  dataDir: mkdtempSync(join(tmpdir(), 'opstream-bench-ch-')),
  port: 0,
})
const serverPid = server.child.pid

async function withChdb<T>(name: string, run: (client: ClickHouseClient) => Promise<T>): Promise<T> {
  const ch = await createClickHouse({
    url: server.url,
    user: 'opstream',
    password: 'opstream',
    database: name,
    log,
  })
  try {
    await runMigrations(ch.client, `${root}infra/clickhouse/`, log)
    return await run(ch.client)
  } finally {
    await ch.close()
  }
}

/** rows/s of the sink's ClickHouse write path alone, in blocks the size a 16 MiB fetch brings. */
function sinkAlone(): Promise<Timed> {
  return withChdb('bench_sink', async (client) => {
    const topic = 'enriched'
    const sink = createClickHouseSink({
      client,
      group: 'bench',
      topic,
      target: eventsTable(await createDecoder<EnrichedEvent>(registry, SUBJECTS.enrichedEvent)),
    })
    const messages: InboundMessage[] = encoded.map((value, i) => ({
      topic,
      partition: i % PARTITIONS,
      offset: String(Math.floor(i / PARTITIONS)),
      key: null,
      value,
      headers: {},
      timestamp: '0',
    }))
    // The partitions concurrently, each one's blocks in order, as the process consumes them.
    return timed(() =>
      Promise.all(
        Array.from({ length: PARTITIONS }, async (_, p) => {
          const own = messages.filter((m) => m.partition === p)
          for (let i = 0; i < own.length; i += BLOCK) {
            await sink(own.slice(i, i + BLOCK), { topic, partition: p, log, heartbeat: async () => {} })
          }
        }),
      ),
    )
  })
}

interface Timed {
  seconds: number
  /** CPU time of this process and of the local ClickHouse server's. */
  cpuSeconds: number
}

async function timed(run: () => Promise<unknown>): Promise<Timed> {
  const started = performance.now()
  const cpu = process.cpuUsage()
  const serverBefore = cpuSecondsOf(serverPid)
  await run()
  const used = process.cpuUsage(cpu)
  const serverUsed = cpuUsedSince(serverPid, serverBefore) ?? 0
  return {
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6 + serverUsed,
  }
}

/**
 * rows/s of the ClickHouse engine alone: the same rows, formatted beforehand into files that
 * ClickHouse reads itself, inserted into `events` with every view, in the same blocks. No
 * JavaScript runs per row, so no sink on this machine can write faster.
 */
function engineAlone(): Promise<Timed> {
  return withChdb('bench_engine', async (client) => {
    const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'opstream-bench-rows-'))
    try {
      const rows = stream.map((e, i) => toEventRow(e, i % PARTITIONS, String(i)))
      const columns = Object.keys(rows[0] ?? {})
      const files: string[] = []
      for (let i = 0; i < rows.length; i += BLOCK) {
        const file = join(dir, `${i}.jsonl`)
        const lines = rows.slice(i, i + BLOCK).map((r) => JSON.stringify(Object.values(r)))
        writeFileSync(file, lines.join('\n'))
        files.push(file)
      }
      return await timed(async () => {
        for (const [k, file] of files.entries()) {
          // The sink's own INSERT settings, in the statement as the sink puts them.
          await client.command({
            query: `INSERT INTO events (${columns.join(', ')})
                    SELECT * FROM file('${file}', JSONCompactEachRow)
                    SETTINGS ${settingsClause(insertSettings({ token: `engine/${k}` }))}`,
          })
        }
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
}

const rate = (seconds: number) => `${Math.round(events / seconds).toLocaleString('en')} rows/s`
const per100k = (cpuSeconds: number | null) => cpuPer100k(cpuSeconds, events, 'rows')
const blocks = `${events.toLocaleString('en')} rows in blocks of ${BLOCK.toLocaleString('en')}`
const engine = await engineAlone()
process.stdout.write(
  `aggregate: ClickHouse engine alone (rows formatted beforehand, read from files by ClickHouse; events and every view): ` +
    `${rate(engine.seconds)} (${blocks} in ${engine.seconds.toFixed(1)} s; ${per100k(engine.cpuSeconds)})\n`,
)
const alone = await sinkAlone()
process.stdout.write(
  `aggregate: ClickHouse write path alone (decode, rows, intent, INSERT with token and every view; no Kafka, no funnels): ` +
    `${rate(alone.seconds)} (${blocks} in ${alone.seconds.toFixed(1)} s; ${per100k(alone.cpuSeconds)})\n`,
)

const ownBroker = !process.env.KAFKA_BROKERS
if (ownBroker) execFileSync('bash', [kafkaScript, 'start'], { env: kafkaEnv, stdio: 'inherit' })
try {
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:19393'
  const prefix = `benchagg${Date.now()}.`
  const kafka = createKafkaClient({
    brokers: brokers.split(','),
    clientId: 'bench',
    log,
  })
  const admin = await kafka.admin()
  const names = prefixedTopicNames(prefix)
  await ensureTopics(admin, pipelineTopics(names, PARTITIONS))
  const producer = await kafka.producer()
  for (let i = 0; i < stream.length; i += 5_000) {
    await producer.send(
      names.eventsEnriched,
      stream.slice(i, i + 5_000).map((e, j) => ({ key: e.person_key, value: encoded[i + j] as Buffer })),
    )
  }
  await producer.disconnect()
  const group = `${prefix}aggregate`
  const committed = async () =>
    (await admin.fetchCommitted(group, names.eventsEnriched)).reduce(
      (n, c) => n + Math.max(0, Number(c.offset)),
      0,
    )
  const aggregate = await startAggregate({
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: prefix,
    CLICKHOUSE_URL: server.url,
    CLICKHOUSE_DATABASE: 'bench',
  })
  const brokerPid = ownBroker ? brokerPidIn(kafkaEnv.OPSTREAM_KAFKA_DIR) : undefined
  const cpuBefore = [cpuSecondsOf(aggregate.child.pid), cpuSecondsOf(brokerPid), cpuSecondsOf(serverPid)]
  const started = Date.now()
  while ((await committed()) < events) await new Promise((r) => setTimeout(r, 100))
  const sinkSeconds = (Date.now() - started) / 1000
  // End to end: also every device hand-over on the stitch topic done (funnels complete).
  const stitch = stageNames(prefix).internal.stitch
  const stitched = async () => {
    const high = await admin.fetchTopicOffsets(stitch)
    const done = new Map(
      (await admin.fetchCommitted(group, stitch)).map((c) => [c.partition, Number(c.offset)]),
    )
    return high.every((h) => (done.get(h.partition) ?? 0) >= Number(h.high))
  }
  while (!(await stitched())) await new Promise((r) => setTimeout(r, 100))
  const seconds = (Date.now() - started) / 1000
  const processCpu = cpuUsedSince(aggregate.child.pid, cpuBefore[0] ?? null)
  const brokerCpu = cpuUsedSince(brokerPid, cpuBefore[1] ?? null)
  const serverCpu = cpuUsedSince(serverPid, cpuBefore[2] ?? null)
  const together = processCpu === null || serverCpu === null ? null : processCpu + serverCpu
  await aggregate.stop()
  await admin.disconnect()
  process.stdout.write(
    `aggregate sink: ${events.toLocaleString('en')} enriched events, ${PARTITIONS} partitions, local ClickHouse server\n` +
      `  sink: ${Math.round(events / sinkSeconds).toLocaleString('en')} rows/s (${sinkSeconds.toFixed(1)} s from ready to input committed: events, views, funnel progress)\n` +
      `  end to end: ${Math.round(events / seconds).toLocaleString('en')} events/s (${seconds.toFixed(1)} s until the stitch topic is done too)\n` +
      `  CPU over the end-to-end time: the aggregate and the ClickHouse server together ${together === null ? 'n/a' : `${together.toFixed(1)} s (${per100k(together)})`} ` +
      `(aggregate ${processCpu?.toFixed(1) ?? 'n/a'} s, server ${serverCpu?.toFixed(1) ?? 'n/a'} s), ` +
      `the broker ${brokerCpu === null ? 'n/a' : `${brokerCpu.toFixed(1)} s`}, of ${(2 * seconds).toFixed(1)} s the 2 cores had\n`,
  )
} finally {
  if (ownBroker) execFileSync('bash', [kafkaScript, 'stop'], { env: kafkaEnv, stdio: 'inherit' })
  await server.stop()
}

/**
 * enrich benchmark, four figures:
 * 1. each stage's throughput: N device events produced to a raw topic; the real enrich process
 *    runs the attribute stage alone until its group has committed the whole input, then the
 *    profile stage alone over the attributed events (each stage gets the machine to itself);
 * 2. restore time of the profile stage's state for U users: U person states written through the
 *    state store to a changelog, then a fresh store restores every partition;
 * 3. resident bytes per user: heap growth of that restore, after full GCs, divided by U — for
 *    users without events in the deduplication window, and again with WINDOW_IDS ids each in
 *    it, whose difference gives the resident bytes per event of the window;
 * 4. the transport's own ceiling: the same consumer runner and producer forwarding the raw
 *    bytes to another topic without decoding or state, in this process, timed from its first
 *    batch. No stage built on this Kafka client can be faster on this machine.
 * Uses KAFKA_BROKERS, or a local broker on port 19393.
 *   npm run bench:enrich [-- --events 200000 --devices 50000 --users 1000000]
 */

import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { prefixedTopicNames } from '@opstream/runtime/config'
import { createConsumerRunner, OK } from '@opstream/runtime/consumer-runner'
import { createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { Event } from '@opstream/runtime/contract/generated/event'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import { createDlqPublisher } from '@opstream/runtime/dlq'
import { createKafkaClient } from '@opstream/runtime/kafka-adapter'
import type { AdminHandle, KafkaClient } from '@opstream/runtime/kafka-types'
import { createLogger } from '@opstream/runtime/logger'
import { createConsumerMetrics, createMetricsRegistry } from '@opstream/runtime/metrics'
import { createStateStores } from '@opstream/runtime/state-store'
import { ensureTopics, pipelineTopics } from '@opstream/runtime/topics'
import { personStateCodec } from '../../services/enrich/src/adapters/person-state-codec.ts'
import { noSeenIds, windowHash } from '../../services/enrich/src/core/dedup-window.ts'
import { idHash } from '../../services/enrich/src/core/id-hash.ts'
import type { PersonState } from '../../services/enrich/src/core/person-profile.ts'
import { startEnrich } from '../../services/enrich/test/support/enrich-process.ts'
import { deviceEventStream } from '../../services/enrich/test/support/event-stream.ts'
import { brokerPidIn, cpuPer100k, cpuSecondsOf, cpuUsedSince } from './cpu-time.ts'

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    devices: { type: 'string', default: '50000' },
    users: { type: 'string', default: '1000000' },
  },
})
const events = Number(values.events)
const devices = Number(values.devices)
const users = Number(values.users)
/** Ids per user in the window for the second restore: a day's events of an active user. */
const WINDOW_IDS = 20
const NOW_S = Math.floor(Date.parse('2026-11-24T12:00:00Z') / 1000)

const PARTITIONS = 6
const root = fileURLToPath(new URL('../../', import.meta.url))
const kafkaScript = `${root}infra/kafka/kafka.sh`
const kafkaEnv = {
  ...process.env,
  OPSTREAM_KAFKA_DIR: mkdtempSync(join(tmpdir(), 'opstream-bench-kafka-')),
  OPSTREAM_KAFKA_PORT: '19393',
  OPSTREAM_KAFKA_HEAP: process.env.OPSTREAM_KAFKA_HEAP ?? '1g',
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const print = (line: string) => process.stdout.write(`${line}\n`)
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc (npm run bench:enrich does)')

const ownBroker = !process.env.KAFKA_BROKERS
if (ownBroker) execFileSync('bash', [kafkaScript, 'start'], { env: kafkaEnv, stdio: 'inherit' })
const brokerPid = ownBroker ? brokerPidIn(kafkaEnv.OPSTREAM_KAFKA_DIR) : undefined
try {
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:19393'
  const prefix = `benchenrich${Date.now()}.`
  const kafka = createKafkaClient({
    brokers: brokers.split(','),
    clientId: 'bench',
    log: createLogger({ service: 'bench', level: 'warn' }),
  })
  const admin = await kafka.admin()
  const names = prefixedTopicNames(prefix)
  await ensureTopics(admin, pipelineTopics(names, PARTITIONS))
  await produceEvents(kafka, names.eventsRaw)
  print(
    `enrich: ${events.toLocaleString('en')} events from ${devices.toLocaleString('en')} devices, ${PARTITIONS} partitions`,
  )
  for (const [stage, input] of [
    ['attribute', names.eventsRaw],
    ['profile', names.eventsAttributed],
  ] as const) {
    const enrich = await startEnrich({
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      ENRICH_STAGES: stage,
    })
    const cpuBefore = [cpuSecondsOf(enrich.child.pid), cpuSecondsOf(brokerPid)] as const
    const started = Date.now()
    // To the input's end: the attributed topic holds stage 1's receipt ticks besides the events.
    const end = (await admin.fetchTopicOffsets(input)).reduce((n, o) => n + Number(o.high), 0)
    while ((await committed(admin, `${prefix}enrich.${stage}`, input)) < end) await sleep(100)
    const seconds = (Date.now() - started) / 1000
    const stageCpu = cpuUsedSince(enrich.child.pid, cpuBefore[0])
    const brokerCpu = cpuUsedSince(brokerPid, cpuBefore[1])
    const page = await (await fetch(`${enrich.base}/metrics`)).text()
    await enrich.stop()
    print(
      `  ${stage} stage: ${Math.round(events / seconds).toLocaleString('en')} events/s (${seconds.toFixed(1)} s from ready to input committed; ` +
        `the stage ${cpuPer100k(stageCpu, events, 'events')}, the broker ${cpuPer100k(brokerCpu, events, 'events')})`,
    )
    if (stage === 'profile') {
      const emptied = /^enrich_dedup_windows_emptied_total(?:\{[^}]*\})? (\d+)$/m.exec(page)?.[1] ?? '0'
      print(
        `    ${(end - events).toLocaleString('en')} receipt ticks read besides the events; ` +
          `${Number(emptied).toLocaleString('en')} idle persons' deduplication windows emptied by the sweep`,
      )
    }
  }
  const bare = await benchRestore(kafka, admin, `${prefix}bench.persons.changelog`, 0)
  const busy = await benchRestore(kafka, admin, `${prefix}bench.persons-window.changelog`, WINDOW_IDS)
  print(
    `  deduplication window: ${((busy - bare) / WINDOW_IDS).toFixed(1)} resident bytes per event id in it (${WINDOW_IDS} ids per user)`,
  )
  await benchPassthrough(kafka, admin, names.eventsRaw, `${prefix}bench.passthrough`)
  await admin.disconnect()
} finally {
  if (ownBroker) execFileSync('bash', [kafkaScript, 'stop'], { env: kafkaEnv, stdio: 'inherit' })
}

async function produceEvents(kafka: KafkaClient, topic: string): Promise<void> {
  const encoder = await createEncoder<Event>(fileRegistry(builtInCatalog()), SUBJECTS.event)
  const producer = await kafka.producer()
  // In order of receipt, as ingest writes the raw topic (it stamps received_at as events come in).
  const stream = deviceEventStream({ events, devices }).sort(
    (a, b) => a.received_at.getTime() - b.received_at.getTime(),
  )
  for (let i = 0; i < stream.length; i += 5_000) {
    await producer.send(
      topic,
      stream.slice(i, i + 5_000).map((e) => ({ key: e.anonymous_id, value: encoder.encode(e) })),
    )
  }
  await producer.disconnect()
}

async function benchPassthrough(
  kafka: KafkaClient,
  admin: AdminHandle,
  input: string,
  output: string,
): Promise<void> {
  await admin.createTopics([{ topic: output, partitions: PARTITIONS }])
  const log = createLogger({ service: 'bench', level: 'warn' })
  const producer = await kafka.producer()
  const group = `${output}.group`
  const consumer = await kafka.consumer({ groupId: group })
  let first: number | undefined
  const runner = createConsumerRunner({
    service: 'bench',
    consumer,
    topics: [input],
    handler: async (messages) => {
      first ??= Date.now()
      await producer.send(
        output,
        messages.map((m) => ({ key: m.key, value: m.value })),
      )
      return messages.map(() => OK)
    },
    dlq: createDlqPublisher({
      producer,
      topic: output,
      service: 'bench',
      encoder: await createEncoder(fileRegistry(builtInCatalog()), SUBJECTS.dlqRecord),
    }),
    log,
    metrics: createConsumerMetrics(createMetricsRegistry('bench'), 'bench'),
    // As the stages run (services/enrich/src/main.ts), but with whole fetched batches as
    // chunks: fewer, larger produce requests, the transport's best case.
    lanes: 1,
    chunkSize: 1_000_000,
    partitionsConsumedConcurrently: 8,
    maxRetries: 3,
    heartbeatMs: 3_000,
    onFatal: (err) => {
      throw err
    },
  })
  const cpu = process.cpuUsage()
  const brokerBefore = cpuSecondsOf(brokerPid)
  await runner.start()
  while ((await committed(admin, group, input)) < events) await sleep(20)
  const used = process.cpuUsage(cpu)
  const brokerCpu = cpuUsedSince(brokerPid, brokerBefore)
  // From the first batch: the group join before it is not the transport's work.
  const seconds = (Date.now() - (first as number)) / 1000
  await runner.stop()
  await producer.disconnect()
  print(
    `  transport ceiling (runner + producer forwarding raw bytes, no decode, no state): ${Math.round(events / seconds).toLocaleString('en')} events/s (${seconds.toFixed(1)} s; ` +
      `this process ${cpuPer100k((used.user + used.system) / 1e6, events, 'events')}, the broker ${cpuPer100k(brokerCpu, events, 'events')})`,
  )
}

async function committed(admin: AdminHandle, group: string, topic: string): Promise<number> {
  return (await admin.fetchCommitted(group, topic)).reduce((n, c) => n + Math.max(0, Number(c.offset)), 0)
}

/**
 * A registered user who came from a paid search campaign, invested twice from one device, and
 * has a profile: the typical state of the person-keyed store.
 */
function samplePerson(i: number, windowIds = 0): PersonState {
  const at = Date.parse('2026-10-01T00:00:00Z') + i * 1_000
  return {
    userId: `u${i}`,
    linkedAt: at,
    registeredAt: at,
    acquisition: {
      group: 'Paid Search',
      source: 'Baidu',
      medium: 'cpc',
      campaign: `bd_${i % 300}`,
      term: null,
      content: null,
      keyword: null,
      referrer_domain: 'baidu.com',
      click_id_kind: 'bd_vid',
      name: null,
      owner: null,
    },
    purchaseCount: 2,
    cumulativeUnits: String(10_000 * (1_000 + (i % 50_000))),
    firstPurchaseAt: at + 3_600_000,
    // Without events in the deduplication window nothing is remembered there.
    seen:
      windowIds === 0
        ? noSeenIds()
        : {
            hashes: Array.from({ length: windowIds }, (_, k) => windowHash(idHash(`${i}-e${k}`))),
            seconds: Array.from({ length: windowIds }, (_, k) => NOW_S - k * 600),
          },
    recentPurchases: [idHash(`${i}-7`), idHash(`${i}-8`)],
    devices: [{ device: idHash(`d${i}`), offset: i * 7 }],
    user: {
      member_tier: 'silver',
      city: '杭州',
      province: '浙江',
      birthday: null,
      gender: null,
      asset_band: '5w-20w',
      registered_at: new Date(at),
      custom: {},
    },
    userOffset: i,
  }
}

/** Restores U users' state; prints and returns the resident bytes per user. */
async function benchRestore(
  kafka: KafkaClient,
  admin: AdminHandle,
  changelog: string,
  windowIds: number,
): Promise<number> {
  await admin.createTopics([{ topic: changelog, partitions: PARTITIONS, compacted: true }])
  const log = createLogger({ service: 'bench', level: 'warn' })
  const codec = personStateCodec()
  const producer = await kafka.producer()
  const writer = createStateStores({ kafka, producer, changelogTopic: changelog, codec, log })
  const partitions = Array.from({ length: PARTITIONS }, (_, p) => p)
  const states = await Promise.all(partitions.map((p) => writer.partition(p)))
  const offsets = partitions.map(() => 0n)
  let bytes = 0
  let memoryBytes = 0
  for (let i = 0; i < users; i++) {
    const p = i % PARTITIONS
    const person = samplePerson(i, windowIds)
    if (i < 1_000) {
      bytes += codec.encode(person).length
      memoryBytes += (codec.memory ?? codec).encode(person).length
    }
    states[p]?.set(person.userId as string, person, offsets[p] as bigint)
    offsets[p] = (offsets[p] as bigint) + 1n
    if ((i + 1) % 60_000 === 0 || i === users - 1) {
      await Promise.all(states.map((s, q) => s.flush((offsets[q] as bigint) - 1n)))
    }
  }
  await producer.disconnect()
  writer.assign([])

  gc?.()
  gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  const started = Date.now()
  const reader = createStateStores({ kafka, producer, changelogTopic: changelog, codec, log })
  reader.assign(partitions)
  const restored = await Promise.all(partitions.map((p) => reader.partition(p)))
  const seconds = (Date.now() - started) / 1000
  gc?.()
  gc?.()
  const heapAfter = process.memoryUsage().heapUsed
  const keys = restored.reduce((n, s) => n + s.size, 0)
  const perUser = (heapAfter - heapBefore) / keys
  const label = windowIds === 0 ? 'without ids in the window' : `with ${windowIds} ids in the window`
  print(
    `  profile state (${label}): ${keys.toLocaleString('en')} users restored in ${seconds.toFixed(1)} s (${Math.round(keys / seconds).toLocaleString('en')} users/s)`,
  )
  print(
    `  resident: ${Math.round(perUser)} bytes per user (state record ${Math.round(bytes / Math.min(users, 1_000))} bytes on the changelog, ${Math.round(memoryBytes / Math.min(users, 1_000))} in memory)`,
  )
  reader.assign([])
  return perUser
}

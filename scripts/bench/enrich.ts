/**
 * enrich attribute stage throughput and state size: N device events produced to a raw topic,
 * the real enrich process started, time until its group has committed the whole input; then
 * the changelog size per device. Uses KAFKA_BROKERS, or a local broker on port 19393.
 *   npm run bench:enrich [-- --events 200000 --devices 50000]
 */

import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { prefixedTopicNames } from '@opstream/runtime/config'
import { createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { Event } from '@opstream/runtime/contract/generated/event'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import { createKafkaClient } from '@opstream/runtime/kafka-adapter'
import { createLogger } from '@opstream/runtime/logger'
import { ensureTopics, pipelineTopics } from '@opstream/runtime/topics'
import { startEnrich } from '../../services/enrich/src/testing/enrich-process.ts'
import { deviceEventStream } from '../../services/enrich/src/testing/event-stream.ts'

const { values } = parseArgs({
  options: { events: { type: 'string', default: '200000' }, devices: { type: 'string', default: '50000' } },
})
const events = Number(values.events)
const devices = Number(values.devices)
const root = fileURLToPath(new URL('../../', import.meta.url))
const kafkaScript = `${root}infra/kafka/kafka.sh`
const kafkaEnv = {
  ...process.env,
  OPSTREAM_KAFKA_DIR: mkdtempSync(join(tmpdir(), 'opstream-bench-kafka-')),
  OPSTREAM_KAFKA_PORT: '19393',
}
const ownBroker = !process.env.KAFKA_BROKERS
if (ownBroker) execFileSync('bash', [kafkaScript, 'start'], { env: kafkaEnv, stdio: 'inherit' })
let seconds = 0
let records = 0
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
  await ensureTopics(admin, pipelineTopics(names, 6))
  const encoder = await createEncoder<Event>(fileRegistry(builtInCatalog()), SUBJECTS.event)
  const producer = await kafka.producer()
  const stream = deviceEventStream({ events, devices })
  for (let i = 0; i < stream.length; i += 5_000) {
    await producer.send(
      names.eventsRaw,
      stream.slice(i, i + 5_000).map((e) => ({ key: e.anonymous_id, value: encoder.encode(e) })),
    )
  }
  await producer.disconnect()

  const group = `${prefix}enrich.attribute`
  const committed = async () =>
    (await admin.fetchCommitted(group, names.eventsRaw)).reduce(
      (n, c) => n + Math.max(0, Number(c.offset)),
      0,
    )
  const enrich = await startEnrich({ KAFKA_BROKERS: brokers, KAFKA_TOPIC_PREFIX: prefix })
  const started = Date.now()
  while ((await committed()) < events) await new Promise((r) => setTimeout(r, 100))
  seconds = (Date.now() - started) / 1000
  await enrich.stop()
  const changelog = `${prefix}enrich.devices.changelog`
  records = (await admin.fetchTopicOffsets(changelog)).reduce((n, o) => n + Number(o.high), 0)
  await admin.disconnect()
} finally {
  if (ownBroker) execFileSync('bash', [kafkaScript, 'stop'], { env: kafkaEnv, stdio: 'inherit' })
}
process.stdout.write(
  `enrich attribute stage: ${events} events from ${devices} devices, 6 partitions\n` +
    `  ${Math.round(events / seconds).toLocaleString('en')} events/s (${seconds.toFixed(1)} s from process ready to input committed)\n` +
    `  ${records.toLocaleString('en')} changelog records written (before compaction)\n`,
)

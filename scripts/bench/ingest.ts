/**
 * Collector throughput and latency: batches of 100 events POSTed to /v1/events by autocannon
 * at several concurrency levels, against the real ingest process and a real Kafka broker
 * (KAFKA_BROKERS, or a local broker started from the Maven jars on port 19392).
 *   npm run bench:ingest [-- --seconds 10 --levels 1,4,16,64]
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createKafkaClient } from '@opstream/runtime/kafka-adapter'
import { createLogger } from '@opstream/runtime/logger'
import autocannon from 'autocannon'
import { basicAuth, DEV_KEY, startIngest } from '../../services/ingest/test/support/ingest-process.ts'

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, levels: { type: 'string', default: '1,4,16,64' } },
})
const root = fileURLToPath(new URL('../../', import.meta.url))
const kafkaScript = `${root}infra/kafka/kafka.sh`
const kafkaEnv = {
  ...process.env,
  OPSTREAM_KAFKA_DIR: mkdtempSync(join(tmpdir(), 'opstream-bench-kafka-')),
  OPSTREAM_KAFKA_PORT: '19392',
}
const ownBroker = !process.env.KAFKA_BROKERS
if (ownBroker) execFileSync('bash', [kafkaScript, 'start'], { env: kafkaEnv, stdio: 'inherit' })
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:19392'
const prefix = `bench${Date.now()}.`
const admin = await createKafkaClient({
  brokers: brokers.split(','),
  clientId: 'bench',
  log: createLogger({ service: 'bench', level: 'warn' }),
}).admin()
await admin.createTopics([
  { topic: `${prefix}events.raw`, partitions: 6 },
  { topic: `${prefix}dlq`, partitions: 1 },
])
await admin.disconnect()
const ingest = await startIngest({
  KAFKA_BROKERS: brokers,
  KAFKA_TOPIC_PREFIX: prefix,
  INGEST_RATE_LIMIT_PER_SEC: '100000000',
  INGEST_RATE_LIMIT_BURST: '100000000',
})

const body = JSON.stringify({
  events: Array.from({ length: 100 }, (_, i) => ({
    event: i % 10 === 9 ? 'register' : 'page_view',
    anonymous_id: `device-${i}`,
    page: { url: `https://m.example.cn/landing?utm_source=toutiao&clickid=ck${i}`, title: '新手理财专区' },
    campaign: { utm_source: 'toutiao', utm_medium: 'cpc', utm_campaign: 'double11', clickid: `ck${i}` },
    device: {
      os: 'Android',
      model: 'Mi 14',
      user_agent: 'Mozilla/5.0 (Linux; Android 14) NewsArticle/9.9.0',
    },
    properties: { position: String(i) },
  })),
})
const rows: string[] = []
for (const connections of values.levels.split(',').map(Number)) {
  const result = await autocannon({
    url: `${ingest.base}/v1/events`,
    method: 'POST',
    connections,
    duration: Number(values.seconds),
    headers: { 'content-type': 'application/json', authorization: basicAuth(DEV_KEY) },
    body,
  })
  const eventsPerSecond = Math.round(
    (result.requests.total * 100 - result.non2xx * 100) / (result.duration || Number(values.seconds)),
  )
  rows.push(
    `  ${String(connections).padStart(3)} connections: ${eventsPerSecond.toLocaleString('en').padStart(8)} events/s, ` +
      `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
  )
}
await ingest.stop()
if (ownBroker) execFileSync('bash', [kafkaScript, 'stop'], { env: kafkaEnv, stdio: 'inherit' })
process.stdout.write(
  `ingest benchmark: batches of 100 events, ${values.seconds} s per level, node ${process.version}\n${rows.join('\n')}\n`,
)

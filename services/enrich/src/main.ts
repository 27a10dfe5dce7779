import { loadConfig, topicNames } from '@opstream/runtime/config'
import { createConsumerRunner } from '@opstream/runtime/consumer-runner'
import { createDecoder, createEncoder } from '@opstream/runtime/contract/codec'
import { SUBJECTS, schemaRegistryFor } from '@opstream/runtime/contract/contract'
import type { AttributedEvent } from '@opstream/runtime/contract/generated/attributed-event'
import type { Event } from '@opstream/runtime/contract/generated/event'
import { createDlqPublisher } from '@opstream/runtime/dlq'
import { createConsumerMetrics } from '@opstream/runtime/metrics'
import { exitOnStartupError, startServiceKit } from '@opstream/runtime/service-kit'
import { createStateStores, type StateCodec } from '@opstream/runtime/state-store'
import { ensureTopics } from '@opstream/runtime/topics'
import { Counter } from 'prom-client'
import { createAttributeHandler, type StoredDevice } from './adapters/attribute-stage.ts'
import { loadChannelRules } from './adapters/channel-rules-file.ts'
import { enrichEnvSchema } from './config.ts'
import { createChannelClassifier } from './core/channel-classifier.ts'

const SERVICE = 'enrich'

/**
 * enrich, stage 1 (attribute, keyed by device): raw events in; channel, session and touches
 * added; attributed events out, keyed by person. Device state lives with its input partition,
 * backed by a compacted changelog. Stage 2 (profile, keyed by person) is wired here next.
 */
async function main(): Promise<void> {
  const config = loadConfig(enrichEnvSchema, process.env)
  const rules = loadChannelRules(config.ENRICH_CHANNEL_RULES)
  const topics = topicNames(config)
  const changelog = `${config.KAFKA_TOPIC_PREFIX}enrich.devices.changelog`
  const groupId = `${config.KAFKA_TOPIC_PREFIX}enrich.attribute`
  const kit = await startServiceKit({ service: SERVICE, config, httpPort: config.ENRICH_HTTP_PORT })
  const schemas = schemaRegistryFor(config)

  const admin = await kit.kafka.admin()
  const inputPartitions = (await admin.fetchTopicOffsets(topics.eventsRaw)).length
  await ensureTopics(admin, [{ topic: changelog, partitions: inputPartitions, compacted: true }])
  await admin.disconnect()

  // Output and changelog on producers of their own: each idempotent producer keeps one request
  // in flight, and the two streams need not wait for each other.
  const producer = await kit.kafka.producer()
  const changelogProducer = await kit.kafka.producer()
  const deviceCodec: StateCodec<StoredDevice> = {
    encode: (v) => Buffer.from(JSON.stringify(v)),
    decode: (b) => JSON.parse(b.toString('utf8')) as StoredDevice,
  }
  const stores = createStateStores({
    kafka: kit.kafka,
    producer,
    changelogTopic: changelog,
    codec: deviceCodec,
    log: kit.log,
  })
  const late = new Counter({
    name: 'enrich_late_events_total',
    help: 'Events older than the device’s current session by more than the session timeout; attributed to a session of their own.',
    registers: [kit.registry],
  })
  const handler = createAttributeHandler({
    stores,
    decoder: await createDecoder<Event>(schemas.registry, SUBJECTS.event),
    encoder: await createEncoder<AttributedEvent>(schemas.registry, SUBJECTS.attributedEvent),
    producer,
    outputTopic: topics.eventsAttributed,
    classify: createChannelClassifier(rules),
    clickIdParams: Object.keys(rules.clickIds),
    attribution: {
      sessionTimeoutMs: config.ENRICH_SESSION_TIMEOUT_MIN * 60_000,
      lookbackMs: config.ENRICH_LOOKBACK_DAYS * 86_400_000,
    },
    onLate: () => late.inc(),
  })
  const consumer = await kit.kafka.consumer({ groupId })
  consumer.onGroupEvent((event, detail) => {
    if (event !== 'group_join') return
    const assignment = (detail.memberAssignment ?? {}) as Record<string, number[]>
    stores.retain(assignment[topics.eventsRaw] ?? [])
  })
  const runner = createConsumerRunner({
    service: SERVICE,
    consumer,
    topics: [topics.eventsRaw],
    handler,
    dlq: createDlqPublisher({
      producer,
      topic: topics.dlq,
      service: SERVICE,
      encoder: await createEncoder(schemas.registry, SUBJECTS.dlqRecord),
    }),
    log: kit.log,
    metrics: createConsumerMetrics(kit.registry, SERVICE),
    // One lane per partition: device state is applied in offset order.
    lanes: 1,
    chunkSize: 2_000,
    partitionsConsumedConcurrently: 8,
    maxRetries: config.CONSUMER_MAX_RETRIES,
    heartbeatMs: config.CONSUMER_HEARTBEAT_MS,
    onFatal: () => void kit.shutdown.run('consumer failed', { failure: true }),
  })
  kit.shutdown.add({ name: 'consumer', run: () => runner.stop() })
  kit.shutdown.add({ name: 'producer', run: () => producer.disconnect() })
  kit.shutdown.add({ name: 'changelog producer', run: () => changelogProducer.disconnect() })
  kit.shutdown.add({ name: 'http', run: () => kit.http.close() })
  await runner.start()
  kit.log.info(
    { input: topics.eventsRaw, output: topics.eventsAttributed, changelog },
    'attribute stage running',
  )
  kit.setReady(true)
}

main().catch(exitOnStartupError(SERVICE))

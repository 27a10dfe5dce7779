import { loadConfig, sessionOf, stageNames, type TopicNames, topicNames } from '@opstream/runtime/config'
import type { BatchHandler } from '@opstream/runtime/consumer-runner'
import { createDecoder, createEncoder } from '@opstream/runtime/contract/codec'
import { SUBJECTS, schemaRegistryFor } from '@opstream/runtime/contract/contract'
import type { AttributedEvent } from '@opstream/runtime/contract/generated/attributed-event'
import type { Channel } from '@opstream/runtime/contract/generated/channel'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { Event } from '@opstream/runtime/contract/generated/event'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import type { SchemaRegistry } from '@opstream/runtime/contract/registry'
import type { ConsumerHandle } from '@opstream/runtime/kafka-types'
import { startKeyedStage } from '@opstream/runtime/keyed-stage'
import { type ConsumerMetrics, createConsumerMetrics } from '@opstream/runtime/metrics'
import { exitOnStartupError, type ServiceKit, startServiceKit } from '@opstream/runtime/service-kit'
import { createStateStores, type StateStores } from '@opstream/runtime/state-store'
import { ensureChangelog } from '@opstream/runtime/topics'
import { createAttributeHandler } from './adapters/attribute-stage.ts'
import { createChannelCatalog } from './adapters/channel-catalog-table.ts'
import { loadChannelRules } from './adapters/channel-rules-file.ts'
import { deviceStateCodec } from './adapters/device-state-codec.ts'
import { personStateCodec } from './adapters/person-state-codec.ts'
import { createProfileHandler } from './adapters/profile-stage.ts'
import { createTickSender } from './adapters/receipt-ticks.ts'
import { type EnrichConfig, enrichEnvSchema } from './config.ts'
import { withCatalog } from './core/channel-catalog.ts'
import { createChannelClassifier } from './core/channel-classifier.ts'
import { createEnrichMetrics, type EnrichMetrics } from './metrics.ts'

const SERVICE = 'enrich'

interface Wiring {
  kit: ServiceKit
  config: EnrichConfig
  topics: TopicNames
  stages: ReturnType<typeof stageNames>
  registry: SchemaRegistry
  metrics: ConsumerMetrics
  own: EnrichMetrics
  /** Closed after every consumer has stopped (shutdown steps run in the order added). */
  closeLast: Array<{ name: string; run: () => Promise<void> }>
}

/**
 * enrich: stage 1 (attribute, keyed by device) turns raw events into attributed events keyed by
 * person; stage 2 (profile, keyed by person) joins identity, acquisition, user attributes and
 * counters and writes enriched events. Each stage is a consumer group of its own with keyed
 * state on a compacted changelog; one process runs either or both (ENRICH_STAGES).
 */
async function main(): Promise<void> {
  const config = loadConfig(enrichEnvSchema, process.env)
  const kit = await startServiceKit({ service: SERVICE, config, httpPort: config.ENRICH_HTTP_PORT })
  const w: Wiring = {
    kit,
    config,
    topics: topicNames(config),
    stages: stageNames(config.KAFKA_TOPIC_PREFIX),
    registry: schemaRegistryFor(config).registry,
    metrics: createConsumerMetrics(kit.registry, SERVICE),
    own: createEnrichMetrics(kit.registry),
    closeLast: [],
  }
  try {
    if (config.ENRICH_STAGES.includes('attribute')) await startAttributeStage(w)
    if (config.ENRICH_STAGES.includes('profile')) await startProfileStage(w)
  } finally {
    for (const step of w.closeLast) kit.shutdown.add(step)
    kit.shutdown.add({ name: 'http', run: () => kit.http.close() })
  }
  kit.setReady(true)
}

async function startAttributeStage(w: Wiring): Promise<void> {
  const { kit, config, topics } = w
  const changelog = w.stages.internal.devicesChangelog
  await ensureChangelog(kit.kafka, topics.eventsRaw, changelog)
  const rules = loadChannelRules(config.ENRICH_CHANNEL_RULES)
  const catalog = await createChannelCatalog({
    kafka: kit.kafka,
    topic: topics.channels,
    decoder: await createDecoder<Channel>(w.registry, SUBJECTS.channel),
    log: kit.log,
    registry: kit.registry,
    onFailure: (err) => {
      kit.log.fatal({ err }, 'channel catalog reader failed')
      void kit.shutdown.run('channel catalog reader failed', { failure: true })
    },
  })
  w.closeLast.push({ name: 'channel catalog', run: () => catalog.stop() })
  // The catalog as it stands is joined from the first event on; later changes apply as they come.
  await catalog.caughtUp
  // Output and changelog on producers of their own: each idempotent producer keeps one request
  // in flight, and the two streams need not wait for each other.
  const producer = await newProducer(w, 'attribute output')
  const stores = await stateStores(w, changelog, deviceStateCodec())
  const handler = createAttributeHandler({
    stores,
    decoder: await createDecoder<Event>(w.registry, SUBJECTS.event),
    encoder: await createEncoder<AttributedEvent>(w.registry, SUBJECTS.attributedEvent),
    producer,
    outputTopic: topics.eventsAttributed,
    classify: withCatalog(createChannelClassifier(rules), catalog.lookup),
    clickIdParams: Object.keys(rules.clickIds),
    attribution: {
      sessionTimeoutMs: config.ENRICH_SESSION_TIMEOUT_MIN * 60_000,
      lookbackMs: config.ENRICH_LOOKBACK_DAYS * 86_400_000,
    },
    onLate: () => w.own.late.inc(),
    ticks: createTickSender({
      producer,
      topic: topics.eventsAttributed,
      partitions: await partitionCount(w, topics.eventsAttributed),
      intervalMs: config.ENRICH_RECEIPT_TICK_MS,
    }),
  })
  const consumer = await kit.kafka.consumer({
    groupId: w.stages.groups.attribute,
    ...sessionOf(config),
  })
  await runStage(w, { consumer, topics: [topics.eventsRaw], stateTopic: topics.eventsRaw, stores, handler })
  kit.log.info(
    { input: topics.eventsRaw, output: topics.eventsAttributed, changelog },
    'attribute stage running',
  )
}

async function startProfileStage(w: Wiring): Promise<void> {
  const { kit, config, topics } = w
  const changelog = w.stages.internal.personsChangelog
  const partitions = await ensureChangelog(kit.kafka, topics.eventsAttributed, changelog)
  await requireCoPartitioned(w, topics.users, partitions, 'joins them')
  // Output partition p is input partition p's, so its tail tells what a crash left produced.
  await requireCoPartitioned(w, topics.eventsEnriched, partitions, 'writes partition p of one to the other')
  const producer = await newProducer(w, 'profile output')
  const stores = await stateStores(w, changelog, personStateCodec(), topics.eventsEnriched)
  const handler = createProfileHandler({
    stores,
    eventsTopic: topics.eventsAttributed,
    usersTopic: topics.users,
    eventDecoder: await createDecoder<AttributedEvent>(w.registry, SUBJECTS.attributedEvent),
    userDecoder: await createDecoder<UserProfile>(w.registry, SUBJECTS.userProfile),
    encoder: await createEncoder<EnrichedEvent>(w.registry, SUBJECTS.enrichedEvent),
    producer,
    outputTopic: topics.eventsEnriched,
    profile: { acquisition: config.ENRICH_ACQUISITION, dedupWindowS: config.DEDUP_WINDOW },
    onDuplicate: () => w.own.duplicates.inc(),
    sourcePartitions: await sourcePartitions(w),
    onSwept: (n) => w.own.swept.inc(n),
  })
  // Partition p of the events and of the users table meet in one process (co-partitioned).
  const consumer = await kit.kafka.consumer({
    groupId: w.stages.groups.profile,
    coPartitioned: true,
    ...sessionOf(config),
  })
  await runStage(w, {
    consumer,
    topics: [topics.eventsAttributed, topics.users],
    stateTopic: topics.eventsAttributed,
    stores,
    handler,
  })
  kit.log.info(
    { input: [topics.eventsAttributed, topics.users], output: topics.eventsEnriched, changelog },
    'profile stage running',
  )
}

async function requireCoPartitioned(
  w: Wiring,
  topic: string,
  partitions: number,
  why: string,
): Promise<void> {
  const n = await partitionCount(w, topic)
  if (n !== partitions) {
    throw new Error(
      `${topic} has ${n} partitions and ${w.topics.eventsAttributed} ${partitions}: the profile stage ${why} partition by partition, so they must have the same count`,
    )
  }
}

/** The raw topic's partition count, for the receipt watermark; undefined (no sweep) when it cannot be read. */
async function sourcePartitions(w: Wiring): Promise<number | undefined> {
  try {
    return await partitionCount(w, w.topics.eventsRaw)
  } catch (err) {
    w.kit.log.warn(
      { err, topic: w.topics.eventsRaw },
      'raw topic not readable: deduplication windows are pruned at each person’s next event only',
    )
    return undefined
  }
}

async function partitionCount(w: Wiring, topic: string): Promise<number> {
  const admin = await w.kit.kafka.admin()
  try {
    return (await admin.fetchTopicOffsets(topic)).length
  } finally {
    await admin.disconnect()
  }
}

async function stateStores<V>(
  w: Wiring,
  changelog: string,
  codec: Parameters<typeof createStateStores<V>>[0]['codec'],
  output?: string,
): Promise<StateStores<V>> {
  const producer = await newProducer(w, changelog)
  return createStateStores({
    kafka: w.kit.kafka,
    producer,
    changelogTopic: changelog,
    codec,
    log: w.kit.log,
    output,
  })
}

async function newProducer(w: Wiring, name: string) {
  const producer = await w.kit.kafka.producer()
  w.closeLast.push({ name: `${name} producer`, run: () => producer.disconnect() })
  return producer
}

async function runStage<V>(
  w: Wiring,
  s: {
    consumer: ConsumerHandle
    topics: string[]
    stateTopic: string
    stores: StateStores<V>
    handler: BatchHandler
  },
): Promise<void> {
  await startKeyedStage({
    service: SERVICE,
    kit: w.kit,
    consumer: s.consumer,
    topics: s.topics,
    handler: s.handler,
    dlq: { topic: w.topics.dlq, producer: await newProducer(w, `${s.topics[0]} dlq`), registry: w.registry },
    metrics: w.metrics,
    chunkSize: 2_000,
    partitionsConsumedConcurrently: 8,
    config: w.config,
    onAssigned: (assigned) => s.stores.assign(assigned[s.stateTopic] ?? []),
  })
}

main().catch(exitOnStartupError(SERVICE))

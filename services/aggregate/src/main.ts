import { fileURLToPath } from 'node:url'
import { createClickHouse, queryRows } from '@opstream/runtime/clickhouse-client'
import { loadConfig, sessionOf, stageNames, topicNames } from '@opstream/runtime/config'
import type { BatchHandler } from '@opstream/runtime/consumer-runner'
import { createDecoder, createEncoder } from '@opstream/runtime/contract/codec'
import { SUBJECTS, schemaRegistryFor } from '@opstream/runtime/contract/contract'
import type { Channel } from '@opstream/runtime/contract/generated/channel'
import type { DlqRecord } from '@opstream/runtime/contract/generated/dlq-record'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { Trigger } from '@opstream/runtime/contract/generated/trigger'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import { startKeyedStage } from '@opstream/runtime/keyed-stage'
import { createConsumerMetrics } from '@opstream/runtime/metrics'
import { runMigrations } from '@opstream/runtime/migrations'
import { partitionTurns } from '@opstream/runtime/partition-turns'
import { exitOnStartupError, startServiceKit } from '@opstream/runtime/service-kit'
import { createStateStores } from '@opstream/runtime/state-store'
import { ensureChangelog } from '@opstream/runtime/topics'
import { createClickHouseSink, type Deriver, type SinkTable } from './adapters/clickhouse-sink.ts'
import { createEventDelay } from './adapters/event-delay.ts'
import { createFunnelDerivers } from './adapters/funnel-deriver.ts'
import { createFunnelHistory } from './adapters/funnel-history.ts'
import { loadFunnels } from './adapters/funnels-file.ts'
import { createHealthSampler } from './adapters/health-sampler.ts'
import { personFunnelsStateCodec } from './adapters/person-funnels-state-codec.ts'
import {
  channelCostsTable,
  deadLettersTable,
  eventsTable,
  stitchTable,
  usersTable,
} from './adapters/sink-tables.ts'
import { stitchRecord } from './adapters/stitch-messages.ts'
import { createTriggerTimers } from './adapters/trigger-timers.ts'
import { aggregateEnvSchema } from './config.ts'
import type { EventRow } from './core/event-row.ts'
import { createAggregateMetrics } from './metrics.ts'

const SERVICE = 'aggregate'
const MIGRATIONS_DIR = fileURLToPath(new URL('../../../infra/clickhouse/', import.meta.url))

/**
 * aggregate: the writer of ClickHouse, reached over its HTTP interface like every process. It
 * applies the migrations, then sinks enriched events into `events` (and, through materialized
 * views, everything derived from them), the users topic into `users`, the channel catalog's
 * costs into `channel_costs` and the dead-letter topic into `dead_letters`, exactly once.
 */
async function main(): Promise<void> {
  const config = loadConfig(aggregateEnvSchema, process.env)
  const kit = await startServiceKit({ service: SERVICE, config, httpPort: config.AGGREGATE_HTTP_PORT })
  const ch = await createClickHouse({
    url: config.CLICKHOUSE_URL,
    user: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    database: config.CLICKHOUSE_DATABASE,
    log: kit.log,
  })
  const migrations = await runMigrations(ch.client, MIGRATIONS_DIR, kit.log)
  const [version] = await queryRows<{ v: string }>(ch.client, 'SELECT version() AS v')
  kit.log.info({ version: version?.v, ...migrations }, 'ClickHouse ready')

  const topics = topicNames(config)
  const stages = stageNames(config.KAFKA_TOPIC_PREFIX)
  const group = stages.groups.aggregate
  const { registry } = schemaRegistryFor(config)
  const { rows, late, rebuilt, invalidTriggers } = createAggregateMetrics(kit.registry)
  const funnelChangelog = stages.internal.funnelsChangelog
  const stitchTopic = stages.internal.stitch
  await ensureChangelog(kit.kafka, topics.eventsEnriched, funnelChangelog)
  await ensureChangelog(kit.kafka, topics.eventsEnriched, stitchTopic, false)
  await ensureChangelog(kit.kafka, topics.eventsEnriched, topics.triggers, false)
  const stateProducer = await kit.kafka.producer()
  const funnelStores = createStateStores({
    kafka: kit.kafka,
    producer: stateProducer,
    changelogTopic: funnelChangelog,
    codec: personFunnelsStateCodec(),
    log: kit.log,
  })
  const funnelsFile = loadFunnels(config.AGGREGATE_FUNNELS)
  const triggerEncoder = await createEncoder<Trigger>(registry, SUBJECTS.trigger)
  let lastVersion = 0
  const funnels = createFunnelDerivers({
    stores: funnelStores,
    file: funnelsFile,
    send: async (messages) => {
      await stateProducer.send(stitchTopic, messages.map(stitchRecord))
    },
    history: createFunnelHistory(ch.client, funnelsFile),
    triggers: createTriggerTimers({
      rules: funnelsFile.triggers,
      allowedLateness: funnelsFile.allowedLateness,
      send: async (fired) => {
        await stateProducer.send(
          topics.triggers,
          fired.map((f) => ({ key: f.key, value: triggerEncoder.encode(f.trigger) })),
        )
      },
      onInvalid: (rule) => invalidTriggers.inc({ rule }),
    }),
    version: () => {
      lastVersion = Math.max(Date.now() * 1000, lastVersion + 1)
      return lastVersion
    },
    onLate: (funnel) => late.inc({ funnel }),
    onRebuild: () => rebuilt.inc(),
  })
  const delay = createEventDelay()
  const sink = <T>(topic: string, target: SinkTable<T>, derived?: Deriver<T>) =>
    createClickHouseSink({
      client: ch.client,
      group,
      topic,
      target,
      ...(derived ? { derived } : {}),
      onRows: (written) => {
        rows.inc({ table: target.table ?? topic }, written.length)
        if (target.table === 'events') delay.observe(written as EventRow[])
      },
      onReplay: (how, partition, from, to) =>
        kit.log.info(
          { topic, partition, from: from.toString(), to: to.toString(), how },
          'range written again after a restart',
        ),
    })
  const sinks = {
    [topics.eventsEnriched]: sink(
      topics.eventsEnriched,
      eventsTable(await createDecoder<EnrichedEvent>(registry, SUBJECTS.enrichedEvent)),
      funnels.events,
    ),
    [stitchTopic]: sink(stitchTopic, stitchTable, funnels.stitch),
    [topics.users]: sink(
      topics.users,
      usersTable(await createDecoder<UserProfile>(registry, SUBJECTS.userProfile)),
    ),
    [topics.channels]: sink(
      topics.channels,
      channelCostsTable(await createDecoder<Channel>(registry, SUBJECTS.channel)),
    ),
    [topics.dlq]: sink(
      topics.dlq,
      deadLettersTable(await createDecoder<DlqRecord>(registry, SUBJECTS.dlqRecord)),
    ),
  }
  // Partition p of the enriched and the stitch topic share partition p's funnel state: their
  // batches take turns, so a state flush never carries another batch's unwritten changes.
  const inTurn = partitionTurns()
  const handler: BatchHandler = (messages, ctx) => {
    const sink = sinks[ctx.topic]
    if (!sink) throw new Error(`no sink for topic ${ctx.topic}`)
    if (ctx.topic === topics.eventsEnriched || ctx.topic === stitchTopic)
      return inTurn(ctx.partition, () => sink(messages, ctx))
    return sink(messages, ctx)
  }
  // Big fetches make big INSERTs: ClickHouse wants few large blocks, not many small ones.
  const consumer = await kit.kafka.consumer({
    groupId: group,
    maxBytesPerPartition: 16 * 1024 * 1024,
    coPartitioned: true,
    ...sessionOf(config),
  })
  const health = createHealthSampler({
    kafka: kit.kafka,
    client: ch.client,
    dlqTopic: topics.dlq,
    produced: [topics.eventsRaw],
    groups: [
      { group: stages.groups.attribute, topic: topics.eventsRaw },
      { group: stages.groups.profile, topic: topics.eventsAttributed },
      { group, topic: topics.eventsEnriched },
    ],
    intervalMs: config.AGGREGATE_HEALTH_SAMPLE_MS,
    gauges: () => {
      const seconds = delay.take()
      return seconds === null
        ? []
        : [{ metric: 'event_delay_seconds', topic: topics.eventsEnriched, value: seconds }]
    },
    log: kit.log,
  })
  const dlqProducer = await kit.kafka.producer()
  await startKeyedStage({
    service: SERVICE,
    kit,
    consumer,
    topics: [topics.eventsEnriched, stitchTopic, topics.users, topics.channels, topics.dlq],
    handler,
    dlq: { topic: topics.dlq, producer: dlqProducer, registry },
    metrics: createConsumerMetrics(kit.registry, SERVICE),
    // One chunk per fetched batch: a chunk is an INSERT and its offset range.
    chunkSize: 1_000_000,
    partitionsConsumedConcurrently: config.AGGREGATE_PARTITIONS_CONCURRENTLY,
    config,
    onAssigned: (assigned) => {
      // Another instance may have written while the partitions were away: re-read intents.
      for (const sink of Object.values(sinks)) sink.forget()
      funnelStores.assign(assigned[topics.eventsEnriched] ?? [])
    },
  })
  kit.shutdown.add({ name: 'health sampler', run: () => health.stop() })
  kit.shutdown.add({ name: 'dlq producer', run: () => dlqProducer.disconnect() })
  kit.shutdown.add({ name: 'state producer', run: () => stateProducer.disconnect() })
  kit.shutdown.add({ name: 'clickhouse', run: () => ch.close() })
  kit.shutdown.add({ name: 'http', run: () => kit.http.close() })
  health.start()
  kit.log.info({ input: Object.keys(sinks), group }, 'sink running')
  kit.setReady(true)
}

main().catch(exitOnStartupError(SERVICE))

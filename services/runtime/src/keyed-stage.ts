/**
 * A keyed stage's consumer, started the one way enrich's stages and the aggregate start it: one
 * lane per partition (keyed state and sink ranges follow offset order; partitions run in
 * parallel), bad input to the DLQ, the assignment passed on at every rebalance (state restored
 * for partitions gained, dropped for those lost), a fatal consumer error shutting the service
 * down with a failure, and the consumer stopped first when the service shuts down.
 */
import { type BatchHandler, type ConsumerRunner, createConsumerRunner } from './consumer-runner.ts'
import { createEncoder } from './contract/codec.ts'
import { SUBJECTS } from './contract/contract.ts'
import type { SchemaRegistry } from './contract/registry.ts'
import { createDlqPublisher } from './dlq.ts'
import type { ConsumerHandle, PartitionsByTopic, ProducerHandle } from './kafka-types.ts'
import type { ConsumerMetrics } from './metrics.ts'
import type { ServiceKit } from './service-kit.ts'

export interface KeyedStageOptions {
  service: string
  kit: ServiceKit
  consumer: ConsumerHandle
  topics: string[]
  handler: BatchHandler
  /** Where records the handler refuses go, through this producer, encoded with this registry. */
  dlq: { topic: string; producer: ProducerHandle; registry: SchemaRegistry }
  metrics: ConsumerMetrics
  /** Most messages per handler call (a sink's INSERT, a stage's produce-then-flush). */
  chunkSize: number
  partitionsConsumedConcurrently: number
  config: { CONSUMER_MAX_RETRIES: number; CONSUMER_HEARTBEAT_MS: number }
  /** Told of this member's partitions each time the group assigns them. */
  onAssigned(partitions: PartitionsByTopic): void
}

/** Starts the stage's consumer; resolves once it runs. */
export async function startKeyedStage(opts: KeyedStageOptions): Promise<ConsumerRunner> {
  const { kit } = opts
  opts.consumer.onAssigned(opts.onAssigned)
  const runner = createConsumerRunner({
    service: opts.service,
    consumer: opts.consumer,
    topics: opts.topics,
    handler: opts.handler,
    dlq: createDlqPublisher({
      producer: opts.dlq.producer,
      topic: opts.dlq.topic,
      service: opts.service,
      encoder: await createEncoder(opts.dlq.registry, SUBJECTS.dlqRecord),
    }),
    log: kit.log,
    metrics: opts.metrics,
    lanes: 1,
    chunkSize: opts.chunkSize,
    partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently,
    maxRetries: opts.config.CONSUMER_MAX_RETRIES,
    heartbeatMs: opts.config.CONSUMER_HEARTBEAT_MS,
    onFatal: () => void kit.shutdown.run('consumer failed', { failure: true }),
  })
  kit.shutdown.add({ name: `consumer ${opts.topics.join(',')}`, run: () => runner.stop() })
  await runner.start()
  return runner
}

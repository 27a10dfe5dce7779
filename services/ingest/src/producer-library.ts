/**
 * The producer library for back-end services that publish straight to Kafka: the same event
 * format and validation as `POST /v1/events`, Avro in the Confluent wire format, the idempotent
 * producer with acks = all. A resolved publish means Kafka acknowledged every accepted event;
 * rejected ones are in the DLQ with their reason, as with the HTTP API.
 *
 *   const events = await createEventProducer({ appId: 'trade-service', platform: 'server' })
 *   await events.publish({ event: 'invest', anonymous_id: 'dev-1', user_id: 'u-1',
 *                          purchase: { order_id: 'o-1', amount: '5000.00', product_id: 'p-30d' } })
 *   await events.close()
 */
import { randomUUID } from 'node:crypto'
import { kafkaEnvSchema, loadConfig, topicNames } from '@opstream/runtime/config'
import { createEncoder } from '@opstream/runtime/contract/codec'
import { SUBJECTS, schemaRegistryFor } from '@opstream/runtime/contract/contract'
import type { Event } from '@opstream/runtime/contract/generated/event'
import { NonRetriableError } from '@opstream/runtime/errors'
import { createKafkaClient } from '@opstream/runtime/kafka-adapter'
import type { OutboundMessage } from '@opstream/runtime/kafka-types'
import { createLogger, type Logger } from '@opstream/runtime/logger'
import { rejectionMessage } from './adapters/rejections.ts'
import type { RequestContext } from './core/envelope.ts'
import { fromNative } from './core/native-event.ts'
import type { App } from './core/write-keys.ts'

export class EventValidationError extends NonRetriableError {
  constructor(readonly rejected: ReadonlyArray<{ index: number; reason: string }>) {
    super(`invalid event: ${rejected.map((r) => `#${r.index}: ${r.reason}`).join('; ')}`)
  }
}

export interface EventProducerOptions extends App {
  /** Broker list; KAFKA_BROKERS (or 127.0.0.1:9092) when omitted. */
  brokers?: string[]
  /** Topic prefix and names follow the services' KAFKA_TOPIC_* variables when omitted. */
  env?: Readonly<Record<string, string | undefined>>
  log?: Logger
}

export interface EventProducer {
  /** Publishes one event; throws EventValidationError (and keeps it in the DLQ) when invalid. */
  publish(event: unknown): Promise<Event>
  /** Publishes the valid events of a batch; the invalid ones are reported and kept in the DLQ. */
  publishBatch(
    events: readonly unknown[],
  ): Promise<{ accepted: Event[]; rejected: Array<{ index: number; reason: string }> }>
  close(): Promise<void>
}

export async function createEventProducer(opts: EventProducerOptions): Promise<EventProducer> {
  const env = opts.env ?? process.env
  const kafkaEnv = loadConfig(kafkaEnvSchema, {
    ...env,
    ...(opts.brokers ? { KAFKA_BROKERS: opts.brokers.join(',') } : {}),
  })
  const topics = topicNames(kafkaEnv)
  const log =
    opts.log ??
    createLogger({ service: `producer-${opts.appId}`, level: 'warn', destination: process.stderr })
  const schemas = schemaRegistryFor(env)
  const [eventEncoder, dlqEncoder] = await Promise.all([
    createEncoder<Event>(schemas.registry, SUBJECTS.event),
    createEncoder(schemas.registry, SUBJECTS.dlqRecord),
  ])
  const producer = await createKafkaClient({
    brokers: kafkaEnv.KAFKA_BROKERS,
    clientId: `opstream-producer-${opts.appId}`,
    log,
  }).producer()

  const publishBatch: EventProducer['publishBatch'] = async (events) => {
    const ctx: RequestContext = {
      appId: opts.appId,
      platform: opts.platform,
      receivedAt: new Date(),
      ip: null,
      newId: randomUUID,
    }
    const accepted: Event[] = []
    const rejected: Array<{ index: number; reason: string }> = []
    const raw: OutboundMessage[] = []
    const dead: OutboundMessage[] = []
    events.forEach((input, index) => {
      const r = fromNative(input, ctx)
      if (r.ok) {
        accepted.push(r.event)
        raw.push({ key: r.event.anonymous_id, value: eventEncoder.encode(r.event) })
      } else {
        rejected.push({ index, reason: r.reason })
        dead.push(rejectionMessage(dlqEncoder, input, r.reason, `producer:${opts.appId}`, ctx))
      }
    })
    await Promise.all([producer.send(topics.eventsRaw, raw), producer.send(topics.dlq, dead)])
    return { accepted, rejected }
  }
  return {
    publishBatch,
    async publish(event) {
      const { accepted, rejected } = await publishBatch([event])
      if (rejected.length > 0) throw new EventValidationError(rejected)
      return accepted[0] as Event
    },
    close: () => producer.disconnect(),
  }
}

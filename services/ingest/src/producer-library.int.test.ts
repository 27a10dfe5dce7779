import { createDecoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { DlqRecord } from '@opstream/runtime/contract/generated/dlq-record'
import type { Event } from '@opstream/runtime/contract/generated/event'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import type { InboundMessage } from '@opstream/runtime/kafka-types'
import { brokers, testKafka, uniqueName, waitFor } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, it } from 'vitest'
import { createEventProducer, EventValidationError } from './producer-library.ts'

const registry = fileRegistry(builtInCatalog())

describe('producer library', () => {
  const stops: Array<() => Promise<unknown>> = []
  afterAll(async () => {
    for (const s of stops.reverse()) await s()
  })

  it('publishes validated events straight to the raw topic and keeps invalid ones in the DLQ', async () => {
    const prefix = `${uniqueName('lib')}.`
    const kafka = testKafka()
    const admin = await kafka.admin()
    stops.push(() => admin.disconnect())
    await admin.createTopics([
      { topic: `${prefix}events.raw`, partitions: 2 },
      { topic: `${prefix}dlq`, partitions: 1 },
    ])
    const events = await createEventProducer({
      appId: 'trade-service',
      platform: 'server',
      brokers: brokers(),
      env: { KAFKA_TOPIC_PREFIX: prefix },
    })
    stops.push(() => events.close())

    const published = await events.publish({
      event: 'invest',
      anonymous_id: 'dev-1',
      user_id: 'u-1',
      purchase: { order_id: 'o-1', amount: '5000.00', product_id: 'p-30d', term_days: 30 },
    })
    expect(published.app).toEqual({ platform: 'server', app_id: 'trade-service', app_version: null })
    await expect(events.publish({ event: 'withdraw', anonymous_id: 'dev-1' })).rejects.toBeInstanceOf(
      EventValidationError,
    )
    const batch = await events.publishBatch([
      { event: 'page_view', anonymous_id: 'dev-2' },
      { event: 'page_view' },
    ])
    expect(batch.accepted).toHaveLength(1)
    expect(batch.rejected).toEqual([{ index: 1, reason: expect.stringContaining('anonymous_id') }])

    const seen = new Map<string, InboundMessage[]>()
    const consumer = await kafka.consumer({ groupId: uniqueName('lib_reader') })
    stops.push(async () => {
      await consumer.stop()
      await consumer.disconnect()
    })
    await consumer.subscribe([`${prefix}events.raw`, `${prefix}dlq`], true)
    await consumer.run(
      async (b) => {
        seen.set(b.topic, [...(seen.get(b.topic) ?? []), ...b.messages])
        await b.commit((BigInt(b.lastOffset) + 1n).toString())
      },
      { partitionsConsumedConcurrently: 2 },
    )
    await waitFor(
      () =>
        (seen.get(`${prefix}events.raw`)?.length ?? 0) >= 2 && (seen.get(`${prefix}dlq`)?.length ?? 0) >= 2,
      {
        what: 'raw and DLQ messages',
      },
    )
    const eventDecoder = await createDecoder<Event>(registry, SUBJECTS.event)
    const raw = await Promise.all(
      (seen.get(`${prefix}events.raw`) ?? []).map((m) => eventDecoder.decode(m.value)),
    )
    expect(raw.find((e) => e.event === 'invest')).toEqual(published)
    const dlqDecoder = await createDecoder<DlqRecord>(registry, SUBJECTS.dlqRecord)
    const dead = await Promise.all((seen.get(`${prefix}dlq`) ?? []).map((m) => dlqDecoder.decode(m.value)))
    expect(dead.map((d) => d.source_topic)).toEqual(['producer:trade-service', 'producer:trade-service'])
    expect(dead.map((d) => d.reason)).toEqual([
      'withdraw: required for a withdraw event',
      expect.stringContaining('anonymous_id'),
    ])
  })
})

/**
 * A chunk whose output Kafka refuses is retried by the consumer runner in the same process.
 * The device state the failed attempt changed must be rolled back, or the retry would find the
 * events applied and skip them: their attributed events would never be written.
 */
import { readPartitionsToEnd } from '@opstream/runtime/changelog-reader'
import type { HandlerContext } from '@opstream/runtime/consumer-runner'
import { createDecoder, createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { AttributedEvent } from '@opstream/runtime/contract/generated/attributed-event'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { Event } from '@opstream/runtime/contract/generated/event'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import type { InboundMessage, ProducerHandle } from '@opstream/runtime/kafka-types'
import { createStateStores } from '@opstream/runtime/state-store'
import { sampleEvent } from '@opstream/runtime/testing/sample-events'
import { testKafka, testLogger, uniqueName } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, it } from 'vitest'
import { createAttributeHandler, SOURCE_OFFSET_HEADER } from './adapters/attribute-stage.ts'
import { loadChannelRules } from './adapters/channel-rules-file.ts'
import { deviceStateCodec } from './adapters/device-state-codec.ts'
import { personStateCodec } from './adapters/person-state-codec.ts'
import { createProfileHandler } from './adapters/profile-stage.ts'
import { createChannelClassifier } from './core/channel-classifier.ts'
import { DEFAULT_PROFILE } from './core/person-profile.ts'

describe('a stage retrying a chunk whose output failed', () => {
  const kafka = testKafka()
  const stops: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const s of stops.reverse()) await s()
  })

  /** Every message value on a one-partition topic, in order. */
  const readTopic = async (topic: string): Promise<Buffer[]> => {
    const values: Buffer[] = []
    await readPartitionsToEnd({
      kafka,
      topic,
      partitions: [0],
      onMessages: (batch) => {
        for (const m of batch) if (m.value) values.push(m.value)
      },
    })
    return values
  }

  it('writes every event on the retry, once, and the state as one clean attempt leaves it — in both stages', async () => {
    const output = uniqueName('attributed')
    const changelog = uniqueName('devices')
    const admin = await kafka.admin()
    stops.push(() => admin.disconnect())
    await admin.createTopics([
      { topic: output, partitions: 1 },
      { topic: changelog, partitions: 1, compacted: true },
    ])
    const producer = await kafka.producer()
    stops.push(() => producer.disconnect())
    let refusals = 1
    const refusingOnce: ProducerHandle = {
      ...producer,
      send: async (topic, messages) => {
        if (refusals-- > 0) throw new Error('broker unavailable')
        return producer.send(topic, messages)
      },
    }
    const log = testLogger()
    const registry = fileRegistry(builtInCatalog())
    const stores = createStateStores({
      kafka,
      producer,
      changelogTopic: changelog,
      codec: deviceStateCodec(),
      log,
    })
    const rules = loadChannelRules()
    const handler = createAttributeHandler({
      stores,
      decoder: await createDecoder<Event>(registry, SUBJECTS.event),
      encoder: await createEncoder<AttributedEvent>(registry, SUBJECTS.attributedEvent),
      producer: refusingOnce,
      outputTopic: output,
      classify: createChannelClassifier(rules),
      clickIdParams: Object.keys(rules.clickIds),
      attribution: { sessionTimeoutMs: 30 * 60_000, lookbackMs: 30 * 86_400_000 },
    })
    const encoder = await createEncoder<Event>(registry, SUBJECTS.event)
    const t0 = Date.UTC(2026, 10, 24, 8)
    const events = Array.from({ length: 6 }, (_, i) =>
      sampleEvent({
        event_id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
        anonymous_id: `device-${i % 2}`,
        occurred_at: new Date(t0 + i * 60_000),
        received_at: new Date(t0 + i * 60_000),
      }),
    )
    const messages: InboundMessage[] = events.map((e, i) => ({
      topic: 'raw',
      partition: 0,
      offset: String(i),
      key: Buffer.from(e.anonymous_id),
      value: encoder.encode(e),
      headers: {},
      timestamp: String(t0),
    }))
    const ctx: HandlerContext = { topic: 'raw', partition: 0, log, heartbeat: async () => {} }

    await expect(handler(messages, ctx)).rejects.toThrow('broker unavailable')
    const outcomes = await handler(messages, ctx)
    expect(outcomes.map((o) => o.kind)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok'])

    const decoder = await createDecoder<AttributedEvent>(registry, SUBJECTS.attributedEvent)
    const written = await readTopic(output)
    const ids = (await decoder.decodeAll(written)).map((d) => (d.ok ? d.value.event.event_id : 'undecodable'))
    expect(ids).toEqual(events.map((e) => e.event_id))
    // Each device's session index as one clean pass over its three events leaves it: one session.
    const state = await stores.partition(0)
    expect([state.get('device-0')?.sessionIndex, state.get('device-1')?.sessionIndex]).toEqual([1, 1])
    expect(state.appliedOffset).toBe(5n)

    // The profile stage on those attributed events, its output refused once too.
    const enriched = uniqueName('enriched')
    const persons = uniqueName('persons')
    await admin.createTopics([
      { topic: enriched, partitions: 1 },
      { topic: persons, partitions: 1, compacted: true },
    ])
    refusals = 1
    const personStores = createStateStores({
      kafka,
      producer,
      changelogTopic: persons,
      codec: personStateCodec(),
      log,
    })
    const profile = createProfileHandler({
      stores: personStores,
      eventsTopic: 'attributed',
      usersTopic: 'users',
      eventDecoder: decoder,
      userDecoder: await createDecoder<UserProfile>(registry, SUBJECTS.userProfile),
      encoder: await createEncoder<EnrichedEvent>(registry, SUBJECTS.enrichedEvent),
      producer: refusingOnce,
      outputTopic: enriched,
      profile: DEFAULT_PROFILE,
    })
    const attributed: InboundMessage[] = written.map((value, i) => ({
      topic: 'attributed',
      partition: 0,
      offset: String(i),
      key: Buffer.from(`device-${i % 2}`),
      value,
      headers: { [SOURCE_OFFSET_HEADER]: Buffer.from(String(i)) },
      timestamp: String(t0),
    }))
    const pctx: HandlerContext = { ...ctx, topic: 'attributed' }
    await expect(profile(attributed, pctx)).rejects.toThrow('broker unavailable')
    expect((await profile(attributed, pctx)).map((o) => o.kind)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok'])
    const enrichedDecoder = await createDecoder<EnrichedEvent>(registry, SUBJECTS.enrichedEvent)
    const out = (await enrichedDecoder.decodeAll(await readTopic(enriched))).map((d) =>
      d.ok ? d.value.event.event_id : 'undecodable',
    )
    expect(out).toEqual(events.map((e) => e.event_id))
  })
})

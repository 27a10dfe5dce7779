import { afterAll, describe, expect, it } from 'vitest'
import { sampleEvent } from '../test/support/sample-events.ts'
import { committedToEnd, testKafka, testLogger, uniqueName, waitFor } from '../test/support/stack.ts'
import { createConsumerRunner, OK, type Outcome, outcomeForError } from './consumer-runner.ts'
import { createDecoder, createEncoder } from './contract/codec.ts'
import { builtInCatalog, SUBJECTS } from './contract/contract.ts'
import type { DlqRecord } from './contract/generated/dlq-record.ts'
import type { Event } from './contract/generated/event.ts'
import { fileRegistry } from './contract/registry.ts'
import { createDlqPublisher, DLQ_HEADERS } from './dlq.ts'
import type { InboundMessage } from './kafka-types.ts'
import { createConsumerMetrics, createMetricsRegistry } from './metrics.ts'

const schemas = fileRegistry(builtInCatalog())
const eventEncoder = await createEncoder<Event>(schemas, SUBJECTS.event)
const eventDecoder = await createDecoder<Event>(schemas, SUBJECTS.event)
const dlqDecoder = await createDecoder<DlqRecord>(schemas, SUBJECTS.dlqRecord)

describe('bad input goes to the DLQ with its original bytes and source position', () => {
  const kafka = testKafka()
  const stops: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const s of stops.reverse()) await s()
  })

  it('keeps rejected messages and commits past them', async () => {
    const topic = uniqueName('dlq_src')
    const dlqTopic = uniqueName('dlq')
    const groupId = uniqueName('dlq_group')
    const admin = await kafka.admin()
    stops.push(() => admin.disconnect())
    await admin.createTopics([
      { topic, partitions: 2 },
      { topic: dlqTopic, partitions: 1 },
    ])
    const producer = await kafka.producer()
    stops.push(() => producer.disconnect())
    const good = eventEncoder.encode(sampleEvent())
    const unknownId = Buffer.from([0x00, 0x00, 0x00, 0x03, 0xe7, 0x02])
    await producer.send(topic, [
      { key: 'a', value: good },
      { key: 'b', value: unknownId, headers: { 'content-type': 'avro/binary' } },
      { key: 'a', value: good },
      { key: 'c', value: '{"not":"avro"}' },
      { key: 'd', value: good.subarray(0, 20) },
    ])

    const registry = createMetricsRegistry('dlqtest')
    const runner = createConsumerRunner({
      service: 'dlqtest',
      consumer: await kafka.consumer({ groupId }),
      topics: [topic],
      log: testLogger(),
      metrics: createConsumerMetrics(registry, 'dlqtest'),
      dlq: createDlqPublisher({
        producer,
        topic: dlqTopic,
        service: 'dlqtest',
        encoder: await createEncoder<DlqRecord>(schemas, SUBJECTS.dlqRecord),
      }),
      lanes: 4,
      maxRetries: 3,
      heartbeatMs: 200,
      onFatal: (err) => {
        throw err
      },
      handler: async (messages) => {
        const outcomes: Outcome[] = []
        for (const m of messages) {
          try {
            await eventDecoder.decode(m.value)
            outcomes.push(OK)
          } catch (err) {
            outcomes.push(outcomeForError(err))
          }
        }
        return outcomes
      },
    })
    stops.push(() => runner.stop())
    await runner.start()

    const dead: InboundMessage[] = []
    const reader = await kafka.consumer({ groupId: uniqueName('dlq_reader') })
    stops.push(async () => {
      await reader.stop()
      await reader.disconnect()
    })
    await reader.subscribe([dlqTopic], true)
    await reader.run(
      async (b) => {
        dead.push(...b.messages)
        await b.commit((BigInt(b.lastOffset) + 1n).toString())
      },
      { partitionsConsumedConcurrently: 1 },
    )
    await waitFor(() => dead.length >= 3, { what: 'three DLQ records' })
    await waitFor(() => committedToEnd(admin, groupId, topic), {
      what: 'source offsets committed past the bad messages',
    })

    const records = new Map<string, DlqRecord>()
    for (const m of dead) records.set(m.key?.toString() ?? '', await dlqDecoder.decode(m.value))
    expect([...records.keys()].sort()).toEqual(['b', 'c', 'd'])
    const b = records.get('b')
    expect(b?.original_value?.equals(unknownId)).toBe(true)
    expect(b?.error_kind).toBe('unknown_schema_id')
    expect(b?.reason).toMatch(/schema id 999 is not in the built-in registry/)
    expect(b?.headers).toEqual({ 'content-type': 'avro/binary' })
    expect(records.get('c')?.error_kind).toBe('bad_magic_byte')
    expect(records.get('c')?.original_value?.toString()).toBe('{"not":"avro"}')
    expect(records.get('d')?.error_kind).toMatch(/^(truncated|invalid_payload)$/)
    expect(records.get('d')?.original_value?.equals(good.subarray(0, 20))).toBe(true)
    // Partition and offset point back at the original message, and agree with the headers.
    const source = await admin.fetchTopicOffsets(topic)
    for (const m of dead) {
      const r = records.get(m.key?.toString() ?? '') as DlqRecord
      expect(r.source_topic).toBe(topic)
      expect(r.service).toBe('dlqtest')
      expect(m.headers[DLQ_HEADERS.sourcePartition]?.toString()).toBe(String(r.source_partition))
      expect(m.headers[DLQ_HEADERS.sourceOffset]?.toString()).toBe(String(r.source_offset))
      const range = source.find((s) => s.partition === r.source_partition)
      expect(r.source_offset >= 0 && r.source_offset < Number(range?.high ?? 0)).toBe(true)
    }
    expect(dead).toHaveLength(3)
    const metrics = await registry.getSingleMetricAsString('dlqtest_consumer_dlq_total')
    expect(metrics).toMatch(/dlqtest_consumer_dlq_total\{topic="[^"]+",service="dlqtest"\} 3/)
  })
})

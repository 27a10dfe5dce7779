import { afterAll, describe, expect, it } from 'vitest'
import { createConsumerRunner, OK, type Outcome } from './consumer-runner.ts'
import { createDlqPublisher, DLQ_HEADERS } from './dlq.ts'
import type { InboundMessage } from './kafka-types.ts'
import { createConsumerMetrics, createMetricsRegistry } from './metrics.ts'
import { committedToEnd, testKafka, testLogger, uniqueName, waitFor } from './testing/stack.ts'

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
    const bad = Buffer.from([0x00, 0xff, 0xfe, 0x41])
    await producer.send(topic, [
      { key: 'a', value: '{"ok":1}' },
      { key: 'b', value: bad, headers: { 'content-type': 'application/json' } },
      { key: 'a', value: '{"ok":2}' },
      { key: 'c', value: 'not json' },
    ])

    const registry = createMetricsRegistry('dlqtest')
    const runner = createConsumerRunner({
      service: 'dlqtest',
      consumer: await kafka.consumer({ groupId }),
      topics: [topic],
      log: testLogger(),
      metrics: createConsumerMetrics(registry, 'dlqtest'),
      dlq: createDlqPublisher({ producer, topic: dlqTopic, service: 'dlqtest' }),
      lanes: 4,
      maxRetries: 3,
      heartbeatMs: 200,
      onFatal: (err) => {
        throw err
      },
      handler: async (messages) =>
        messages.map((m): Outcome => {
          try {
            JSON.parse(m.value?.toString() ?? '')
            return OK
          } catch (err) {
            return { kind: 'dlq', reason: `invalid JSON: ${(err as Error).message}` }
          }
        }),
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
    await waitFor(() => dead.length >= 2, { what: 'two DLQ records' })
    await waitFor(() => committedToEnd(admin, groupId, topic), {
      what: 'source offsets committed past the bad messages',
    })

    const byKey = new Map(dead.map((m) => [m.key?.toString(), m]))
    const b = byKey.get('b')
    expect(b?.value?.equals(bad)).toBe(true)
    expect(b?.headers['content-type']?.toString()).toBe('application/json')
    expect(b?.headers[DLQ_HEADERS.reason]?.toString()).toMatch(/^invalid JSON/)
    expect(b?.headers[DLQ_HEADERS.sourceTopic]?.toString()).toBe(topic)
    expect(b?.headers[DLQ_HEADERS.service]?.toString()).toBe('dlqtest')
    const c = byKey.get('c')
    expect(c?.value?.toString()).toBe('not json')
    // Partition and offset point back at the original message.
    const source = await admin.fetchTopicOffsets(topic)
    for (const m of [b, c]) {
      const p = Number(m?.headers[DLQ_HEADERS.sourcePartition]?.toString())
      const o = BigInt(m?.headers[DLQ_HEADERS.sourceOffset]?.toString() ?? '-1')
      const range = source.find((s) => s.partition === p)
      expect(range).toBeDefined()
      expect(o >= 0n && o < BigInt(range?.high ?? '0')).toBe(true)
    }
    expect(dead).toHaveLength(2)
    const metrics = await registry.getSingleMetricAsString('dlqtest_consumer_dlq_total')
    expect(metrics).toMatch(/dlqtest_consumer_dlq_total\{topic="[^"]+",service="dlqtest"\} 2/)
  })
})

import { prefixedTopicNames } from '@opstream/runtime/config'
import { createDecoder, createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { AttributedEvent } from '@opstream/runtime/contract/generated/attributed-event'
import type { DlqRecord } from '@opstream/runtime/contract/generated/dlq-record'
import type { Event } from '@opstream/runtime/contract/generated/event'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import type { InboundMessage } from '@opstream/runtime/kafka-types'
import { sampleEvent } from '@opstream/runtime/testing/sample-events'
import { brokers, testKafka, uniqueName, waitFor } from '@opstream/runtime/testing/stack'
import { ensureTopics, pipelineTopics } from '@opstream/runtime/topics'
import { afterAll, describe, expect, it } from 'vitest'
import { startEnrich } from '../test/support/enrich-process.ts'
import { receiptTickOf } from './adapters/receipt-ticks.ts'

const registry = fileRegistry(builtInCatalog())
const page = (url: string, referrer: string | null = null) => ({ url, path: null, referrer, title: null })

describe('enrich attribute stage', () => {
  const stops: Array<() => Promise<unknown>> = []
  afterAll(async () => {
    for (const s of stops.reverse()) await s()
  })

  it('classifies, sessionizes and routes device events by person; bad bytes reach the DLQ', async () => {
    const prefix = `${uniqueName('attr')}.`
    const kafka = testKafka()
    const admin = await kafka.admin()
    stops.push(() => admin.disconnect())
    const names = prefixedTopicNames(prefix)
    await ensureTopics(admin, pipelineTopics(names, 3))
    const enrich = await startEnrich({ KAFKA_BROKERS: brokers().join(','), KAFKA_TOPIC_PREFIX: prefix })
    stops.push(() => enrich.stop())

    const encoder = await createEncoder<Event>(registry, SUBJECTS.event)
    const T0 = Date.parse('2026-11-24T10:00:00Z')
    const ev = (id: number, o: Partial<Event>) =>
      sampleEvent({ event_id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`, ...o })
    const events = [
      ev(1, {
        anonymous_id: 'd1',
        occurred_at: new Date(T0),
        page: page('https://m.example.cn/l?utm_source=toutiao&utm_medium=feed&clickid=ck1'),
      }),
      ev(2, {
        anonymous_id: 'd1',
        event: 'register',
        user_id: 'u1',
        occurred_at: new Date(T0 + 5 * 60_000),
        page: page('https://m.example.cn/reg', 'https://m.example.cn/l'),
      }),
      ev(3, {
        anonymous_id: 'd1',
        occurred_at: new Date(T0 + 2 * 86_400_000),
        page: page('https://m.example.cn/'),
      }),
      ev(4, {
        anonymous_id: 'd2',
        occurred_at: new Date(T0),
        page: page('https://m.example.cn/', 'https://www.baidu.com/s?wd=%E7%90%86%E8%B4%A2'),
      }),
    ]
    const producer = await kafka.producer()
    stops.push(() => producer.disconnect())
    await producer.send(names.eventsRaw, [
      ...events.map((e) => ({ key: e.anonymous_id, value: encoder.encode(e) })),
      { key: 'd9', value: Buffer.from('{"not":"avro"}') },
    ])

    const seen = new Map<string, InboundMessage[]>()
    const reader = await kafka.consumer({ groupId: uniqueName('attr_reader') })
    stops.push(async () => {
      await reader.stop()
      await reader.disconnect()
    })
    await reader.subscribe([names.eventsAttributed, names.dlq], true)
    await reader.run(
      async (b) => {
        seen.set(b.topic, [...(seen.get(b.topic) ?? []), ...b.messages])
        await b.commit((BigInt(b.lastOffset) + 1n).toString())
      },
      { partitionsConsumedConcurrently: 3 },
    )
    await waitFor(
      () => (seen.get(names.eventsAttributed)?.length ?? 0) >= 4 && (seen.get(names.dlq)?.length ?? 0) >= 1,
      {
        what: 'attributed events and the DLQ record',
      },
    )
    const decoder = await createDecoder<AttributedEvent>(registry, SUBJECTS.attributedEvent)
    const out = new Map<string, { key: string; a: AttributedEvent }>()
    for (const m of seen.get(names.eventsAttributed) ?? []) {
      // Receipt ticks for stage 2's watermark travel beside the events.
      if (receiptTickOf(m)) continue
      const a = await decoder.decode(m.value)
      out.set(a.event.event_id.slice(-1), { key: m.key?.toString() ?? '', a })
    }
    const [e1, e2, e3, e4] = ['1', '2', '3', '4'].map(
      (k) => out.get(k) as { key: string; a: AttributedEvent },
    )
    expect(e1?.key).toBe('d1')
    expect(e1?.a.attribution.channel).toMatchObject({
      group: 'Paid Social',
      source: 'toutiao',
      click_id_kind: 'clickid',
    })
    expect(e1?.a.attribution.session).toMatchObject({ session_id: 'd1:1', index: 1 })
    expect(e2?.key).toBe('u1')
    expect(e2?.a.attribution.channel.group).toBe('Internal')
    expect(e2?.a.attribution.session).toMatchObject({ session_id: 'd1:1', channel: { group: 'Paid Social' } })
    expect(e3?.key).toBe('u1')
    expect(e3?.a.attribution).toMatchObject({
      channel: { group: 'Direct' },
      session: { session_id: 'd1:2', index: 2, channel: { group: 'Direct' } },
      first_touch: { channel: { group: 'Paid Social' } },
      last_non_direct_touch: { channel: { source: 'toutiao' } },
    })
    expect(e4?.key).toBe('d2')
    expect(e4?.a.attribution.channel).toMatchObject({
      group: 'Organic Search',
      source: 'Baidu',
      keyword: '理财',
    })
    const dlq = await (await createDecoder<DlqRecord>(registry, SUBJECTS.dlqRecord)).decode(
      seen.get(names.dlq)?.[0]?.value ?? null,
    )
    expect(dlq).toMatchObject({
      error_kind: 'bad_magic_byte',
      service: 'enrich',
      source_topic: names.eventsRaw,
    })
  })
})

import { createHash } from 'node:crypto'
import { createDecoder, createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { AttributedEvent } from '@opstream/runtime/contract/generated/attributed-event'
import type { Event } from '@opstream/runtime/contract/generated/event'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import type { AdminHandle, KafkaClient } from '@opstream/runtime/kafka-types'
import { brokers, committedToEnd, testKafka, uniqueName, waitFor } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, it } from 'vitest'
import { type EnrichProcess, startEnrich } from './testing/enrich-process.ts'
import { deviceEventStream } from './testing/event-stream.ts'

const EVENTS = Number(process.env.ATTR_CRASH_EVENTS ?? 200_000)
const registry = fileRegistry(builtInCatalog())

/** event_id → hash of (key, value) of every copy on the output topic. */
async function readOutput(
  kafka: KafkaClient,
  topic: string,
  expected: number,
): Promise<Map<string, Set<string>>> {
  const decoder = await createDecoder<AttributedEvent>(registry, SUBJECTS.attributedEvent)
  const out = new Map<string, Set<string>>()
  let read = 0
  const consumer = await kafka.consumer({ groupId: uniqueName('crash_reader') })
  await consumer.subscribe([topic], true)
  await consumer.run(
    async (b) => {
      const decoded = await decoder.decodeAll(b.messages.map((m) => m.value))
      b.messages.forEach((m, i) => {
        const d = decoded[i]
        if (!d?.ok) throw new Error('undecodable output')
        const h = createHash('sha1')
          .update(m.key ?? '')
          .update('\n')
          .update(m.value ?? '')
          .digest('hex')
        out.set(d.value.event.event_id, (out.get(d.value.event.event_id) ?? new Set()).add(h))
      })
      read += b.messages.length
      await b.commit((BigInt(b.lastOffset) + 1n).toString())
    },
    { partitionsConsumedConcurrently: 6 },
  )
  await waitFor(() => read >= expected, { what: `${expected} output messages read`, timeoutMs: 120_000 })
  await consumer.stop()
  await consumer.disconnect()
  return out
}

async function outputCount(admin: AdminHandle, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0)
}

describe('enrich attribute stage under SIGKILL', () => {
  const running: EnrichProcess[] = []
  afterAll(async () => {
    for (const r of running) await r.stop('SIGKILL')
  })

  it('output deduplicated by event_id equals a run without kills, record for record', {
    timeout: 600_000,
  }, async () => {
    const kafka = testKafka()
    const admin = await kafka.admin()
    const input = uniqueName('attr_crash_in')
    await admin.createTopics([{ topic: input, partitions: 6 }])
    const encoder = await createEncoder<Event>(registry, SUBJECTS.event)
    const producer = await kafka.producer()
    const events = deviceEventStream({ events: EVENTS, devices: 20_000 })
    for (let i = 0; i < events.length; i += 5_000) {
      await producer.send(
        input,
        events.slice(i, i + 5_000).map((e) => ({ key: e.anonymous_id, value: encoder.encode(e) })),
      )
    }
    await producer.disconnect()

    const run = async (label: string, killAt: number[]) => {
      const prefix = `${uniqueName(label)}.`
      const output = `${prefix}events.attributed`
      await admin.createTopics([
        { topic: output, partitions: 6 },
        { topic: `${prefix}dlq`, partitions: 1 },
      ])
      const env = {
        KAFKA_BROKERS: brokers().join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_TOPIC_EVENTS_RAW: input,
      }
      let enrich = await startEnrich(env)
      running.push(enrich)
      for (const at of killAt) {
        await waitFor(async () => (await outputCount(admin, output)) >= at, {
          what: `${at} outputs`,
          timeoutMs: 120_000,
          intervalMs: 50,
        })
        await enrich.stop('SIGKILL')
        process.stdout.write(`[attribute crash] SIGKILL after ${await outputCount(admin, output)} outputs\n`)
        enrich = await startEnrich(env)
        running.push(enrich)
      }
      const started = Date.now()
      await waitFor(() => committedToEnd(admin, `${prefix}enrich.attribute`, input), {
        what: 'input committed to its end',
        timeoutMs: 180_000,
        intervalMs: 500,
      })
      await enrich.stop()
      const total = await outputCount(admin, output)
      process.stdout.write(
        `[attribute crash] ${label}: ${total} output messages (${Date.now() - started} ms after the last start)\n`,
      )
      return readOutput(kafka, output, total)
    }

    const clean = await run('clean', [])
    const killed = await run('killed', [Math.round(EVENTS * 0.3), Math.round(EVENTS * 0.65)])
    await admin.disconnect()
    expect(clean.size).toBe(EVENTS)
    expect(killed.size).toBe(EVENTS)
    let duplicates = 0
    const differing: string[] = []
    for (const [id, hashes] of killed) {
      duplicates += hashes.size > 1 ? 1 : 0
      const reference = [...(clean.get(id) ?? [])]
      if (reference.length !== 1 || hashes.size !== 1 || [...hashes][0] !== reference[0]) differing.push(id)
    }
    process.stdout.write(`[attribute crash] ${differing.length} event ids differ between the runs\n`)
    expect(differing.slice(0, 5)).toEqual([])
    expect(duplicates).toBe(0)
  })
})

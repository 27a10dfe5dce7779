import { randomUUID } from 'node:crypto'
import { createDecoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { Event } from '@opstream/runtime/contract/generated/event'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import { brokers, testKafka, uniqueName, waitFor } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, it } from 'vitest'
import { basicAuth, DEV_KEY, type IngestProcess, startIngest } from '../test/support/ingest-process.ts'

const TOTAL = 100_000
const BATCH = 100
const SENDERS = 4
const KILL_AT = [25_000, 60_000]

describe('ingest under SIGKILL', () => {
  let ingest: IngestProcess | undefined
  afterAll(async () => {
    await ingest?.stop('SIGKILL')
  })

  it('every event answered 2xx is on the raw topic, whatever the kills', async () => {
    const prefix = `${uniqueName('crash')}.`
    const raw = `${prefix}events.raw`
    const kafka = testKafka()
    const admin = await kafka.admin()
    await admin.createTopics([
      { topic: raw, partitions: 6 },
      { topic: `${prefix}dlq`, partitions: 1 },
    ])
    const env = {
      KAFKA_BROKERS: brokers().join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      INGEST_HTTP_PORT: String(19_500 + (process.pid % 300)),
      INGEST_RATE_LIMIT_PER_SEC: '10000000',
      INGEST_RATE_LIMIT_BURST: '10000000',
    }
    ingest = await startIngest(env)
    const base = ingest.base
    const batches = Array.from({ length: TOTAL / BATCH }, (_, b) =>
      Array.from({ length: BATCH }, (_, i) => ({
        event_id: randomUUID(),
        event: 'page_view',
        anonymous_id: `d${(b * BATCH + i) % 5000}`,
      })),
    )
    const acknowledged = new Set<string>()
    let failures = 0
    let next = 0

    // A client that retries: resend the same batch (same event ids) until it gets a 2xx.
    const sender = async () => {
      while (next < batches.length) {
        const batch = batches[next++] as (typeof batches)[number]
        for (;;) {
          try {
            const res = await fetch(`${base}/v1/events`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: basicAuth(DEV_KEY) },
              body: JSON.stringify({ events: batch }),
            })
            await res.arrayBuffer()
            if (res.status === 200) {
              for (const e of batch) acknowledged.add(e.event_id)
              break
            }
          } catch {
            // connection refused or reset: the process is down
          }
          failures++
          await new Promise((r) => setTimeout(r, 50))
        }
      }
    }
    const killer = async () => {
      for (const at of KILL_AT) {
        await waitFor(() => acknowledged.size >= at, {
          what: `${at} acknowledged`,
          timeoutMs: 120_000,
          intervalMs: 20,
        })
        await ingest?.stop('SIGKILL')
        process.stdout.write(`[ingest crash] SIGKILL at ${acknowledged.size} acknowledged events\n`)
        ingest = await startIngest(env)
      }
    }
    const started = Date.now()
    await Promise.all([killer(), ...Array.from({ length: SENDERS }, sender)])
    expect(acknowledged.size).toBe(TOTAL)

    const decoder = await createDecoder<Event>(fileRegistry(builtInCatalog()), SUBJECTS.event)
    const onTopic = new Set<string>()
    let messages = 0
    const consumer = await kafka.consumer({ groupId: uniqueName('crash_reader') })
    await consumer.subscribe([raw], true)
    await consumer.run(
      async (b) => {
        for (const d of await decoder.decodeAll(b.messages.map((m) => m.value)))
          if (d.ok) onTopic.add(d.value.event_id)
        messages += b.messages.length
        await b.commit((BigInt(b.lastOffset) + 1n).toString())
      },
      { partitionsConsumedConcurrently: 6 },
    )
    const ends = await admin.fetchTopicOffsets(raw)
    const total = ends.reduce((n, e) => n + Number(e.high), 0)
    await waitFor(() => messages >= total, { what: 'the whole raw topic read', timeoutMs: 120_000 })
    await consumer.stop()
    await consumer.disconnect()
    await admin.disconnect()
    const missing = [...acknowledged].filter((id) => !onTopic.has(id))
    process.stdout.write(
      `[ingest crash] ${TOTAL} events acknowledged in ${Date.now() - started} ms with 2 kills; ${failures} failed attempts retried; ` +
        `${messages} messages on the topic (${messages - onTopic.size} duplicates from retries); ${missing.length} missing\n`,
    )
    expect(missing).toEqual([])
  })
})

import { createHash } from 'node:crypto'
import { prefixedTopicNames } from '@opstream/runtime/config'
import { createDecoder, createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { Event } from '@opstream/runtime/contract/generated/event'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import type { AdminHandle, KafkaClient } from '@opstream/runtime/kafka-types'
import { brokers, committedToEnd, testKafka, uniqueName, waitFor } from '@opstream/runtime/testing/stack'
import { ensureTopics, pipelineTopics } from '@opstream/runtime/topics'
import { afterAll, describe, expect, it } from 'vitest'
import { type EnrichProcess, startEnrich } from './testing/enrich-process.ts'
import { deviceEventStream } from './testing/event-stream.ts'

const EVENTS = Number(process.env.ENRICH_CRASH_EVENTS ?? 200_000)
const PARTITIONS = 6
const registry = fileRegistry(builtInCatalog())
const log = (line: string) => process.stdout.write(`[enrich crash] ${line}\n`)

interface Output {
  /** event_id → hashes of (key, value) of every copy. */
  copies: Map<string, Set<string>>
  /** person key → nth_purchase of each purchase event (first copy). */
  nth: Map<string, number[]>
}

async function readEnriched(kafka: KafkaClient, topic: string, expected: number): Promise<Output> {
  const decoder = await createDecoder<EnrichedEvent>(registry, SUBJECTS.enrichedEvent)
  const copies = new Map<string, Set<string>>()
  const nth = new Map<string, number[]>()
  let read = 0
  const consumer = await kafka.consumer({ groupId: uniqueName('crash_reader') })
  await consumer.subscribe([topic], true)
  await consumer.run(
    async (b) => {
      const decoded = await decoder.decodeAll(b.messages.map((m) => m.value))
      b.messages.forEach((m, i) => {
        const d = decoded[i]
        if (!d?.ok) throw new Error('undecodable output')
        const id = d.value.event.event_id
        const h = createHash('sha1')
          .update(m.key ?? '')
          .update('\n')
          .update(m.value ?? '')
          .digest('hex')
        const seen = copies.get(id)
        if (!seen && d.value.counters.nth_purchase !== null) {
          nth.set(d.value.person_key, [...(nth.get(d.value.person_key) ?? []), d.value.counters.nth_purchase])
        }
        copies.set(id, (seen ?? new Set()).add(h))
      })
      read += b.messages.length
      await b.commit((BigInt(b.lastOffset) + 1n).toString())
    },
    { partitionsConsumedConcurrently: PARTITIONS },
  )
  await waitFor(() => read >= expected, { what: `${expected} output messages read`, timeoutMs: 120_000 })
  await consumer.stop()
  await consumer.disconnect()
  return { copies, nth }
}

async function messagesIn(admin: AdminHandle, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0)
}

describe('enrich under SIGKILL, both stages', () => {
  const running: EnrichProcess[] = []
  afterAll(async () => {
    for (const r of running) await r.stop('SIGKILL')
  })

  it('enriched output deduplicated by event_id equals a run without kills; no nth purchase skipped or doubled', {
    timeout: 900_000,
  }, async () => {
    const kafka = testKafka()
    const admin = await kafka.admin()
    const input = uniqueName('enrich_crash_in')
    await admin.createTopics([{ topic: input, partitions: PARTITIONS }])
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
    // The truth the counters must match: each user's invest events, counted on the input.
    const invests = new Map<string, number>()
    for (const e of events) {
      if (e.event === 'invest' && e.user_id) invests.set(e.user_id, (invests.get(e.user_id) ?? 0) + 1)
    }

    /** At each threshold (attributed events written so far), both stages are killed at once. */
    const run = async (label: string, killAt: number[]) => {
      const prefix = `${uniqueName(label)}.`
      const names = { ...prefixedTopicNames(prefix), eventsRaw: input }
      await ensureTopics(admin, pipelineTopics(names, PARTITIONS))
      const env = (stage: string) => ({
        KAFKA_BROKERS: brokers().join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_TOPIC_EVENTS_RAW: input,
        ENRICH_STAGES: stage,
      })
      const start = async () => {
        const started = await Promise.all([startEnrich(env('attribute')), startEnrich(env('profile'))])
        running.push(...started)
        return started
      }
      let procs = await start()
      for (const at of killAt) {
        await waitFor(async () => (await messagesIn(admin, names.eventsAttributed)) >= at, {
          what: `${at} attributed events`,
          timeoutMs: 180_000,
          intervalMs: 50,
        })
        await Promise.all(procs.map((p) => p.stop('SIGKILL')))
        const attributed = await messagesIn(admin, names.eventsAttributed)
        const enriched = await messagesIn(admin, names.eventsEnriched)
        log(`SIGKILL both stages at ${attributed} attributed, ${enriched} enriched`)
        // Mid-stream for both, or the kill proved nothing.
        expect(attributed).toBeLessThan(EVENTS)
        expect(enriched).toBeLessThan(EVENTS)
        procs = await start()
      }
      await waitFor(() => committedToEnd(admin, `${prefix}enrich.attribute`, input), {
        what: 'raw events committed to their end',
        timeoutMs: 300_000,
        intervalMs: 500,
      })
      await waitFor(() => committedToEnd(admin, `${prefix}enrich.profile`, names.eventsAttributed), {
        what: 'attributed events committed to their end',
        timeoutMs: 300_000,
        intervalMs: 500,
      })
      await Promise.all(procs.map((p) => p.stop()))
      const total = await messagesIn(admin, names.eventsEnriched)
      log(
        `${label}: ${await messagesIn(admin, names.eventsAttributed)} attributed, ${total} enriched messages`,
      )
      return readEnriched(kafka, names.eventsEnriched, total)
    }

    const clean = await run('clean', [])
    const killed = await run('killed', [Math.round(EVENTS * 0.25), Math.round(EVENTS * 0.6)])
    await admin.disconnect()
    expect(clean.copies.size).toBe(EVENTS)
    expect(killed.copies.size).toBe(EVENTS)
    const differing: string[] = []
    for (const [id, hashes] of killed.copies) {
      const reference = [...(clean.copies.get(id) ?? [])]
      if (reference.length !== 1 || hashes.size !== 1 || [...hashes][0] !== reference[0]) differing.push(id)
    }
    log(`${differing.length} event ids differ between the runs`)
    expect(differing.slice(0, 5)).toEqual([])
    // Every user's purchases are numbered 1..n exactly once, n = the user's invest events.
    let purchases = 0
    const wrong: string[] = []
    for (const [user, n] of invests) {
      const got = [...(killed.nth.get(user) ?? [])].sort((a, b) => a - b)
      purchases += got.length
      if (got.length !== n || got.some((v, i) => v !== i + 1)) wrong.push(user)
    }
    log(`${invests.size} investing users, ${purchases} purchases numbered`)
    expect(purchases).toBeGreaterThan(EVENTS / 50)
    expect(wrong.slice(0, 5)).toEqual([])
  })
})

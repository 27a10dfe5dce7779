import { createHash } from 'node:crypto'
import { prefixedTopicNames, stageNames } from '@opstream/runtime/config'
import { createDecoder, createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { Event } from '@opstream/runtime/contract/generated/event'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import type { AdminHandle, KafkaClient } from '@opstream/runtime/kafka-types'
import { brokers, committedToEnd, testKafka, uniqueName, waitFor } from '@opstream/runtime/testing/stack'
import { ensureTopics, pipelineTopics } from '@opstream/runtime/topics'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EnrichProcess, startEnrich } from '../test/support/enrich-process.ts'
import { deviceEventStream } from '../test/support/event-stream.ts'

const EVENTS = Number(process.env.ENRICH_CRASH_EVENTS ?? 200_000)
const PARTITIONS = 6
const registry = fileRegistry(builtInCatalog())
const log = (line: string) => process.stdout.write(`[enrich crash] ${line}\n`)

interface Output {
  /** event_id → hashes of (key, value) of every copy. */
  copies: Map<string, Set<string>>
  /** person key → nth_purchase of each purchase event (first copy). */
  nth: Map<string, number[]>
  /** Records on the output topic. */
  messages: number
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
  return { copies, nth, messages: read }
}

async function messagesIn(admin: AdminHandle, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0)
}

type Step = { at: number; action: 'kill' | 'scale-out' | 'scale-in' }

/**
 * One pass of the 200k-event stream through both stages, run as separate processes. At each
 * step's threshold (attributed events written so far) both stages are SIGKILLed and restarted,
 * or get a second instance in their consumer groups, or lose one (SIGTERM).
 */
async function runPipeline(
  ctx: { kafka: KafkaClient; admin: AdminHandle; input: string; running: EnrichProcess[] },
  label: string,
  steps: Step[],
): Promise<Output> {
  const { admin, input } = ctx
  const prefix = `${uniqueName(label)}.`
  const names = { ...prefixedTopicNames(prefix), eventsRaw: input }
  await ensureTopics(admin, pipelineTopics(names, PARTITIONS))
  const env = (stage: string) => ({
    KAFKA_BROKERS: brokers().join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_TOPIC_EVENTS_RAW: input,
    ENRICH_STAGES: stage,
    // A killed member's partitions move after 6 s instead of 30.
    CONSUMER_SESSION_TIMEOUT_MS: '6000',
  })
  const start = async () => {
    const started = await Promise.all([startEnrich(env('attribute')), startEnrich(env('profile'))])
    ctx.running.push(...started)
    return started
  }
  let procs = await start()
  let extra: EnrichProcess[] = []
  for (const step of steps) {
    await waitFor(async () => (await messagesIn(admin, names.eventsAttributed)) >= step.at, {
      what: `${step.at} attributed events`,
      timeoutMs: 180_000,
      intervalMs: 50,
    })
    // Counted when the step begins: starting or stopping a process gracefully takes seconds,
    // in which the stages may reach the end of the stream.
    const attributed = await messagesIn(admin, names.eventsAttributed)
    const enriched = await messagesIn(admin, names.eventsEnriched)
    if (step.action === 'kill') await Promise.all(procs.map((p) => p.stop('SIGKILL')))
    if (step.action === 'scale-out') extra = await start()
    if (step.action === 'scale-in') await Promise.all(extra.map((p) => p.stop('SIGTERM')))
    log(`${label}: ${step.action} at ${attributed} attributed, ${enriched} enriched`)
    // Mid-stream for both stages, or the step proved nothing.
    expect(attributed).toBeLessThan(EVENTS)
    expect(enriched).toBeLessThan(EVENTS)
    if (step.action === 'kill') procs = await start()
  }
  await waitFor(() => committedToEnd(admin, stageNames(prefix).groups.attribute, input), {
    what: 'raw events committed to their end',
    timeoutMs: 300_000,
    intervalMs: 500,
  })
  await waitFor(() => committedToEnd(admin, `${prefix}enrich.profile`, names.eventsAttributed), {
    what: 'attributed events committed to their end',
    timeoutMs: 300_000,
    intervalMs: 500,
  })
  await Promise.all([...procs, ...extra].map((p) => p.stop()))
  const total = await messagesIn(admin, names.eventsEnriched)
  log(`${label}: ${await messagesIn(admin, names.eventsAttributed)} attributed, ${total} enriched messages`)
  return readEnriched(ctx.kafka, names.eventsEnriched, total)
}

/** Event ids whose enriched record (key and bytes) is not exactly the reference's. */
function differing(reference: Output, other: Output): string[] {
  const out: string[] = []
  for (const [id, hashes] of other.copies) {
    const ref = [...(reference.copies.get(id) ?? [])]
    if (ref.length !== 1 || hashes.size !== 1 || [...hashes][0] !== ref[0]) out.push(id)
  }
  return out
}

describe('enrich under SIGKILL and rebalances, both stages', () => {
  const ctx = { kafka: testKafka(), input: uniqueName('enrich_crash_in'), running: [] as EnrichProcess[] }
  let admin: AdminHandle
  let clean: Output
  const invests = new Map<string, number>()

  beforeAll(async () => {
    admin = await ctx.kafka.admin()
    await admin.createTopics([{ topic: ctx.input, partitions: PARTITIONS }])
    const encoder = await createEncoder<Event>(registry, SUBJECTS.event)
    const producer = await ctx.kafka.producer()
    const events = deviceEventStream({ events: EVENTS, devices: 20_000 })
    for (let i = 0; i < events.length; i += 5_000) {
      await producer.send(
        ctx.input,
        events.slice(i, i + 5_000).map((e) => ({ key: e.anonymous_id, value: encoder.encode(e) })),
      )
    }
    await producer.disconnect()
    // The truth the counters must match: each user's invest events, counted on the input.
    for (const e of events) {
      if (e.event === 'invest' && e.user_id) invests.set(e.user_id, (invests.get(e.user_id) ?? 0) + 1)
    }
    clean = await runPipeline({ ...ctx, admin }, 'clean', [])
    expect(clean.copies.size).toBe(EVENTS)
  }, 600_000)

  afterAll(async () => {
    for (const r of ctx.running) await r.stop('SIGKILL')
    await admin?.disconnect()
  })

  it('killed twice per stage: output equals the clean run, each event once; no nth purchase skipped or doubled', {
    timeout: 600_000,
  }, async () => {
    const killed = await runPipeline({ ...ctx, admin }, 'killed', [
      { at: Math.round(EVENTS * 0.25), action: 'kill' },
      { at: Math.round(EVENTS * 0.6), action: 'kill' },
    ])
    expect(killed.copies.size).toBe(EVENTS)
    // The attribute stage's repeated output is dropped by event_id, the profile stage's own by
    // the tail of its output partition: no event comes out twice.
    expect(killed.messages).toBe(EVENTS)
    const diff = differing(clean, killed)
    log(`killed: ${diff.length} event ids differ from the clean run`)
    expect(diff.slice(0, 5)).toEqual([])
    // Every user's purchases are numbered 1..n exactly once, n = the user's invest events.
    let purchases = 0
    const wrong: string[] = []
    for (const [user, n] of invests) {
      const got = [...(killed.nth.get(user) ?? [])].sort((a, b) => a - b)
      purchases += got.length
      if (got.length !== n || got.some((v, i) => v !== i + 1)) wrong.push(user)
    }
    log(`killed: ${invests.size} investing users, ${purchases} purchases numbered`)
    expect(purchases).toBeGreaterThan(EVENTS / 50)
    expect(wrong.slice(0, 5)).toEqual([])
  })

  it('two instances per stage, joining and leaving mid-stream: output equals one instance’s', {
    timeout: 600_000,
  }, async () => {
    const scaled = await runPipeline({ ...ctx, admin }, 'scaled', [
      { at: Math.round(EVENTS * 0.2), action: 'scale-out' },
      { at: Math.round(EVENTS * 0.55), action: 'scale-in' },
    ])
    expect(scaled.copies.size).toBe(EVENTS)
    const diff = differing(clean, scaled)
    log(`scaled: ${diff.length} event ids differ from the single-instance run`)
    expect(diff.slice(0, 5)).toEqual([])
  })
})

import { readPartitionsToEnd } from '@opstream/runtime/changelog-reader'
import type { ClickHouseClient } from '@opstream/runtime/clickhouse-client'
import type { HandlerContext } from '@opstream/runtime/consumer-runner'
import { createDecoder, createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import type { InboundMessage } from '@opstream/runtime/kafka-types'
import { runMigrations } from '@opstream/runtime/migrations'
import { createStateStores } from '@opstream/runtime/state-store'
import { testClickHouse, testKafka, testLogger, uniqueName } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, it } from 'vitest'
import { asInbound, enrichedStream } from '../test/support/enriched-stream.ts'
import { expectFunnelsExact } from '../test/support/funnel-checks.ts'
import { createClickHouseSink } from './adapters/clickhouse-sink.ts'
import { createFunnelDerivers } from './adapters/funnel-deriver.ts'
import { createFunnelHistory } from './adapters/funnel-history.ts'
import { loadFunnels } from './adapters/funnels-file.ts'
import { personFunnelsStateCodec } from './adapters/person-funnels-state-codec.ts'
import { eventsTable, stitchTable } from './adapters/sink-tables.ts'
import { stitchRecord } from './adapters/stitch-messages.ts'
import { createTriggerTimers } from './adapters/trigger-timers.ts'

const MIGRATIONS = new URL('../../../infra/clickhouse/', import.meta.url).pathname

/**
 * The aggregate's sink retries a chunk in the same process when an INSERT fails. Its funnel
 * state must be rolled back first, or the retry would find the chunk's events applied and
 * derive no funnel rows for them. Here every funnel_progress INSERT fails once; afterwards
 * every person's funnel level still equals ClickHouse's windowFunnel over the raw events.
 */
describe('the aggregate sink retrying after a failed INSERT', () => {
  const kafka = testKafka()
  const stops: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const s of stops.reverse()) await s()
  })

  it('derives every funnel row on the retry', async () => {
    const ch = await testClickHouse()
    stops.push(() => ch.close())
    const log = testLogger()
    await runMigrations(ch.client, MIGRATIONS, log)
    const admin = await kafka.admin()
    stops.push(() => admin.disconnect())
    const [changelog, stitch, triggers] = [
      uniqueName('funnels'),
      uniqueName('stitch'),
      uniqueName('triggers'),
    ]
    await admin.createTopics([
      { topic: changelog, partitions: 1, compacted: true },
      { topic: stitch, partitions: 1 },
      { topic: triggers, partitions: 1 },
    ])
    const producer = await kafka.producer()
    stops.push(() => producer.disconnect())

    // Every INSERT into funnel_progress fails the first time it is tried.
    let failures = 0
    const tried = new Set<string>()
    const flaky = new Proxy(ch.client, {
      get(target, prop, receiver) {
        if (prop !== 'command') return Reflect.get(target, prop, receiver)
        return async (params: Parameters<ClickHouseClient['command']>[0]) => {
          // A retry derives the same rows again (only their version numbers move on).
          const attempt = `${params.query.slice(0, params.query.indexOf('\n'))}/${params.query.length}`
          if (params.query.startsWith('INSERT INTO funnel_progress') && !tried.has(attempt)) {
            tried.add(attempt)
            failures++
            throw new Error('ClickHouse unavailable')
          }
          return target.command(params)
        }
      },
    })
    const file = loadFunnels()
    const registry = fileRegistry(builtInCatalog())
    let version = 0
    const funnels = createFunnelDerivers({
      stores: createStateStores({
        kafka,
        producer,
        changelogTopic: changelog,
        codec: personFunnelsStateCodec(),
        log,
      }),
      file,
      send: async (messages) => {
        await producer.send(stitch, messages.map(stitchRecord))
      },
      history: createFunnelHistory(ch.client, file),
      triggers: createTriggerTimers({
        rules: file.triggers,
        allowedLateness: file.allowedLateness,
        send: async (fired) => {
          await producer.send(
            triggers,
            fired.map((f) => ({ key: f.key, value: null })),
          )
        },
      }),
      version: () => ++version,
    })
    const group = uniqueName('aggregate')
    const eventsSink = createClickHouseSink({
      client: flaky,
      group,
      topic: 'enriched',
      target: eventsTable(await createDecoder<EnrichedEvent>(registry, SUBJECTS.enrichedEvent)),
      derived: funnels.events,
    })
    const stitchSink = createClickHouseSink({
      client: flaky,
      group,
      topic: stitch,
      target: stitchTable,
      derived: funnels.stitch,
    })
    const ctx = (topic: string): HandlerContext => ({ topic, partition: 0, log, heartbeat: async () => {} })
    /** As the consumer runner does: a chunk whose handler throws is handed over again. */
    const deliver = async (sink: typeof eventsSink, messages: InboundMessage[], topic: string) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await sink(messages, ctx(topic))
        } catch (err) {
          if (attempt >= 3) throw err
        }
      }
    }

    const encoder = await createEncoder<EnrichedEvent>(registry, SUBJECTS.enrichedEvent)
    const stream = enrichedStream({ events: 3_000, persons: 300 })
    const messages = asInbound(stream, (e) => encoder.encode(e))
    let stitched = 0
    for (let i = 0; i < messages.length; i += 500) {
      await deliver(eventsSink, messages.slice(i, i + 500), 'enriched')
      // Claims, hand-overs and forwarded events go round the stitch topic until it is quiet.
      for (;;) {
        const all: InboundMessage[] = []
        await readPartitionsToEnd({
          kafka,
          topic: stitch,
          partitions: [0],
          onMessages: (b) => all.push(...b),
        })
        const fresh = all.slice(stitched)
        if (fresh.length === 0) break
        stitched = all.length
        await deliver(stitchSink, fresh, stitch)
      }
    }
    expect(failures).toBeGreaterThan(5)
    await expectFunnelsExact(ch.client, (line) => log.info(line))
  })
})

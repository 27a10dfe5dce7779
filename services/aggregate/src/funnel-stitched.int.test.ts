import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import { seededRandom } from '@opstream/runtime/testing/seeded-random'
import { testKafka, waitFor } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, it } from 'vitest'
import { type AggregateProcess, startAggregate } from '../test/support/aggregate-process.ts'
import { caughtUp, produceEnriched, setUpAggregate } from '../test/support/aggregate-setup.ts'
import { enrichedStream } from '../test/support/enriched-stream.ts'
import { expectFunnelsExact } from '../test/support/funnel-checks.ts'
import { loadFunnels } from './adapters/funnels-file.ts'

const log = (line: string) => process.stdout.write(`[stitched funnels] ${line}\n`)

/**
 * Delivery as a real pipeline may deliver: each event at most 0.9 × the allowed lateness after
 * the newer events of its person key, and one in ten events twice (a client retry that reached
 * the topic twice).
 */
function deliveryOrder(events: EnrichedEvent[], latenessMs: number): EnrichedEvent[] {
  const rand = seededRandom(17)
  const timed = events.flatMap((e) => {
    const at = e.event.occurred_at.getTime() + rand() * 0.9 * latenessMs
    const copies = [{ e, at }]
    if (rand() < 0.1) copies.push({ e, at: at + rand() * 0.9 * latenessMs })
    return copies
  })
  return timed.sort((a, b) => a.at - b.at).map((t) => t.e)
}

describe('funnels over stitched timelines, through the aggregate', () => {
  const running: AggregateProcess[] = []
  const admin = testKafka().admin()
  afterAll(async () => {
    for (const r of running) await r.stop('SIGKILL')
    await (await admin).disconnect()
  })

  it('100,000 events shuffled within the lateness, partly twice: every level equals windowFunnel', {
    timeout: 300_000,
  }, async () => {
    const a = await admin
    const { names, target, env, prefix } = await setUpAggregate(a, 'stitched')
    const events = enrichedStream({ events: 100_000, persons: 8_000, seed: 23 })
    const delivered = deliveryOrder(events, loadFunnels().allowedLateness)
    const displaced = delivered.filter(
      (e, i) => i > 0 && e.event.occurred_at < (delivered[i - 1] as EnrichedEvent).event.occurred_at,
    )
    log(`${delivered.length} messages, ${displaced.length} delivered after a newer one`)
    expect(delivered.length).toBeGreaterThan(105_000)
    await produceEnriched(names.eventsEnriched, delivered)
    const agg = await startAggregate(env)
    running.push(agg)
    await waitFor(() => caughtUp(a, prefix, names.eventsEnriched), {
      what: 'aggregate caught up',
      timeoutMs: 240_000,
      intervalMs: 250,
    })
    expect(await agg.stop()).toBe(0)
    await expectFunnelsExact(target, log)
  })
})

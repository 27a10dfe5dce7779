/**
 * Client retries end to end: 50,000 devices' events with 5 % of the messages sent again 1 minute,
 * 1 hour, 6 hours and 23 hours (by ingest's clock) after the first, the person's later events
 * arriving in between, through both enrich stages and the aggregate into ClickHouse. `events`
 * must hold each event_id once and the rollups what the unique messages imply, after the first
 * half of the traffic and again after the second, the profile stage restarted between them
 * (SIGTERM: its windows come back from the changelog, and retries of the first half's events
 * arrive in the second) and SIGKILLed twice during the last quarter, which runs days of receipt
 * time past the window (idle persons' windows are emptied meanwhile).
 */
import { type AggregateProcess, startAggregate } from '@opstream/aggregate/testing/aggregate-process'
import { caughtUp, setUpAggregate } from '@opstream/aggregate/testing/aggregate-setup'
import { units } from '@opstream/aggregate/testing/money-units'
import { type EnrichProcess, startEnrich } from '@opstream/enrich/testing/enrich-process'
import { deviceEventStream } from '@opstream/enrich/testing/event-stream'
import { readPersonChangelog } from '@opstream/enrich/testing/person-changelog'
import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import { stageNames } from '@opstream/runtime/config'
import { createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { Event } from '@opstream/runtime/contract/generated/event'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import type { AdminHandle } from '@opstream/runtime/kafka-types'
import { committedToEnd, testClickHouse, testKafka, waitFor } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, it } from 'vitest'

const EVENTS = 60_000
const DEVICES = 50_000
/** The deduplication window the stage runs with (DEDUP_WINDOW's default). */
const WINDOW_S = 24 * 3_600
/** The grace the profile stage holds its receipt watermark back by (its RECEIPT_GRACE_S). */
const GRACE_S = 600
const DELAYS = [60_000, 3_600_000, 6 * 3_600_000, 23 * 3_600_000]
/**
 * Rounds of new devices' traffic at the end, each a chunk per partition and so a sweep (of at
 * most 2,000 persons); each round large enough to reach every partition.
 */
const TAIL_ROUNDS = 6
const TAIL = 400
const log = (line: string) => process.stdout.write(`[client retries] ${line}\n`)

/** Every 20th message sent again, after the next delay in turn; all in order of receipt. */
function withRetries(events: Event[]): { sent: Event[]; repeats: number } {
  const repeats = events
    .filter((_, i) => i % 20 === 7)
    .map((e, i) => ({
      ...e,
      received_at: new Date(e.received_at.getTime() + (DELAYS[i % DELAYS.length] as number)),
    }))
  const sent = [...events, ...repeats].sort((a, b) => a.received_at.getTime() - b.received_at.getTime())
  return { sent, repeats: repeats.length }
}

/**
 * Persons (keyed as stage 1 keys them, roughly: user, else device) whose newest event was received
 * before `beforeMs` (`sent` is in order of receipt).
 */
function idlePersons(sent: Event[], beforeMs: number): number {
  const newest = new Map<string, number>()
  for (const e of sent) newest.set(e.user_id ?? e.anonymous_id, e.received_at.getTime())
  return [...newest.values()].filter((t) => t < beforeMs).length
}

/** A counter's value on a service's /metrics page. */
async function counter(p: EnrichProcess, name: string): Promise<number> {
  const page = await (await fetch(`${p.base}/metrics`)).text()
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)$`, 'm').exec(page)
  return Number(m?.[1] ?? -1)
}

/** The numbers the unique messages imply, in plain code. */
function expected(events: Event[]) {
  const invests = events.filter((e) => e.event === 'invest' && e.purchase)
  const perUser = new Map<string, number>()
  for (const e of invests) if (e.user_id) perUser.set(e.user_id, (perUser.get(e.user_id) ?? 0) + 1)
  const amount = invests.reduce((n, e) => n + units(e.purchase?.amount ?? '0'), 0n)
  return {
    events: events.length,
    registrations: events.filter((e) => e.event === 'register').length,
    investments: invests.length,
    firstInvestments: perUser.size,
    amount: `${amount / 10_000n}.${(amount % 10_000n).toString().padStart(4, '0')}`,
    perUser,
  }
}

async function totals(c: ClickHouseClient) {
  const [raw] = await queryRows<{ rows: number; ids: number }>(
    c,
    'SELECT toUInt32(count()) AS rows, toUInt32(uniqExact(event_id)) AS ids FROM events',
  )
  const [rollup] = await queryRows<{
    registrations: number
    investments: number
    first: number
    amount: string
  }>(
    c,
    `SELECT toUInt32(sum(registrations)) AS registrations, toUInt32(sum(investments)) AS investments,
            toUInt32(sum(first_investments)) AS first, toDecimalString(sum(invested_amount), 4) AS amount
     FROM channel_daily`,
  )
  return { raw, rollup }
}

describe('client retries within the deduplication window', () => {
  const kafka = testKafka()
  const running: Array<EnrichProcess | AggregateProcess> = []
  const closers: Array<() => Promise<unknown>> = []
  afterAll(async () => {
    for (const p of running) await p.stop('SIGKILL')
    for (const c of closers) await c()
  })

  it('never count twice, also across a restart of the profile stage and two SIGKILLs', {
    timeout: 600_000,
  }, async () => {
    const admin: AdminHandle = await kafka.admin()
    closers.push(() => admin.disconnect())
    const setup = await setUpAggregate(admin, 'retries', 6)
    const stage = (name: string) =>
      startEnrich({ ...setup.env, ENRICH_STAGES: name, CONSUMER_SESSION_TIMEOUT_MS: '6000' })
    const events = deviceEventStream({ events: EVENTS, devices: DEVICES, seed: 11 })
    const { sent, repeats } = withRetries(events)
    const encoder = await createEncoder<Event>(fileRegistry(builtInCatalog()), SUBJECTS.event)
    const producer = await kafka.producer()
    const send = async (batch: Event[]) => {
      for (let i = 0; i < batch.length; i += 5_000)
        await producer.send(
          setup.names.eventsRaw,
          batch.slice(i, i + 5_000).map((e) => ({ key: e.anonymous_id, value: encoder.encode(e) })),
        )
    }
    closers.push(() => producer.disconnect())
    const ch = await testClickHouse(setup.target.database)
    closers.push(() => ch.close())

    running.push(await stage('attribute'))
    let profile = await stage('profile')
    running.push(profile, await startAggregate(setup.env))
    const drained = async (n: number) => {
      await waitFor(
        async () =>
          (await committedToEnd(admin, stageNames(setup.prefix).groups.attribute, setup.names.eventsRaw)) &&
          (await committedToEnd(admin, `${setup.prefix}enrich.profile`, setup.names.eventsAttributed)) &&
          (await caughtUp(admin, setup.prefix, setup.names.eventsEnriched)),
        { what: `${n} messages through the pipeline`, timeoutMs: 300_000, intervalMs: 500 },
      )
    }
    const check = async (part: Event[], label: string) => {
      const ids = new Set(part.map((e) => e.event_id))
      const unique = expected(events.filter((e) => ids.has(e.event_id)))
      const got = await totals(ch.client)
      log(`${label}: ${part.length} sent, ${unique.events} unique, ${got.raw?.rows} rows in events`)
      expect(got.raw).toEqual({ rows: unique.events, ids: unique.events })
      expect(got.rollup).toEqual({
        registrations: unique.registrations,
        investments: unique.investments,
        first: unique.firstInvestments,
        amount: unique.amount,
      })
      return unique
    }

    const half = Math.floor(sent.length / 2)
    const firstPart = sent.slice(0, half)
    await send(firstPart)
    await drained(half)
    await check(firstPart, 'first half')
    // Restarted: the windows come back from the changelog, and the first half's retries follow.
    expect(await profile.stop()).toBe(0)
    profile = await stage('profile')
    running.push(profile)
    const quarter = Math.floor((sent.length * 3) / 4)
    const thirdPart = sent.slice(half, quarter)
    const ids = new Set(firstPart.map((e) => e.event_id))
    const carried = thirdPart.filter((e) => ids.has(e.event_id)).length
    log(`${repeats} repeats in all, ${carried} of them of events of the first half, sent after the restart`)
    expect(carried).toBeGreaterThan(50)
    await send(thirdPart)
    await drained(quarter)
    await check(sent.slice(0, quarter), 'three quarters')
    // The restarted profile process counted every retry it dropped: each copy of the third
    // quarter whose event_id came before.
    const before = new Set<string>()
    let retriesAfterRestart = 0
    sent.slice(0, quarter).forEach((e, i) => {
      if (i >= half && before.has(e.event_id)) retriesAfterRestart++
      before.add(e.event_id)
    })
    expect(await counter(profile, 'enrich_duplicate_events_total')).toBe(retriesAfterRestart)

    // The last quarter, the profile stage SIGKILLed twice while it flows (and its retries with it).
    const lastPart = sent.slice(quarter)
    const enriched = async () =>
      (await admin.fetchTopicOffsets(setup.names.eventsEnriched)).reduce((n, o) => n + Number(o.high), 0)
    const base = await enriched()
    let fresh = 0
    let emptied = 0
    for (const e of lastPart) {
      if (!before.has(e.event_id)) fresh++
      before.add(e.event_id)
    }
    const sending = send(lastPart)
    for (const share of [0.3, 0.65]) {
      const at = base + Math.round(fresh * share)
      await waitFor(async () => (await enriched()) >= at, {
        what: `${at} enriched events`,
        timeoutMs: 120_000,
        intervalMs: 20,
      })
      emptied += await counter(profile, 'enrich_dedup_windows_emptied_total')
      await profile.stop('SIGKILL')
      const written = await enriched()
      log(`profile stage SIGKILLed at ${written - base} of ${fresh} new enriched events`)
      expect(written).toBeLessThan(base + fresh)
      profile = await stage('profile')
      running.push(profile)
    }
    await sending
    await drained(sent.length)
    const unique = await check(sent, 'all')
    // Every user's purchases numbered 1…n once, n the user's unique invest events.
    const numbered = await queryRows<{ user_id: string; nth: number[] }>(
      ch.client,
      `SELECT user_id, arraySort(groupArray(assumeNotNull(nth_purchase))) AS nth FROM events
       WHERE nth_purchase IS NOT NULL GROUP BY user_id`,
    )
    const wrong = numbered.filter(
      (r) => r.nth.length !== unique.perUser.get(r.user_id) || r.nth.some((n, i) => n !== i + 1),
    )
    expect(numbered.length).toBe(unique.perUser.size)
    expect(wrong.slice(0, 5)).toEqual([])

    // The last quarter ran days of receipt time past the window, and the sweep (behind the
    // receipt watermark) emptied idle persons' windows meanwhile, while the checks above held.
    // New devices' traffic follows, a second after the last event and then a day later (the
    // stream's own newest persons have aged by then too): every partition's watermark moves past
    // the window of every event above, and the sweeps before its chunks reach every person.
    const end = sent.at(-1)?.received_at.getTime() ?? 0
    const views = events.filter((e) => e.event === 'page_view')
    const tailAt = (round: number) => end + 1_000 + (round < 2 ? 0 : (WINDOW_S + GRACE_S) * 1000)
    for (let round = 0; round < TAIL_ROUNDS; round++) {
      const tail = views.slice(round * TAIL, (round + 1) * TAIL).map((e, i) => ({
        ...e,
        event_id: `00000000-0000-4000-9000-${(round * TAIL + i).toString(16).padStart(12, '0')}`,
        anonymous_id: `tail-device-${round * TAIL + i}`,
        user_id: null,
        received_at: new Date(tailAt(round)),
      }))
      await send(tail)
      await drained(sent.length + (round + 1) * TAIL)
    }
    emptied += await counter(profile, 'enrich_dedup_windows_emptied_total')
    // What a restore would bring back: no person holds an id of the stream above, each received
    // more than the window before the watermark (less its grace, and a few seconds' margin).
    const persons = [
      ...(
        await readPersonChangelog(kafka, admin, stageNames(setup.prefix).internal.personsChangelog)
      ).values(),
    ]
    const horizonS = Math.floor(tailAt(TAIL_ROUNDS - 1) / 1000) - WINDOW_S - GRACE_S - 10
    const stale = persons.filter((p) => p.seen.seconds.some((s) => s < horizonS)).length
    const empty = persons.filter((p) => p.seen.seconds.length === 0).length
    const idle = idlePersons(sent, horizonS * 1000)
    log(
      `${emptied} windows emptied by the sweep, of ${idle} persons idle for over a window; on the changelog ` +
        `${persons.length} persons, ${empty} with an empty window, ${stale} holding ids past the window`,
    )
    expect(stale).toBe(0)
    // Every idle person's window was emptied by a sweep (their own next event would have added an
    // id); the count by user, else device, is a little off the stage's person keys.
    expect(emptied).toBeGreaterThanOrEqual(Math.floor(idle * 0.9))
  })
})

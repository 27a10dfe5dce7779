import { execFile } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { createDecoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { Channel } from '@opstream/runtime/contract/generated/channel'
import type { DlqRecord } from '@opstream/runtime/contract/generated/dlq-record'
import type { Event } from '@opstream/runtime/contract/generated/event'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import type { AdminHandle, InboundMessage } from '@opstream/runtime/kafka-types'
import { brokers, testKafka, uniqueName, waitFor } from '@opstream/runtime/testing/stack'
import RudderAnalytics from '@rudderstack/rudder-sdk-node'
import { Analytics as SegmentAnalytics } from '@segment/analytics-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basicAuth, DEV_KEY, type IngestProcess, startIngest } from '../test/support/ingest-process.ts'

const run = promisify(execFile)
const importer = fileURLToPath(new URL('./channels-import.ts', import.meta.url))
const registry = fileRegistry(builtInCatalog())
const decoders = {
  event: await createDecoder<Event>(registry, SUBJECTS.event),
  profile: await createDecoder<UserProfile>(registry, SUBJECTS.userProfile),
  channel: await createDecoder<Channel>(registry, SUBJECTS.channel),
  dlq: await createDecoder<DlqRecord>(registry, SUBJECTS.dlqRecord),
}
const prefix = `${uniqueName('ingest')}.`
const topics = {
  raw: `${prefix}events.raw`,
  users: `${prefix}users`,
  channels: `${prefix}channels`,
  dlq: `${prefix}dlq`,
}
const kafka = testKafka()
let admin: AdminHandle
let ingest: IngestProcess
const received = new Map<string, InboundMessage[]>()
const stops: Array<() => Promise<unknown>> = []

beforeAll(async () => {
  admin = await kafka.admin()
  await admin.createTopics([
    { topic: topics.raw, partitions: 3 },
    { topic: `${prefix}events.attributed`, partitions: 1 },
    { topic: `${prefix}events.enriched`, partitions: 1 },
    { topic: topics.users, partitions: 1, compacted: true },
    { topic: topics.channels, partitions: 1, compacted: true },
    { topic: topics.dlq, partitions: 1 },
  ])
  const consumer = await kafka.consumer({ groupId: uniqueName('ingest_reader') })
  await consumer.subscribe(Object.values(topics), true)
  await consumer.run(
    async (b) => {
      received.set(b.topic, [...(received.get(b.topic) ?? []), ...b.messages])
      await b.commit((BigInt(b.lastOffset) + 1n).toString())
    },
    { partitionsConsumedConcurrently: 4 },
  )
  stops.push(async () => {
    await consumer.stop()
    await consumer.disconnect()
  })
  ingest = await startIngest({ KAFKA_BROKERS: brokers().join(','), KAFKA_TOPIC_PREFIX: prefix })
  stops.push(() => ingest.stop())
})
afterAll(async () => {
  for (const s of stops.reverse()) await s()
  await admin?.disconnect()
})

async function events(where: (e: Event) => boolean, count: number): Promise<Event[]> {
  return waitFor(
    async () => {
      const all = await Promise.all(
        (received.get(topics.raw) ?? []).map((m) => decoders.event.decode(m.value)),
      )
      const hits = all.filter(where)
      return hits.length >= count ? hits : undefined
    },
    { what: `${count} events on the raw topic`, timeoutMs: 30_000 },
  )
}

async function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = { authorization: basicAuth(DEV_KEY) },
) {
  const res = await fetch(`${ingest.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers }
}

describe('native API', () => {
  it('accepts valid events, keyed by anonymous_id, and reports each invalid one (kept in the DLQ with its raw JSON)', async () => {
    const anon = uniqueName('dev')
    const res = await post('/v1/events', {
      events: [
        { event: 'register', anonymous_id: anon, user_id: 'u-1', register: { method: 'phone' } },
        { event: 'invest', anonymous_id: anon },
        {
          event: 'invest',
          anonymous_id: anon,
          user_id: 'u-1',
          purchase: { order_id: 'o1', amount: '5000.00', product_id: 'p' },
        },
      ],
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      accepted: 2,
      rejected: [{ index: 1, reason: 'purchase: required for a invest event' }],
    })
    const got = await events((e) => e.anonymous_id === anon, 2)
    expect(got.map((e) => e.event).sort()).toEqual(['invest', 'register'])
    expect(got.find((e) => e.event === 'invest')?.purchase?.amount).toBe('5000.0000')
    expect(got.every((e) => e.app.app_id === 'dev')).toBe(true)
    const raw = (received.get(topics.raw) ?? []).filter((m) => m.key?.toString() === anon)
    expect(raw).toHaveLength(2)
    const dead = await waitFor(
      async () => {
        const all = await Promise.all(
          (received.get(topics.dlq) ?? []).map((m) => decoders.dlq.decode(m.value)),
        )
        return all.find((d) => d.original_value?.toString().includes(anon))
      },
      { what: 'the rejected event in the DLQ' },
    )
    expect(JSON.parse(dead.original_value?.toString() ?? '')).toEqual({ event: 'invest', anonymous_id: anon })
    expect(dead).toMatchObject({
      error_kind: 'validation',
      source_topic: 'http:/v1/events',
      reason: 'purchase: required for a invest event',
    })
  })

  it('accepts gzip bodies and keeps a client event_id', async () => {
    const id = 'c0ffee00-0000-4000-8000-00000000beef'
    const body = gzipSync(
      JSON.stringify({ events: [{ event_id: id, event: 'page_view', anonymous_id: 'gz' }] }),
    )
    const res = await post('/v1/events', body, {
      authorization: basicAuth(DEV_KEY),
      'content-encoding': 'gzip',
    })
    expect(res.status).toBe(200)
    await events((e) => e.event_id === id, 1)
  })

  it.each([
    ['no key', {}, 401, 'missing write key'],
    ['an unknown key', { authorization: basicAuth('not-a-key') }, 401, 'unknown write key'],
  ])('answers 401 for %s', async (_what, headers, status, error) => {
    const res = await post('/v1/events', { events: [{ event: 'x', anonymous_id: 'a' }] }, headers)
    expect(res).toMatchObject({ status, body: { error } })
  })

  it('answers 413 over the body limit, 400 for malformed JSON, oversized batches and bad gzip', async () => {
    expect((await post('/v1/events', `{"events":[${'"x",'.repeat(300_000)}"x"]}`)).status).toBe(413)
    expect((await post('/v1/events', '{"events":[')).status).toBe(400)
    expect(
      (await post('/v1/events', { events: Array.from({ length: 501 }, () => ({})) })).body.error,
    ).toMatch(/at most 500/)
    expect((await post('/v1/events', { events: 'nope' })).status).toBe(400)
    const badGzip = await post('/v1/events', Buffer.from('not gzip'), {
      authorization: basicAuth(DEV_KEY),
      'content-encoding': 'gzip',
    })
    expect(badGzip).toMatchObject({ status: 400, body: { error: 'body is not valid gzip' } })
  })
})

describe('feeds', () => {
  it('publishes user upserts and deletes (tombstones) keyed by user_id, and channels keyed by code', async () => {
    const user = uniqueName('user')
    expect(
      (
        await post('/v1/users', {
          users: [
            { user_id: user, member_tier: 'gold', city: '上海', registered_at: '2026-11-01T00:00:00Z' },
            { user_id: `${user}-gone`, deleted: true },
          ],
        })
      ).body,
    ).toEqual({ accepted: 2, rejected: [] })
    const code = uniqueName('camp')
    const ch = await post('/v1/channels', {
      channels: [
        {
          code,
          name: '头条信息流-双11',
          channel_group: 'Paid Social',
          costs: [{ date: '2026-11-11', amount: '12000.50' }],
        },
      ],
    })
    expect(ch.body).toEqual({ accepted: 1, rejected: [] })
    const users = await waitFor(
      () =>
        (received.get(topics.users) ?? []).filter((m) => m.key?.toString().startsWith(user)).length >= 2
          ? received.get(topics.users)
          : undefined,
      { what: 'user records' },
    )
    const upsert = users.find((m) => m.key?.toString() === user)
    expect(await decoders.profile.decode(upsert?.value ?? null)).toMatchObject({
      user_id: user,
      member_tier: 'gold',
      city: '上海',
      registered_at: new Date('2026-11-01T00:00:00Z'),
    })
    expect(users.find((m) => m.key?.toString() === `${user}-gone`)?.value).toBeNull()
    const channel = await waitFor(
      () => (received.get(topics.channels) ?? []).find((m) => m.key?.toString() === code),
      { what: 'channel record' },
    )
    expect(await decoders.channel.decode(channel.value)).toMatchObject({
      code,
      channel_group: 'Paid Social',
      costs: [{ date: '2026-11-11', amount: '12000.5000', currency: 'CNY' }],
    })
  })
})

describe('channel CSV import', () => {
  it('imports a cost spreadsheet through the collector onto the channels topic', async () => {
    const code = uniqueName('csv')
    const dir = await mkdtemp(join(tmpdir(), 'opstream-csv-'))
    const file = join(dir, 'costs.csv')
    await writeFile(
      file,
      `code,name,channel_group,owner,date,amount,currency\n${code},微信朋友圈广告,Paid Social,brand,2026-11-20,3000.25,CNY\n${code},微信朋友圈广告,Paid Social,brand,2026-11-21,2800,CNY\n`,
    )
    const out = await run(process.execPath, [
      '--import',
      'tsx',
      importer,
      file,
      '--url',
      ingest.base,
      '--write-key',
      DEV_KEY,
    ])
    expect(out.stdout).toContain('imported 1 of 1 channels')
    const record = await waitFor(
      () => (received.get(topics.channels) ?? []).find((m) => m.key?.toString() === code),
      { what: 'imported channel' },
    )
    expect(await decoders.channel.decode(record.value)).toMatchObject({
      name: '微信朋友圈广告',
      owner: 'brand',
      costs: [
        { date: '2026-11-20', amount: '3000.2500', currency: 'CNY' },
        { date: '2026-11-21', amount: '2800.0000', currency: 'CNY' },
      ],
    })
  })
})

describe('Segment-spec SDKs, unchanged apart from host and write key', () => {
  it('@segment/analytics-node: track, identify and page arrive with the right fields', async () => {
    const anon = uniqueName('seg')
    const analytics = new SegmentAnalytics({
      writeKey: DEV_KEY,
      host: ingest.base,
      flushAt: 3,
      flushInterval: 100,
    })
    analytics.track({
      anonymousId: anon,
      event: 'bind_card',
      properties: { bank: '招商银行', card_type: 'debit', step: 3 },
      context: { campaign: { source: 'toutiao', medium: 'feed', name: 'double11' } },
    })
    analytics.identify({
      anonymousId: anon,
      userId: `${anon}-user`,
      traits: { tier: 'silver', address: { city: '广州' } },
    })
    analytics.page({
      anonymousId: anon,
      name: 'Home',
      properties: { url: 'https://www.example.cn/?gclid=G1', title: '首页' },
    })
    await analytics.closeAndFlush({ timeout: 10_000 })
    const got = await events((e) => e.anonymous_id === anon, 3)
    const byName = new Map(got.map((e) => [e.event, e]))
    expect(byName.get('bind_card')).toMatchObject({
      bind_card: { bank: '招商银行', card_type: 'debit' },
      properties: { step: '3' },
      campaign: { utm_source: 'toutiao', utm_medium: 'feed', utm_campaign: 'double11' },
      app: { platform: 'server', app_id: 'dev' },
    })
    expect(byName.get('identify')?.user_id).toBe(`${anon}-user`)
    expect(byName.get('page_view')).toMatchObject({
      page: { url: 'https://www.example.cn/?gclid=G1', title: '首页' },
      campaign: { gclid: 'G1' },
      properties: { name: 'Home' },
    })
    for (const e of got)
      expect(Math.abs(e.occurred_at.getTime() - e.received_at.getTime())).toBeLessThan(10_000)
    const profile = await waitFor(
      async () => {
        for (const m of received.get(topics.users) ?? [])
          if (m.key?.toString() === `${anon}-user`) return decoders.profile.decode(m.value)
        return undefined
      },
      { what: 'identify traits on the users topic' },
    )
    expect(profile).toMatchObject({ member_tier: 'silver', city: '广州' })
  })

  it('@rudderstack/rudder-sdk-node (gzip on by default): track, identify and page arrive with the right fields', async () => {
    const anon = uniqueName('rudder')
    const client = new RudderAnalytics(DEV_KEY, {
      dataPlaneUrl: ingest.base,
      flushAt: 3,
      flushInterval: 100,
      logLevel: 'error',
    })
    client.track({ anonymousId: anon, event: 'recharge', properties: { amount: 300, currency: 'CNY' } })
    client.identify({ anonymousId: anon, userId: `${anon}-u`, traits: { gender: 'f' } })
    client.page({ anonymousId: anon, name: 'Pricing', properties: { path: '/pricing' } })
    await client.flush()
    const got = await events((e) => e.anonymous_id === anon, 3)
    const byName = new Map(got.map((e) => [e.event, e]))
    expect(byName.get('recharge')?.recharge).toEqual({ amount: '300.0000', currency: 'CNY' })
    expect(byName.get('identify')?.user_id).toBe(`${anon}-u`)
    expect(byName.get('page_view')?.page.path).toBe('/pricing')
  })
})

import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { queryRows } from '@opstream/runtime/clickhouse-client'
import { createDecoder, createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { Event } from '@opstream/runtime/contract/generated/event'
import { confluentRegistry, fileRegistry } from '@opstream/runtime/contract/registry'
import { registryRoutes } from '@opstream/runtime/contract/registry-routes'
import { RetriableError } from '@opstream/runtime/errors'
import { type HealthServer, startHealthServer } from '@opstream/runtime/health-server'
import type { InboundMessage } from '@opstream/runtime/kafka-types'
import { createMetricsRegistry } from '@opstream/runtime/metrics'
import { sampleEvent } from '@opstream/runtime/testing/sample-events'
import { testClickHouse, testKafka, uniqueName, waitFor } from '@opstream/runtime/testing/stack'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const catalog = builtInCatalog()
const files = fileRegistry(catalog)
let server: HealthServer
let base: string

beforeAll(async () => {
  // The same routes ingest mounts on its HTTP port.
  server = await startHealthServer({
    host: '127.0.0.1',
    port: 0,
    registry: createMetricsRegistry('registrytest'),
    isReady: () => true,
    extraRoutes: registryRoutes(catalog),
  })
  base = `http://127.0.0.1:${server.port}`
})
afterAll(async () => server?.close())

async function get(path: string): Promise<{ status: number; body: unknown; type: string | null }> {
  const res = await fetch(`${base}${path}`)
  return { status: res.status, body: await res.json(), type: res.headers.get('content-type') }
}

describe('the Confluent registry read API served from schemas/', () => {
  it('lists subjects and versions and serves schemas by id and by version', async () => {
    const subjects = await get('/subjects')
    expect(subjects.type).toBe('application/vnd.schemaregistry.v1+json')
    expect(subjects.body).toEqual(catalog.subjects())
    expect((await get(`/subjects/${SUBJECTS.event}/versions`)).body).toEqual([1, 2])
    const event = catalog.get(SUBJECTS.event, 1)
    const byVersion = await get(`/subjects/${SUBJECTS.event}/versions/1`)
    expect(byVersion.body).toEqual({
      subject: SUBJECTS.event,
      version: 1,
      id: event?.id,
      schema: event?.text,
    })
    const newest = catalog.get(SUBJECTS.event, 2)
    expect((await get(`/subjects/${SUBJECTS.event}/versions/latest`)).body).toEqual({
      subject: SUBJECTS.event,
      version: 2,
      id: newest?.id,
      schema: newest?.text,
    })
    expect(newest?.text).toContain('"name":"Impression"')
    const byId = await get(`/schemas/ids/${event?.id}`)
    expect(byId.body).toEqual({ schema: event?.text })
    // The served schema stands alone: references are inlined.
    const enriched = catalog.get(SUBJECTS.enrichedEvent, 'latest')
    const served = (await get(`/schemas/ids/${enriched?.id}`)).body as { schema: string }
    expect(served.schema).toContain('"name":"Event"')
    expect(served.schema).toContain('"name":"Attribution"')
  })

  it('answers unknown subjects, versions and ids with the registry’s error codes', async () => {
    expect(await get('/subjects/nope/versions')).toMatchObject({ status: 404, body: { error_code: 40401 } })
    expect(await get(`/subjects/${SUBJECTS.event}/versions/99`)).toMatchObject({
      status: 404,
      body: { error_code: 40402 },
    })
    expect(await get('/schemas/ids/999999')).toMatchObject({ status: 404, body: { error_code: 40403 } })
    expect(await get(`/subjects/${SUBJECTS.event}/versions/x1`)).toMatchObject({
      status: 422,
      body: { error_code: 42202 },
    })
  })

  it('serves @kafkajs/confluent-schema-registry: a reader on the HTTP registry decodes what the file registry wrote', async () => {
    const http = confluentRegistry({ url: base })
    const encoder = await createEncoder<Event>(files, SUBJECTS.event)
    const decoder = await createDecoder<Event>(http, SUBJECTS.event)
    const event = sampleEvent({ event: 'register', register: { method: 'phone', invite_code: '邀请码' } })
    expect(await decoder.decode(encoder.encode(event))).toEqual(event)
    await expect(http.typeById(999_999)).rejects.toMatchObject({ kind: 'unknown_schema_id' })
  })

  it('reports an unreachable registry as retriable', async () => {
    const down = confluentRegistry({ url: 'http://127.0.0.1:9' })
    await expect(down.typeById(1)).rejects.toBeInstanceOf(RetriableError)
  })
})

describe('an independent decoder reads what we write', () => {
  it('ClickHouse AvroConfluent decodes messages produced to Kafka, fetching schemas from the served registry', async () => {
    const encoder = await createEncoder<Event>(files, SUBJECTS.event)
    const events: Event[] = [
      sampleEvent({
        event_id: '0b6c1f8e-2d3a-4b5c-8d9e-0f1a2b3c4d5e',
        event: 'invest',
        user_id: 'u-1001',
        occurred_at: new Date('2026-11-20T09:30:15.123Z'),
        campaign: { ...sampleEvent().campaign, utm_source: 'toutiao', clickid: 'ck-42' },
        purchase: {
          order_id: 'o-77',
          amount: '12345678901234.5678',
          currency: 'CNY',
          product_id: 'p-30d',
          product_type: '定期理财',
          term_days: 30,
          coupon_id: null,
        },
        properties: { 渠道: '头条', empty: '' },
      }),
      sampleEvent({
        event_id: 'ffffffff-0000-4000-8000-000000000001',
        event: 'page_view',
        anonymous_id: 'device-2',
      }),
    ]
    const kafka = testKafka()
    const topic = uniqueName('avro_confluent')
    const admin = await kafka.admin()
    await admin.createTopics([{ topic, partitions: 1 }])
    const producer = await kafka.producer()
    await producer.send(
      topic,
      events.map((e) => ({ key: e.anonymous_id, value: encoder.encode(e) })),
    )
    await producer.disconnect()
    const consumed: InboundMessage[] = []
    const consumer = await kafka.consumer({ groupId: uniqueName('avro_confluent_reader') })
    await consumer.subscribe([topic], true)
    await consumer.run(
      async (b) => {
        consumed.push(...b.messages)
        await b.commit((BigInt(b.lastOffset) + 1n).toString())
      },
      { partitionsConsumedConcurrently: 1 },
    )
    await waitFor(() => consumed.length >= events.length, { what: 'the produced messages' })
    await consumer.stop()
    await consumer.disconnect()
    await admin.disconnect()

    const dir = await mkdtemp(join(tmpdir(), 'opstream-avroconfluent-'))
    const file = join(dir, 'messages.bin')
    await writeFile(file, Buffer.concat(consumed.map((m) => m.value as Buffer)))
    // The local server runs on this machine, so its file() reads the temporary file.
    const ch = await testClickHouse(uniqueName('avro_check'))
    const rows = await queryRows<Record<string, unknown>>(
      ch.client,
      `SELECT event_id, event, occurred_at, anonymous_id, user_id, campaign.utm_source AS utm_source,
              campaign.clickid AS clickid, purchase.amount AS amount, purchase.product_type AS product_type,
              purchase.term_days AS term_days, properties
       FROM file({file:String}, 'AvroConfluent')
       SETTINGS format_avro_schema_registry_url = {url:String},
                output_format_json_quote_decimals = 1, date_time_output_format = 'iso'`,
      { file, url: base },
    )
    await ch.close()
    expect(rows).toEqual([
      {
        event_id: '0b6c1f8e-2d3a-4b5c-8d9e-0f1a2b3c4d5e',
        event: 'invest',
        occurred_at: '2026-11-20T09:30:15.123Z',
        anonymous_id: 'device-1',
        user_id: 'u-1001',
        utm_source: 'toutiao',
        clickid: 'ck-42',
        amount: '12345678901234.5678',
        product_type: '定期理财',
        term_days: 30,
        properties: { 渠道: '头条', empty: '' },
      },
      {
        event_id: 'ffffffff-0000-4000-8000-000000000001',
        event: 'page_view',
        occurred_at: '2026-11-01T08:00:00.000Z',
        anonymous_id: 'device-2',
        user_id: null,
        utm_source: null,
        clickid: null,
        // A null purchase reads as ClickHouse's default tuple.
        amount: '0',
        product_type: null,
        term_days: null,
        properties: {},
      },
    ])
  })
})

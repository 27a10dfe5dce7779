/**
 * Codec speed for the event envelope: Confluent-framed Avro encode and decode of realistic
 * events (page views, registrations, investments with decimals and unicode), single-threaded.
 *   npm run bench:codec [-- --events 300000 --rounds 5]
 */
import { parseArgs } from 'node:util'
import { createDecoder, createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { Event } from '@opstream/runtime/contract/generated/event'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import { sampleEvent } from '@opstream/runtime/testing/sample-events'

const { values } = parseArgs({
  options: { events: { type: 'string', default: '300000' }, rounds: { type: 'string', default: '5' } },
})
const count = Number(values.events)
const rounds = Number(values.rounds)

function makeEvents(n: number): Event[] {
  const base = sampleEvent()
  return Array.from({ length: n }, (_, i) => {
    const kind = i % 10
    const common = {
      event_id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      anonymous_id: `device-${i % 50_000}`,
      occurred_at: new Date(1_764_000_000_000 + i * 37),
      received_at: new Date(1_764_000_000_250 + i * 37),
      device: {
        ...base.device,
        os: 'Android',
        model: 'Mi 14',
        user_agent: 'Mozilla/5.0 (Linux; Android 14) NewsArticle/9.9.0',
      },
      campaign: {
        ...base.campaign,
        utm_source: 'toutiao',
        utm_medium: 'cpc',
        utm_campaign: `camp-${i % 40}`,
        clickid: `ck${i}`,
      },
    }
    if (kind < 7)
      return sampleEvent({ ...common, event: 'page_view', page: { ...base.page, title: '新手理财专区' } })
    if (kind < 9)
      return sampleEvent({
        ...common,
        event: 'register',
        user_id: `u${i}`,
        register: { method: 'phone', invite_code: null },
      })
    return sampleEvent({
      ...common,
      event: 'invest',
      user_id: `u${i}`,
      purchase: {
        order_id: `o${i}`,
        amount: `${(i % 100_000) + 100}.50`,
        currency: 'CNY',
        product_id: 'p-30d',
        product_type: '定期',
        term_days: 30,
        coupon_id: null,
      },
      properties: { source_page: 'home' },
    })
  })
}

const registry = fileRegistry(builtInCatalog())
const encoder = await createEncoder<Event>(registry, SUBJECTS.event)
const decoder = await createDecoder<Event>(registry, SUBJECTS.event)
const events = makeEvents(count)
const encoded = events.map((e) => encoder.encode(e))
const rate = (n: number, ns: bigint) => Math.round(n / (Number(ns) / 1e9))
// Work goes in batches of BATCH, as a consumer lane or a producer batch sees it; results are
// dropped batch by batch as a pipeline would, so the figures are not a GC test of 300k live objects.
const BATCH = 1000
let sink = 0

// Encode rounds, then decode rounds: each figure measures one operation, without the other's
// garbage being collected in its time.
const encodeRates: number[] = []
const decodeRates: number[] = []
for (let round = 0; round < rounds; round++) {
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < count; i += BATCH) {
    const out = events.slice(i, i + BATCH).map((e) => encoder.encode(e))
    sink += out.length
  }
  encodeRates.push(rate(count, process.hrtime.bigint() - t0))
}
for (let round = 0; round < rounds; round++) {
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < count; i += BATCH) {
    const decoded = await decoder.decodeAll(encoded.slice(i, i + BATCH))
    sink += decoded.length
  }
  decodeRates.push(rate(count, process.hrtime.bigint() - t0))
}
if (sink !== 2 * count * rounds) throw new Error('lost messages')
const bytes = encoded.reduce((n, b) => n + b.length, 0)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
process.stdout.write(
  [
    `codec benchmark: ${count} events × ${rounds} rounds, node ${process.version}`,
    `  average framed size: ${(bytes / count).toFixed(0)} bytes`,
    `  encode: ${median(encodeRates).toLocaleString('en')} events/s (median; rounds ${encodeRates.join(', ')})`,
    `  decode: ${median(decodeRates).toLocaleString('en')} events/s (median; rounds ${decodeRates.join(', ')})`,
    '',
  ].join('\n'),
)

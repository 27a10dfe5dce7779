import type { OutboundMessage, ProducerHandle } from '@opstream/runtime/kafka-types'
import { describe, expect, it } from 'vitest'
import { createTickSender, RECEIPT_TICK_HEADER, receiptTickOf } from './receipt-ticks.ts'

function recordingProducer(): ProducerHandle & { sent: OutboundMessage[] } {
  const sent: OutboundMessage[] = []
  return {
    sent,
    async send(_topic, messages) {
      sent.push(...messages)
      return []
    },
    sendBatch: async () => [],
    disconnect: async () => {},
  }
}

const inbound = (m: OutboundMessage) => ({
  value: m.value === null ? null : Buffer.from(m.value),
  headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Buffer.from(v)])),
})

describe('receipt ticks', () => {
  it('tell every output partition how far a raw partition has got, at most once an interval', async () => {
    const producer = recordingProducer()
    let now = 0
    const ticks = createTickSender({
      producer,
      topic: 'attributed',
      partitions: 3,
      intervalMs: 1_000,
      now: () => now,
    })
    await ticks.after(2, 1_800_000_000)
    expect(producer.sent.map((m) => m.partition)).toEqual([0, 1, 2])
    expect(producer.sent.map((m) => receiptTickOf(inbound(m)))).toEqual([
      { source: 2, second: 1_800_000_000 },
      { source: 2, second: 1_800_000_000 },
      { source: 2, second: 1_800_000_000 },
    ])
    // Within the interval, or without news, nothing more.
    now = 999
    await ticks.after(2, 1_800_000_005)
    now = 5_000
    await ticks.after(2, 1_800_000_000)
    await ticks.after(1, null)
    expect(producer.sent).toHaveLength(3)
    await ticks.after(2, 1_800_000_005)
    // Another raw partition has an interval of its own.
    await ticks.after(1, 1_700_000_000)
    expect(producer.sent.slice(3).map((m) => receiptTickOf(inbound(m))?.source)).toEqual([2, 2, 2, 1, 1, 1])
  })

  it('are told from events by their empty value and header', () => {
    const header = { [RECEIPT_TICK_HEADER]: Buffer.from('4:1800000000') }
    expect(receiptTickOf({ value: null, headers: header })).toEqual({ source: 4, second: 1_800_000_000 })
    // An event (a value), a record without the header, or a malformed one: not a tick.
    expect(receiptTickOf({ value: Buffer.from('x'), headers: header })).toBeNull()
    expect(receiptTickOf({ value: null, headers: {} })).toBeNull()
    expect(receiptTickOf({ value: null, headers: { [RECEIPT_TICK_HEADER]: Buffer.from('4:') } })).toBeNull()
  })
})

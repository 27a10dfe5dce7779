/**
 * Receipt ticks: stage 1 tells every partition of its output how far each raw partition's
 * receipt time has got, so that stage 2's receipt watermark (core/receipt-watermark.ts) moves
 * even where a raw partition seldom sends anything. Most events keep their partition number from
 * stage 1 to stage 2 (a device's key is its person's until it signs in), so without ticks a
 * profile partition would hear from the other raw partitions only through signed-in users, and
 * its watermark — the minimum over all of them — would stand still for hours.
 *
 * A tick is a record without a value on the attributed topic, sent to an explicit partition,
 * after the outputs of the chunk it speaks for were acknowledged (the same producer, so it lands
 * behind them). What it claims, "raw partition r has no more events to send received before t",
 * holds as an event's own receipt does: a crash makes stage 1 send a stretch of r again, but only
 * what it had sent before, and stage 2 recognises those replays by their source position. A tick
 * lost in a crash is followed by the next one; a tick twice moves nothing twice.
 */
import type { InboundMessage, OutboundMessage, ProducerHandle } from '@opstream/runtime/kafka-types'

export const RECEIPT_TICK_HEADER = 'opstream.receipt-tick'
const TICK_KEY = '\u0000receipt-tick'

export interface ReceiptTick {
  /** The raw partition it speaks for. */
  source: number
  /** Its newest received second, as of the tick. */
  second: number
}

/** The tick a record carries; null for an event. */
export function receiptTickOf(m: Pick<InboundMessage, 'headers' | 'value'>): ReceiptTick | null {
  const header = m.headers[RECEIPT_TICK_HEADER]
  if (header === undefined || m.value !== null) return null
  const match = /^(\d+):(\d+)$/.exec(header.toString())
  return match ? { source: Number(match[1]), second: Number(match[2]) } : null
}

export interface TickSender {
  /** After a chunk of raw partition `source` was sent: ticks every output partition, at most once an interval. */
  after(source: number, newestSecond: number | null): Promise<void>
}

export function createTickSender(deps: {
  producer: ProducerHandle
  topic: string
  /** The output topic's partition count. */
  partitions: number
  intervalMs: number
  now?: () => number
}): TickSender {
  const now = deps.now ?? Date.now
  const last = new Map<number, { at: number; second: number }>()
  return {
    async after(source, newestSecond) {
      if (newestSecond === null) return
      const before = last.get(source)
      const t = now()
      if (before && (t - before.at < deps.intervalMs || newestSecond <= before.second)) return
      const ticks: OutboundMessage[] = Array.from({ length: deps.partitions }, (_, partition) => ({
        key: TICK_KEY,
        value: null,
        headers: { [RECEIPT_TICK_HEADER]: `${source}:${newestSecond}` },
        partition,
      }))
      await deps.producer.send(deps.topic, ticks)
      last.set(source, { at: t, second: newestSecond })
    },
  }
}

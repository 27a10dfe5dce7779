import { pino } from 'pino'
import { Registry } from 'prom-client'
import type { DlqEntry, DlqPublisher } from '../../src/dlq.ts'
import type { BatchPayload, InboundMessage } from '../../src/kafka-types.ts'
import { type ConsumerMetrics, createConsumerMetrics } from '../../src/metrics.ts'

/** Test doubles for unit tests of the runner's offset logic: no broker involved. */
export function silentLogger() {
  return pino({ level: 'silent' })
}

export function freshMetrics(): ConsumerMetrics {
  return createConsumerMetrics(new Registry(), 'test')
}

export function message(offset: number, key: string | null, value = `v${offset}`): InboundMessage {
  return {
    topic: 't',
    partition: 0,
    offset: String(offset),
    key: key === null ? null : Buffer.from(key),
    value: Buffer.from(value),
    headers: {},
    timestamp: '0',
  }
}

export interface FakeBatch extends BatchPayload {
  commits: string[]
  heartbeats: number
  stale: boolean
  running: boolean
}

export function fakeBatch(messages: InboundMessage[], opts: { lastOffset?: string } = {}): FakeBatch {
  const last = messages[messages.length - 1]?.offset ?? '0'
  const b: FakeBatch = {
    topic: 't',
    partition: 0,
    messages,
    highWatermark: (BigInt(opts.lastOffset ?? last) + 1n).toString(),
    lastOffset: opts.lastOffset ?? last,
    commits: [],
    heartbeats: 0,
    stale: false,
    running: true,
    async heartbeat() {
      b.heartbeats++
    },
    async commit(next) {
      b.commits.push(next)
    },
    isRunning: () => b.running,
    isStale: () => b.stale,
  }
  return b
}

export function recordingDlq(): DlqPublisher & { entries: DlqEntry[]; failuresLeft: number } {
  const d = {
    entries: [] as DlqEntry[],
    failuresLeft: 0,
    async publish(entries: readonly DlqEntry[]) {
      if (d.failuresLeft > 0) {
        d.failuresLeft--
        throw new Error('broker unavailable')
      }
      d.entries.push(...entries)
    },
  }
  return d
}

import type { InboundMessage, OutboundMessage, ProducerHandle } from './kafka-types.ts'

/** Header names on every DLQ record; the value and key are the original bytes, unchanged. */
export const DLQ_HEADERS = {
  reason: 'opstream.dlq.reason',
  sourceTopic: 'opstream.dlq.source.topic',
  sourcePartition: 'opstream.dlq.source.partition',
  sourceOffset: 'opstream.dlq.source.offset',
  service: 'opstream.dlq.service',
  failedAt: 'opstream.dlq.failed_at',
} as const

export interface DlqEntry {
  message: InboundMessage
  reason: string
}

/**
 * A DLQ record keeps everything needed to inspect and replay the message: the original key,
 * value and headers, plus why and where it failed. Reasons are cut at 4 KiB so one pathological
 * error cannot blow the message size limit.
 */
export function toDlqMessage(entry: DlqEntry, service: string, now: Date): OutboundMessage {
  const { message, reason } = entry
  const headers: Record<string, Buffer | string> = {}
  for (const [k, v] of Object.entries(message.headers)) if (v !== undefined) headers[k] = v
  headers[DLQ_HEADERS.reason] = reason.length > 4096 ? `${reason.slice(0, 4093)}...` : reason
  headers[DLQ_HEADERS.sourceTopic] = message.topic
  headers[DLQ_HEADERS.sourcePartition] = String(message.partition)
  headers[DLQ_HEADERS.sourceOffset] = message.offset
  headers[DLQ_HEADERS.service] = service
  headers[DLQ_HEADERS.failedAt] = now.toISOString()
  return { key: message.key, value: message.value, headers }
}

export interface DlqPublisher {
  /** Resolves once every record is acknowledged by Kafka (acks = all). */
  publish(entries: readonly DlqEntry[]): Promise<void>
}

export function createDlqPublisher(opts: {
  producer: ProducerHandle
  topic: string
  service: string
  now?: () => Date
}): DlqPublisher {
  const now = opts.now ?? (() => new Date())
  return {
    async publish(entries) {
      if (entries.length === 0) return
      const at = now()
      await opts.producer.send(
        opts.topic,
        entries.map((e) => toDlqMessage(e, opts.service, at)),
      )
    },
  }
}

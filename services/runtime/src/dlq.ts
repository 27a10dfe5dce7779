import type { Encoder } from './contract/codec.ts'
import type { DlqRecord } from './contract/generated/dlq-record.ts'
import type { InboundMessage, OutboundMessage, ProducerHandle } from './kafka-types.ts'

/** Header names on every DLQ record (the same facts as in its Avro value, for quick filtering). */
export const DLQ_HEADERS = {
  reason: 'opstream.dlq.reason',
  errorKind: 'opstream.dlq.error_kind',
  sourceTopic: 'opstream.dlq.source.topic',
  sourcePartition: 'opstream.dlq.source.partition',
  sourceOffset: 'opstream.dlq.source.offset',
  service: 'opstream.dlq.service',
  failedAt: 'opstream.dlq.failed_at',
} as const

export interface DlqEntry {
  message: InboundMessage
  reason: string
  /** Machine-readable kind (a WireErrorKind, `validation`, ...); `rejected` when the handler gave none. */
  errorKind?: string | undefined
}

const MAX_REASON = 4096

/**
 * A DLQ record keeps everything needed to inspect and replay a message: its value is an Avro
 * `opstream.DlqRecord` (so the DLQ topic reads like every other topic) holding the original
 * key and value bytes unchanged, the reason and the source position; the original headers
 * are kept and the facts repeated as headers. Reasons are cut at 4 KiB.
 */
export function toDlqMessage(
  entry: DlqEntry,
  service: string,
  now: Date,
  encoder: Encoder<DlqRecord>,
): OutboundMessage {
  const { message } = entry
  const reason =
    entry.reason.length > MAX_REASON ? `${entry.reason.slice(0, MAX_REASON - 3)}...` : entry.reason
  const errorKind = entry.errorKind ?? 'rejected'
  const original: Record<string, string> = {}
  const headers: Record<string, Buffer | string> = {}
  for (const [k, v] of Object.entries(message.headers)) {
    if (v === undefined) continue
    original[k] = v.toString('utf8')
    headers[k] = v
  }
  const record: DlqRecord = {
    original_key: message.key,
    original_value: message.value,
    reason,
    error_kind: errorKind,
    source_topic: message.topic,
    source_partition: message.partition,
    source_offset: Number(message.offset),
    service,
    failed_at: now,
    headers: original,
  }
  headers[DLQ_HEADERS.reason] = reason
  headers[DLQ_HEADERS.errorKind] = errorKind
  headers[DLQ_HEADERS.sourceTopic] = message.topic
  headers[DLQ_HEADERS.sourcePartition] = String(message.partition)
  headers[DLQ_HEADERS.sourceOffset] = message.offset
  headers[DLQ_HEADERS.service] = service
  headers[DLQ_HEADERS.failedAt] = now.toISOString()
  return { key: message.key, value: encoder.encode(record), headers }
}

export interface DlqPublisher {
  /** Resolves once every record is acknowledged by Kafka (acks = all). */
  publish(entries: readonly DlqEntry[]): Promise<void>
}

export function createDlqPublisher(opts: {
  producer: ProducerHandle
  topic: string
  service: string
  encoder: Encoder<DlqRecord>
  now?: () => Date
}): DlqPublisher {
  const now = opts.now ?? (() => new Date())
  return {
    async publish(entries) {
      if (entries.length === 0) return
      const at = now()
      await opts.producer.send(
        opts.topic,
        entries.map((e) => toDlqMessage(e, opts.service, at, opts.encoder)),
      )
    },
  }
}

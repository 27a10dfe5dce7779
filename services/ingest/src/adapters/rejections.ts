import type { Encoder } from '@opstream/runtime/contract/codec'
import type { DlqRecord } from '@opstream/runtime/contract/generated/dlq-record'
import { DLQ_HEADERS } from '@opstream/runtime/dlq'
import type { OutboundMessage } from '@opstream/runtime/kafka-types'
import type { RequestContext } from '../core/envelope.ts'

/** A rejected item, kept in the DLQ with its raw JSON, the reason and where it came from. */
export function rejectionMessage(
  encoder: Encoder<DlqRecord>,
  item: unknown,
  reason: string,
  source: string,
  ctx: RequestContext,
): OutboundMessage {
  const anonymousId =
    item !== null &&
    typeof item === 'object' &&
    typeof (item as { anonymous_id?: unknown }).anonymous_id === 'string'
      ? (item as { anonymous_id: string }).anonymous_id
      : null
  const record: DlqRecord = {
    original_key: anonymousId === null ? null : Buffer.from(anonymousId),
    original_value: Buffer.from(JSON.stringify(item) ?? 'null', 'utf8'),
    reason,
    error_kind: 'validation',
    source_topic: source,
    source_partition: -1,
    source_offset: -1,
    service: 'ingest',
    failed_at: ctx.receivedAt,
    headers: { app_id: ctx.appId },
  }
  return {
    key: record.original_key,
    value: encoder.encode(record),
    headers: {
      [DLQ_HEADERS.reason]: reason,
      [DLQ_HEADERS.errorKind]: 'validation',
      [DLQ_HEADERS.sourceTopic]: source,
    },
  }
}

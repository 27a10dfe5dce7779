import { type Decoded, type Decoder, decodeTableRecords } from '@opstream/runtime/contract/codec'
import type { Channel } from '@opstream/runtime/contract/generated/channel'
import type { DlqRecord } from '@opstream/runtime/contract/generated/dlq-record'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import { DLQ_HEADERS } from '@opstream/runtime/dlq'
import { describeError } from '@opstream/runtime/errors'
import type { InboundMessage } from '@opstream/runtime/kafka-types'
import { chTime, toEventRow } from '../core/event-row.ts'
import type { StitchMessage } from '../core/stitching.ts'
import type { SinkTable } from './clickhouse-sink.ts'
import { decodeStitch } from './stitch-messages.ts'

/** Enriched events → `events`. */
export function eventsTable(decoder: Decoder<EnrichedEvent>): SinkTable<EnrichedEvent> {
  return {
    table: 'events',
    decode: (messages) => decoder.decodeAll(messages.map((m) => m.value)),
    toRows: (e, m) => (e ? [toEventRow(e, m.partition, m.offset)] : []),
  }
}

/** The users topic → `users`; a tombstone becomes a row marked deleted. */
export function usersTable(decoder: Decoder<UserProfile>): SinkTable<UserProfile> {
  return {
    table: 'users',
    decode: decodeTable(decoder),
    toRows: (u, m) => userRows(u, m),
  }
}

/** The aggregate's stitch topic: no table of its own, it feeds the funnel state. */
export const stitchTable: SinkTable<StitchMessage> = {
  table: null,
  decode: async (messages) => decodeStitch(messages),
  toRows: () => [],
}

/** For compacted table topics: a tombstone (null value) decodes to null instead of failing. */
function decodeTable<T>(decoder: Decoder<T>) {
  return (messages: readonly InboundMessage[]): Promise<Decoded<T | null>[]> =>
    decodeTableRecords(decoder, messages)
}

function userRows(u: UserProfile | null, m: InboundMessage): object[] {
  const userId = u?.user_id ?? m.key?.toString('utf8')
  if (!userId) return []
  return [
    {
      user_id: userId,
      member_tier: u?.member_tier ?? '',
      city: u?.city ?? '',
      province: u?.province ?? '',
      birthday: u?.birthday ?? null,
      gender: u?.gender ?? '',
      asset_band: u?.asset_band ?? '',
      registered_at: u?.registered_at ? chTime(u.registered_at) : null,
      custom: u?.custom ?? {},
      updated_at: chTime(u?.updated_at ?? new Date(Number(m.timestamp))),
      deleted: u === null,
      src_partition: m.partition,
      src_offset: m.offset,
    },
  ]
}

/** The channel catalog → `channel_costs`: one row per code and day it has a cost for. */
export function channelCostsTable(decoder: Decoder<Channel>): SinkTable<Channel> {
  return {
    table: 'channel_costs',
    decode: decodeTable(decoder),
    toRows: (c, m) =>
      (c?.costs ?? []).map((cost) => ({
        code: c?.code,
        date: cost.date,
        amount: cost.amount,
        currency: cost.currency,
        name: c?.name,
        channel_group: c?.channel_group,
        owner: c?.owner ?? '',
        updated_at: chTime(c?.updated_at ?? new Date(0)),
        src_partition: m.partition,
        src_offset: m.offset,
      })),
  }
}

/**
 * The dead-letter topic → `dead_letters`, one row per record. Nothing here goes to the DLQ
 * again (that would loop): a record that is not a DlqRecord (put there by another tool) is
 * listed from its headers, or as unreadable with the decoder's reason.
 */
export function deadLettersTable(decoder: Decoder<DlqRecord>): SinkTable<DlqRecord> {
  return {
    table: 'dead_letters',
    decode: async (messages) => {
      const decoded = await decoder.decodeAll(messages.map((m) => m.value))
      return decoded.map((d, i) =>
        d.ok ? d : { ok: true, value: fromHeaders(messages[i] as InboundMessage, describeError(d.error)) },
      )
    },
    toRows: (r, m) =>
      r
        ? [
            {
              failed_at: chTime(r.failed_at),
              service: r.service,
              error_kind: r.error_kind,
              reason: r.reason,
              source_topic: r.source_topic,
              source_partition: r.source_partition,
              source_offset: r.source_offset,
              key_bytes: r.original_key?.length ?? 0,
              value_bytes: r.original_value?.length ?? 0,
              src_partition: m.partition,
              src_offset: m.offset,
            },
          ]
        : [],
  }
}

function fromHeaders(m: InboundMessage, error: string): DlqRecord {
  const h = (name: string) => m.headers[name]?.toString('utf8')
  const failed = new Date(h(DLQ_HEADERS.failedAt) ?? Number(m.timestamp))
  return {
    original_key: m.key,
    original_value: m.value,
    reason: h(DLQ_HEADERS.reason) ?? `not a DLQ record: ${error}`,
    error_kind: h(DLQ_HEADERS.errorKind) ?? 'unreadable',
    source_topic: h(DLQ_HEADERS.sourceTopic) ?? '',
    source_partition: Number(h(DLQ_HEADERS.sourcePartition) ?? -1),
    source_offset: Number(h(DLQ_HEADERS.sourceOffset) ?? -1),
    service: h(DLQ_HEADERS.service) ?? '',
    failed_at: Number.isNaN(failed.getTime()) ? new Date(Number(m.timestamp)) : failed,
    headers: {},
  }
}

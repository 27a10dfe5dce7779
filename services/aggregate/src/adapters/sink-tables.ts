import type { Decoded, Decoder } from '@opstream/runtime/contract/codec'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import type { InboundMessage } from '@opstream/runtime/kafka-types'
import { chTime, toEventRow } from '../core/event-row.ts'
import type { SinkTable } from './clickhouse-sink.ts'

/** Enriched events → `events`. */
export function eventsTable(decoder: Decoder<EnrichedEvent>): SinkTable<EnrichedEvent> {
  return {
    table: 'events',
    decode: (messages) => decoder.decodeAll(messages.map((m) => m.value)),
    toRow: (e, m) => (e ? toEventRow(e, m.partition, m.offset) : null),
  }
}

/** The users topic → `users`; a tombstone becomes a row marked deleted. */
export function usersTable(decoder: Decoder<UserProfile>): SinkTable<UserProfile> {
  return {
    table: 'users',
    async decode(messages) {
      const decoded = await decoder.decodeAll(messages.map((m) => m.value))
      return decoded.map(
        (d, i): Decoded<UserProfile | null> => (messages[i]?.value === null ? { ok: true, value: null } : d),
      )
    },
    toRow: (u, m) => userRow(u, m),
  }
}

function userRow(u: UserProfile | null, m: InboundMessage): object | null {
  const userId = u?.user_id ?? m.key?.toString('utf8')
  if (!userId) return null
  return {
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
  }
}

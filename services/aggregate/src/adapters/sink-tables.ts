import type { Decoded, Decoder } from '@opstream/runtime/contract/codec'
import type { Channel } from '@opstream/runtime/contract/generated/channel'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import type { InboundMessage } from '@opstream/runtime/kafka-types'
import { chTime, toEventRow } from '../core/event-row.ts'
import type { SinkTable } from './clickhouse-sink.ts'
import { decodeStitch, type StitchMessage } from './stitch-messages.ts'

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
  return async (messages: readonly InboundMessage[]): Promise<Decoded<T | null>[]> => {
    const decoded = await decoder.decodeAll(messages.map((m) => m.value))
    return decoded.map((d, i) => (messages[i]?.value === null ? { ok: true, value: null } : d))
  }
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

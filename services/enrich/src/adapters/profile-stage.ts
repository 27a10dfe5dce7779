import { type BatchHandler, OK, type Outcome, outcomeForError } from '@opstream/runtime/consumer-runner'
import type { Decoder, Encoder } from '@opstream/runtime/contract/codec'
import type { AttributedEvent } from '@opstream/runtime/contract/generated/attributed-event'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import type { InboundMessage, ProducerHandle } from '@opstream/runtime/kafka-types'
import { applyKeyedChunk } from '@opstream/runtime/keyed-chunk'
import { partitionTurns } from '@opstream/runtime/partition-turns'
import { type PartitionState, rollingBack, type StateStores } from '@opstream/runtime/state-store'
import {
  applyUserProfile,
  type PersonState,
  type ProfileConfig,
  profileEvent,
} from '../core/person-profile.ts'
import { SOURCE_OFFSET_HEADER } from './attribute-stage.ts'

const DUPLICATE: Outcome = Object.freeze({ kind: 'drop', reason: 'duplicate event_id' })

/**
 * Stage 2 of enrich as a consumer-runner handler. It consumes two co-partitioned topics:
 * attributed events keyed by person, and the users table topic keyed by user_id (the same key
 * space, so partition p of both belongs to one process and one state partition). Users records
 * update the person's attributes; events advance identity and counters and go out enriched,
 * keyed by person. Runs with one lane per partition so the applied offset moves in order.
 */
export function createProfileHandler(deps: {
  stores: StateStores<PersonState>
  eventsTopic: string
  usersTopic: string
  eventDecoder: Decoder<AttributedEvent>
  userDecoder: Decoder<UserProfile>
  encoder: Encoder<EnrichedEvent>
  producer: ProducerHandle
  outputTopic: string
  profile: ProfileConfig
  /** Told of each client retry dropped (a repeated event_id within the window). */
  onDuplicate?: () => void
}): BatchHandler {
  // Events and profiles of partition p share its state: their batches take turns.
  const inTurn = partitionTurns()
  return (messages, ctx) =>
    inTurn(ctx.partition, async () => {
      const state = await deps.stores.partition(ctx.partition)
      // Retried in this process after a failure: the retry must meet the state this attempt met.
      return rollingBack(state, () =>
        ctx.topic === deps.usersTopic
          ? applyUsers(state, messages, deps.userDecoder)
          : applyEvents(state, messages, deps),
      )
    })
}

async function applyEvents(
  state: PartitionState<PersonState>,
  messages: readonly InboundMessage[],
  deps: Parameters<typeof createProfileHandler>[0],
): Promise<Outcome[]> {
  return applyKeyedChunk({
    state,
    messages,
    decoded: await deps.eventDecoder.decodeAll(messages.map((m) => m.value)),
    keyOf: (input, m) => m.key?.toString('utf8') ?? input.event.user_id ?? input.event.anonymous_id,
    apply: (input, key, m, offset) => {
      const source = m.headers[SOURCE_OFFSET_HEADER]
      const r = profileEvent(
        state.get(key),
        key,
        input,
        deps.profile,
        source ? Number(source.toString()) : null,
      )
      if (!r.enriched) {
        if (r.duplicate) deps.onDuplicate?.()
        return { outcome: DUPLICATE }
      }
      state.set(key, r.state, offset)
      return { output: { key, value: deps.encoder.encode(r.enriched) } }
    },
    producer: deps.producer,
    outputTopic: deps.outputTopic,
  })
}

async function applyUsers(
  state: PartitionState<PersonState>,
  messages: readonly InboundMessage[],
  decoder: Decoder<UserProfile>,
): Promise<Outcome[]> {
  const decoded = await decoder.decodeAll(messages.map((m) => m.value))
  const outcomes = messages.map((m, i): Outcome => {
    const key = m.key?.toString('utf8')
    const d = decoded[i]
    // A tombstone (null value) deletes the user's attributes; counters and identity stay.
    const profile = m.value === null ? null : d?.ok ? d.value : undefined
    if (profile === undefined) return outcomeForError(d && !d.ok ? d.error : undefined)
    const userId = key ?? profile?.user_id
    if (!userId)
      return { kind: 'dlq', reason: 'users record without a key or user_id', errorKind: 'rejected' }
    const next = applyUserProfile(state.get(userId), profile, Number(m.offset))
    if (next) state.update(userId, next)
    return OK
  })
  // Profile records are idempotent by their own offset (userOffset), so no marker is needed.
  await state.flush()
  return outcomes
}

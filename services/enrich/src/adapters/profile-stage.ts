import { type BatchHandler, OK, type Outcome, outcomeForError } from '@opstream/runtime/consumer-runner'
import type { Decoder, Encoder } from '@opstream/runtime/contract/codec'
import type { AttributedEvent } from '@opstream/runtime/contract/generated/attributed-event'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import type { InboundMessage, ProducerHandle } from '@opstream/runtime/kafka-types'
import { applyKeyedChunk } from '@opstream/runtime/keyed-chunk'
import { partitionTurns } from '@opstream/runtime/partition-turns'
import { type PartitionState, rollingBack, type StateStores } from '@opstream/runtime/state-store'
import { newestSecond, pruneSeen } from '../core/dedup-window.ts'
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
  /** Per partition, the newest received second of its events: the windows' clock. */
  const clock = new Map<number, number>()
  return (messages, ctx) =>
    inTurn(ctx.partition, async () => {
      const state = await deps.stores.partition(ctx.partition)
      // Retried in this process after a failure: the retry must meet the state this attempt met.
      return rollingBack(state, async () => {
        if (ctx.topic === deps.usersTopic) return applyUsers(state, messages, deps.userDecoder)
        const now = clock.get(ctx.partition)
        // The partition's clock can run ahead of a person's next events by the upstream
        // partitions' skew: the sweep lets ids go only a second window later.
        if (now !== undefined) sweepWindows(state, now, 2 * deps.profile.dedupWindowS, messages.length * 2)
        const newest = (n: number) => clock.set(ctx.partition, Math.max(clock.get(ctx.partition) ?? n, n))
        return applyEvents(state, messages, deps, newest)
      })
    })
}

/**
 * Empties the deduplication windows of persons without events in them, so that a user's state
 * goes back to its size without ids once `horizonS` has passed since their newest id (their
 * next event would prune them too, but most users have no next event soon). Walks from the least recently written
 * person, at most `budget` persons: an aged window is pruned in memory (moving the person to the
 * back; the changelog is not written for it, the next event of the person writes it), an empty
 * one moved to the back unchanged; the first person with ids still in
 * the window ends the walk, since everyone behind it was written later.
 */
export function sweepWindows(
  state: PartitionState<PersonState>,
  nowS: number,
  horizonS: number,
  budget: number,
): number {
  let pruned = 0
  const front = [...take(state.keys(), budget)]
  for (const key of front) {
    const person = state.get(key)
    if (!person) continue
    const newest = newestSecond(person.seen)
    if (newest === null) state.touch(key)
    else if (nowS - newest <= horizonS) break
    else {
      // In memory only: ids past the horizon are harmless if a restart brings them back.
      state.trim(key, { ...person, seen: pruneSeen(person.seen, nowS, horizonS) })
      pruned++
    }
  }
  return pruned
}

function* take<T>(items: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return
  let i = 0
  for (const item of items) {
    yield item
    if (++i >= n) return
  }
}

async function applyEvents(
  state: PartitionState<PersonState>,
  messages: readonly InboundMessage[],
  deps: Parameters<typeof createProfileHandler>[0],
  received: (second: number) => void,
): Promise<Outcome[]> {
  return applyKeyedChunk({
    state,
    messages,
    decoded: await deps.eventDecoder.decodeAll(messages.map((m) => m.value)),
    keyOf: (input, m) => m.key?.toString('utf8') ?? input.event.user_id ?? input.event.anonymous_id,
    apply: (input, key, m, offset) => {
      received(Math.floor(input.event.received_at.getTime() / 1000))
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

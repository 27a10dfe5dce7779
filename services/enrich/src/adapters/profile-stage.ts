import { type BatchHandler, OK, type Outcome, outcomeForError } from '@opstream/runtime/consumer-runner'
import {
  type Decoded,
  type Decoder,
  decodeTableRecords,
  type Encoder,
} from '@opstream/runtime/contract/codec'
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
import {
  chunkNewest,
  createReceiptWatermark,
  type ReceiptWatermark,
  receivedSecond,
} from '../core/receipt-watermark.ts'
import { SOURCE_OFFSET_HEADER, SOURCE_PARTITION_HEADER } from './attribute-stage.ts'
import { type ReceiptTick, receiptTickOf } from './receipt-ticks.ts'
import { createWindowSweeper, type WindowSweeper } from './window-sweep.ts'

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
  /**
   * The raw topic's partition count, which the receipt watermark needs (every raw partition
   * seen) before idle persons' windows are emptied; without it they are pruned at their next event only.
   */
  sourcePartitions?: number
  /** Told of the persons whose windows a sweep emptied. */
  onSwept?: (persons: number) => void
}): BatchHandler {
  // Events and profiles of partition p share its state: their batches take turns.
  const inTurn = partitionTurns()
  // Per partition: the receipt watermark of what reached it, and the sweep's place in its keys.
  const sweeping = new Map<number, { watermark: ReceiptWatermark; sweeper: WindowSweeper }>()
  const sweepingOf = (p: number, sources: number) => {
    const known = sweeping.get(p)
    if (known) return known
    const made = {
      watermark: createReceiptWatermark(sources, RECEIPT_GRACE_S),
      sweeper: createWindowSweeper(),
    }
    sweeping.set(p, made)
    return made
  }
  return (messages, ctx) =>
    inTurn(ctx.partition, async () => {
      const state = await deps.stores.partition(ctx.partition)
      if (ctx.topic === deps.usersTopic)
        return rollingBack(state, () => applyUsers(state, messages, deps.userDecoder))
      const sweep = deps.sourcePartitions ? sweepingOf(ctx.partition, deps.sourcePartitions) : undefined
      const low = sweep?.watermark.value() ?? null
      // Retried in this process after a failure: the retry must meet the state this attempt met.
      return rollingBack(state, async () => {
        const budget = Math.max(SWEEP_BUDGET_MIN, messages.length * 4)
        const swept =
          sweep && low !== null ? sweep.sweeper.sweep(state, low, deps.profile.dedupWindowS, budget) : 0
        const chunk = chunkNewest()
        const outcomes = await applyEvents(state, messages, deps, chunk.see)
        // Only a chunk applied for good moves the watermark (and counts its sweep): a retried one
        // is met again from the start.
        sweep?.watermark.advance(chunk.newest)
        if (swept > 0) deps.onSwept?.(swept)
        return outcomes
      })
    })
}

/**
 * Seconds by which ingest may write receipts out of their order within a raw partition (its
 * batches in flight, several ingest processes): the watermark is held back by this much.
 */
export const RECEIPT_GRACE_S = 600

/**
 * Persons a sweep may walk before a chunk: four per message (each write is met about twice, once
 * with ids and once emptied), and at least this many so that a quiet partition catches up too.
 */
const SWEEP_BUDGET_MIN = 2_000

async function applyEvents(
  state: PartitionState<PersonState>,
  messages: readonly InboundMessage[],
  deps: Parameters<typeof createProfileHandler>[0],
  received: (source: number, second: number) => void,
): Promise<Outcome[]> {
  const ticks = messages.map(receiptTickOf)
  const events = await deps.eventDecoder.decodeAll(messages.map((m, i) => (ticks[i] ? EMPTY : m.value)))
  const decoded = events.map((d, i): Decoded<AttributedEvent | ReceiptTick> => {
    const tick = ticks[i]
    return tick ? { ok: true, value: tick } : d
  })
  return applyKeyedChunk({
    state,
    messages,
    decoded,
    keyOf: (input, m) =>
      'source' in input
        ? TICKS_KEY
        : (m.key?.toString('utf8') ?? input.event.user_id ?? input.event.anonymous_id),
    apply: (input, key, m, offset) => {
      if ('source' in input) {
        received(input.source, input.second)
        return { outcome: OK }
      }
      const source = m.headers[SOURCE_OFFSET_HEADER]
      const rawPartition = m.headers[SOURCE_PARTITION_HEADER]
      if (rawPartition) received(Number(rawPartition.toString()), receivedSecond(input.event))
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

/** Ticks are read for the watermark and change no person: a key no person can have. */
const TICKS_KEY = '\u0000receipt-ticks'
const EMPTY = Buffer.alloc(0)

async function applyUsers(
  state: PartitionState<PersonState>,
  messages: readonly InboundMessage[],
  decoder: Decoder<UserProfile>,
): Promise<Outcome[]> {
  const decoded = await decodeTableRecords(decoder, messages)
  const outcomes = messages.map((m, i): Outcome => {
    const key = m.key?.toString('utf8')
    const d = decoded[i]
    if (!d?.ok) return outcomeForError(d?.error)
    // A tombstone (null) deletes the user's attributes; counters and identity stay.
    const profile = d.value
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

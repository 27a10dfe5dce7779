import type { BatchHandler, Outcome } from '@opstream/runtime/consumer-runner'
import type { Decoded, Decoder, Encoder } from '@opstream/runtime/contract/codec'
import type { AttributedEvent } from '@opstream/runtime/contract/generated/attributed-event'
import type { Event } from '@opstream/runtime/contract/generated/event'
import type { InboundMessage, ProducerHandle } from '@opstream/runtime/kafka-types'
import { applyKeyedChunk } from '@opstream/runtime/keyed-chunk'
import { type PartitionState, rollingBack, type StateStores } from '@opstream/runtime/state-store'
import { attributeDeviceEvent } from '../core/attribute-event.ts'
import type { ChannelInfo, Touch } from '../core/channel-classifier.ts'
import type { AttributionConfig, DeviceState } from '../core/device-attribution.ts'
import { receivedSecond } from '../core/receipt-watermark.ts'
import type { TickSender } from './receipt-ticks.ts'

export const SOURCE_OFFSET_HEADER = 'opstream.source-offset'
/** The raw partition an attributed event came from: stage 2's receipt watermark is kept per raw partition. */
export const SOURCE_PARTITION_HEADER = 'opstream.source-partition'

/** A device's state plus the user it was last seen signed in as (for routing by person). */
export interface StoredDevice extends DeviceState {
  userId: string | null
  /**
   * When (event time) the device first carried `userId`: its activity from then on is the
   * user's; before it, the device's own — also when it arrives late, or as a client's retry,
   * so that it goes to the key its first copy went to. Null: not known (state of an older
   * format), taken as linked from the start.
   */
  linkedAt: number | null
}

/**
 * Stage 1 of enrich as a consumer-runner handler: raw events keyed by device in, attributed
 * events keyed by person (user_id, or the user the device was last signed in as, else the
 * device) out. Runs with one lane per partition so the applied offset moves in order.
 */
export function createAttributeHandler(deps: {
  stores: StateStores<StoredDevice>
  decoder: Decoder<Event>
  encoder: Encoder<AttributedEvent>
  producer: ProducerHandle
  outputTopic: string
  classify: (t: Touch) => ChannelInfo
  clickIdParams: readonly string[]
  attribution: AttributionConfig
  onLate?: (event: Event) => void
  /** Tells stage 2 how far each raw partition's receipt time has got (see receipt-ticks.ts). */
  ticks?: TickSender
}): BatchHandler {
  return async (messages, ctx) => {
    const state = await deps.stores.partition(ctx.partition)
    // Retried in this process after a failure: the retry must meet the state this attempt met.
    return rollingBack(state, () => attributeChunk(state, messages, deps))
  }
}

async function attributeChunk(
  state: PartitionState<StoredDevice>,
  messages: readonly InboundMessage[],
  deps: Parameters<typeof createAttributeHandler>[0],
): Promise<Outcome[]> {
  const decoded = await deps.decoder.decodeAll(messages.map((m) => m.value))
  const outcomes = await applyKeyedChunk({
    state,
    messages,
    decoded,
    keyOf: (event) => event.anonymous_id,
    apply: (event, device, m, offset) => {
      const before = state.get(device)
      const r = attributeDeviceEvent(event, before, deps.classify, deps.clickIdParams, deps.attribution)
      const link = linkOf(before, event.user_id, event.occurred_at.getTime())
      state.set(device, { ...r.state, ...link }, offset)
      if (r.late) deps.onLate?.(event)
      return {
        output: {
          key: personKeyOf(link, event),
          value: deps.encoder.encode(r.attributed),
          // The raw event's position: the same if this output is ever re-sent, so stage 2 can
          // recognise a replay exactly (see person-profile.ts).
          headers: { [SOURCE_OFFSET_HEADER]: m.offset, [SOURCE_PARTITION_HEADER]: String(m.partition) },
        },
      }
    },
    producer: deps.producer,
    outputTopic: deps.outputTopic,
  })
  // Sent after the chunk's outputs were acknowledged: it speaks for them (see receipt-ticks.ts).
  await deps.ticks?.after(state.partition, newestReceived(decoded))
  return outcomes
}

/** The newest received second among a chunk's events; null when none decoded. */
function newestReceived(decoded: ReadonlyArray<Decoded<Event>>): number | null {
  let newest: number | null = null
  for (const d of decoded) {
    if (!d.ok) continue
    const second = receivedSecond(d.value)
    if (newest === null || second > newest) newest = second
  }
  return newest
}

/** The device's user and link time after an event that may carry a user_id. */
export function linkOf(
  before: Pick<StoredDevice, 'userId' | 'linkedAt'> | undefined,
  userId: string | null,
  at: number,
): Pick<StoredDevice, 'userId' | 'linkedAt'> {
  const current = before?.userId ?? null
  if (userId === null) return { userId: current, linkedAt: before?.linkedAt ?? null }
  if (userId !== current) return { userId, linkedAt: at }
  const linkedAt = before?.linkedAt ?? null
  return { userId, linkedAt: linkedAt === null ? null : Math.min(linkedAt, at) }
}

/** user_id when the event has one; the device's user for its activity since the link; else the device. */
export function personKeyOf(
  link: Pick<StoredDevice, 'userId' | 'linkedAt'>,
  event: { user_id: string | null; anonymous_id: string; occurred_at: Date },
): string {
  if (event.user_id !== null) return event.user_id
  const linked =
    link.userId !== null && (link.linkedAt === null || event.occurred_at.getTime() >= link.linkedAt)
  return linked ? (link.userId as string) : event.anonymous_id
}

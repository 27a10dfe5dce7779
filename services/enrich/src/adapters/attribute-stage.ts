import type { BatchHandler, Outcome } from '@opstream/runtime/consumer-runner'
import type { Decoder, Encoder } from '@opstream/runtime/contract/codec'
import type { AttributedEvent } from '@opstream/runtime/contract/generated/attributed-event'
import type { Event } from '@opstream/runtime/contract/generated/event'
import type { InboundMessage, ProducerHandle } from '@opstream/runtime/kafka-types'
import { applyKeyedChunk } from '@opstream/runtime/keyed-chunk'
import { type PartitionState, rollingBack, type StateStores } from '@opstream/runtime/state-store'
import { attributeDeviceEvent } from '../core/attribute-event.ts'
import type { ChannelInfo, Touch } from '../core/channel-classifier.ts'
import type { AttributionConfig, DeviceState } from '../core/device-attribution.ts'

export const SOURCE_OFFSET_HEADER = 'opstream.source-offset'

/** A device's state plus the user it was last seen signed in as (for routing by person). */
export interface StoredDevice extends DeviceState {
  userId: string | null
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
  return applyKeyedChunk({
    state,
    messages,
    decoded: await deps.decoder.decodeAll(messages.map((m) => m.value)),
    keyOf: (event) => event.anonymous_id,
    apply: (event, device, m, offset) => {
      const before = state.get(device)
      const r = attributeDeviceEvent(event, before, deps.classify, deps.clickIdParams, deps.attribution)
      const userId = event.user_id ?? before?.userId ?? null
      state.set(device, { ...r.state, userId }, offset)
      if (r.late) deps.onLate?.(event)
      return {
        output: {
          key: event.user_id ?? userId ?? event.anonymous_id,
          value: deps.encoder.encode(r.attributed),
          // The raw event's position: the same if this output is ever re-sent, so stage 2 can
          // recognise a replay exactly (see person-profile.ts).
          headers: { [SOURCE_OFFSET_HEADER]: m.offset },
        },
      }
    },
    producer: deps.producer,
    outputTopic: deps.outputTopic,
  })
}

import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { InboundMessage } from '@opstream/runtime/kafka-types'
import type { StateCodec, StateStores } from '@opstream/runtime/state-store'
import { chTime } from '../core/event-row.ts'
import { type FunnelEvent, type FunnelsFile, matchSteps } from '../core/funnel-config.ts'
import { addToFunnel, emptyFunnelState, type FunnelState, funnelProgress } from '../core/funnel-state.ts'
import type { Deriver } from './clickhouse-sink.ts'

/** A person's state in every funnel, by funnel name. */
export type PersonFunnels = Record<string, FunnelState>

export const personFunnelsCodec: StateCodec<PersonFunnels> = {
  encode: (v) => Buffer.from(JSON.stringify(v)),
  decode: (b) => JSON.parse(b.toString('utf8')) as PersonFunnels,
}

/**
 * Funnel progress as enriched events are applied, per person (the partition's key), with state
 * on a changelog: every step a person newly reaches becomes a `funnel_progress` row — when, the
 * time the chain entered the funnel, and the person's channel (acquisition channel once
 * registered, else the device's first touch), campaign and platform. Events that match no step
 * leave the state alone; an event older than the person's newest matching event by more than
 * the allowed lateness is counted and not applied.
 */
export function createFunnelDeriver(deps: {
  stores: StateStores<PersonFunnels>
  file: FunnelsFile
  onLate?: (funnel: string) => void
}): Deriver<EnrichedEvent> {
  const { funnels, allowedLateness } = deps.file
  return {
    async derive(partition, messages, values) {
      const state = await deps.stores.partition(partition)
      const rows: object[] = []
      messages.forEach((m, i) => {
        const e = values[i]
        if (!e) return
        const key = e.person_key
        const offset = BigInt(m.offset)
        if (state.isApplied(key, offset)) return
        const view: FunnelEvent = {
          event: e.event.event,
          nthPurchase: e.counters.nth_purchase,
          platform: e.event.app.platform,
          properties: e.event.properties,
        }
        const before = state.get(key)
        let next: PersonFunnels | undefined
        for (const f of funnels) {
          const steps = matchSteps(f, view)
          if (steps.length === 0) continue
          const current = before?.[f.name] ?? emptyFunnelState(f.steps.length)
          const added = addToFunnel(current, f, e.event.occurred_at.getTime(), steps, allowedLateness)
          if (added.late) {
            deps.onLate?.(f.name)
            continue
          }
          const was = funnelProgress(current, f).level
          const now = funnelProgress(added.state, f)
          for (let k = was; k < now.level; k++) {
            rows.push(progressRow(f.name, k, f.steps[k]?.name ?? '', now.reached[k], e, m))
          }
          next = { ...(next ?? before), [f.name]: added.state }
        }
        if (next) state.set(key, next, offset)
      })
      return [{ table: 'funnel_progress', rows }]
    },
    async commit(partition, lastOffset) {
      const state = await deps.stores.partition(partition)
      if (lastOffset > state.appliedOffset) await state.flush(lastOffset)
    },
  }
}

function progressRow(
  funnel: string,
  step: number,
  stepName: string,
  reached: { at: number; entryAt: number } | undefined,
  e: EnrichedEvent,
  m: InboundMessage,
): object {
  const channel = e.acquisition?.channel ?? e.attribution.first_touch?.channel ?? e.attribution.channel
  return {
    funnel,
    step: step + 1,
    step_name: stepName,
    person_key: e.person_key,
    reached_at: chTime(new Date(reached?.at ?? e.event.occurred_at.getTime())),
    entry_at: chTime(new Date(reached?.entryAt ?? e.event.occurred_at.getTime())),
    channel_group: channel.group,
    campaign: channel.campaign ?? '',
    platform: e.event.app.platform,
    src_partition: m.partition,
    src_offset: m.offset,
  }
}

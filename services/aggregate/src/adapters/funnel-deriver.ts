import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { StateStores } from '@opstream/runtime/state-store'
import { chTimeMs } from '../core/event-row.ts'
import type { FunnelsFile } from '../core/funnel-config.ts'
import { eventAnchor, type FunnelFacts, funnelInput, LINK_EVENTS } from '../core/funnel-input.ts'
import {
  emptyPersonFunnels,
  type PersonFunnels,
  type ProgressRow,
  progressChanges,
  rebuildPerson,
} from '../core/person-funnels.ts'
import { applyStitch, type StitchMessage, stitchEvent } from '../core/stitching.ts'
import type { Deriver } from './clickhouse-sink.ts'
import type { FunnelHistory } from './funnel-history.ts'
import type { TriggerTimers } from './trigger-timers.ts'

export interface FunnelDeriverDeps {
  stores: StateStores<PersonFunnels>
  file: FunnelsFile
  /** Produces stitch messages; resolves when acknowledged. */
  send(messages: StitchMessage[]): Promise<void>
  history: FunnelHistory
  /** Stall-trigger timers kept with the person's funnels. */
  triggers: TriggerTimers
  /** Version of funnel_progress rows: grows across batches and restarts (a microsecond clock). */
  version(): number
  onLate?: (funnel: string) => void
  /** A user's funnels were rebuilt from ClickHouse (a device handed over, or its events came late). */
  onRebuild?: () => void
}

/**
 * Funnel progress per person from the enriched topic and the stitch topic, with the state on a
 * changelog (see person-funnels.ts for stitching). Rows are upserts into funnel_progress (the
 * latest version of a person's step wins; a deleted one drops out), so they are written
 * without a deduplication token: a replay after a crash may meet the stitch topic in another
 * order and derive other, equally true rows, which must land and replace. Stitch messages are
 * sent before the state is flushed, and every receiver takes a message at most once in effect.
 */
export function createFunnelDerivers(deps: FunnelDeriverDeps): {
  events: Deriver<EnrichedEvent>
  stitch: Deriver<StitchMessage>
} {
  const { file } = deps
  const stepNames = new Map(file.funnels.map((f) => [f.name, f.steps.map((s) => s.name)]))
  const toTable = (personKey: string, rows: ProgressRow[], version: number) =>
    rows.map((r) => ({
      funnel: r.funnel,
      step: r.step + 1,
      step_name: stepNames.get(r.funnel)?.[r.step] ?? '',
      person_key: personKey,
      reached_at: chTimeMs(r.at),
      entry_at: chTimeMs(r.entryAt),
      channel_group: r.channel,
      campaign: r.campaign,
      platform: r.platform,
      version,
      deleted: r.deleted ? 1 : 0,
    }))
  const late = (funnels: string[]) => {
    for (const f of funnels) deps.onLate?.(f)
  }
  const finish = async (out: StitchMessage[], rows: object[], outcomes: object[] = []) => {
    if (out.length > 0) await deps.send(out)
    return [
      { table: 'funnel_progress', rows },
      { table: 'trigger_outcomes', rows: outcomes },
    ]
  }

  const rollback = async (partition: number) => {
    const state = await deps.stores.partition(partition)
    state.rollback()
    deps.triggers.forget(state)
  }

  const events: Deriver<EnrichedEvent> = {
    async derive(partition, messages, values) {
      const state = await deps.stores.partition(partition)
      const version = deps.version()
      const out: StitchMessage[] = []
      const rows: object[] = []
      const outcomes: object[] = []
      let newest = Number.NEGATIVE_INFINITY
      await eachYielding(messages, (m, i) => {
        const e = values[i]
        const key = e?.person_key
        const offset = BigInt(m.offset)
        if (!e || key === undefined || state.isApplied(key, offset)) return
        const facts = factsOf(e)
        const input = funnelInput(facts, file)
        newest = Math.max(newest, input.at)
        const s = state.get(key) ?? emptyPersonFunnels()
        const decision = stitchEvent(
          s,
          {
            key,
            device: e.event.anonymous_id,
            deviceKeyed: e.event.user_id === null && key === e.event.anonymous_id,
            links: e.event.user_id !== null && LINK_EVENTS.has(e.event.event),
            offset: Number(offset),
            input,
          },
          file,
        )
        if (decision.kind === 'forward') {
          out.push(decision.message)
          state.set(key, s, offset)
          return
        }
        out.push(...decision.messages)
        late(decision.late)
        const timed = deps.triggers.onEvent(state, key, decision.state, facts, version)
        outcomes.push(...timed.rows)
        const changes = progressChanges(timed.state, file)
        rows.push(...toTable(key, changes.rows, version))
        state.set(key, changes.state, offset)
      })
      outcomes.push(...(await deps.triggers.endBatch(state, newest, version)))
      return finish(out, rows, outcomes)
    },
    async commit(partition, lastOffset) {
      const state = await deps.stores.partition(partition)
      if (lastOffset > state.appliedOffset) await state.flush(lastOffset)
    },
    rollback,
  }

  const stitch: Deriver<StitchMessage> = {
    async derive(partition, messages, values) {
      const state = await deps.stores.partition(partition)
      const version = deps.version()
      const rebuild = new Set<string>()
      const out: StitchMessage[] = []
      const rows: object[] = []
      await eachYielding(messages, (m, i) => {
        const v = values[i]
        const key = m.key?.toString('utf8')
        const offset = Number(m.offset)
        const s = (key !== undefined && state.get(key)) || emptyPersonFunnels()
        if (!v || key === undefined || offset <= s.stitchOffset) return
        const d = applyStitch(s, key, v, file)
        out.push(...d.messages)
        rows.push(...toTable(key, d.rows, version))
        if (d.rebuild) rebuild.add(key)
        state.update(key, { ...d.state, stitchOffset: offset })
      })
      if (rebuild.size > 0) rows.push(...(await rebuildFromHistory(state, [...rebuild], version)))
      return finish(out, rows)
    },
    async commit(partition) {
      await (await deps.stores.partition(partition)).flush()
    },
    rollback,
  }
  /** Rebuilds users' funnels from their stitched timelines in ClickHouse; returns the row changes. */
  const rebuildFromHistory = async (
    state: Awaited<ReturnType<typeof deps.stores.partition>>,
    users: string[],
    version: number,
  ) => {
    const devicesOf = new Map(users.map((u) => [u, Object.keys(state.get(u)?.merged ?? {})]))
    const history = await deps.history.persons([...users, ...[...devicesOf.values()].flat()])
    const rows: object[] = []
    for (const user of users) {
      const s = state.get(user)
      if (!s) continue
      const devices = new Map((devicesOf.get(user) ?? []).map((d) => [d, history.get(d) ?? []]))
      const own = (history.get(user) ?? []).map((e) => e.input)
      const changes = progressChanges(rebuildPerson(s, own, devices, file), file)
      rows.push(...toTable(user, changes.rows, version))
      state.update(user, changes.state)
      deps.onRebuild?.()
    }
    return rows
  }

  return { events, stitch }
}

/**
 * Runs `fn` over the items, giving the event loop a turn every `every` items: a big batch is
 * seconds of work, and the consumer's heartbeats must go out meanwhile.
 */
async function eachYielding<T>(items: readonly T[], fn: (item: T, i: number) => void, every = 2_000) {
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % every === 0) await new Promise((resolve) => setImmediate(resolve))
    fn(items[i] as T, i)
  }
}

/** The funnels' facts of an event, and the person's dates the yearly triggers read. */
function factsOf(e: EnrichedEvent): FunnelFacts & { birthday: string | null } {
  const at = e.event.occurred_at.getTime()
  const { event, app, properties } = e.event
  const dims = (c: { group: string; campaign: string | null }) => ({
    group: c.group,
    campaign: c.campaign ?? '',
  })
  return {
    at,
    event,
    nthPurchase: e.counters.nth_purchase,
    platform: app.platform,
    properties,
    birthday: e.user?.birthday ?? null,
    anchor: eventAnchor(
      at,
      event,
      app.platform,
      dims(e.attribution.channel),
      e.acquisition ? dims(e.acquisition.channel) : null,
    ),
  }
}

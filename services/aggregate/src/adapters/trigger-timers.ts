import { createHash } from 'node:crypto'
import type { Trigger } from '@opstream/runtime/contract/generated/trigger'
import type { PartitionState } from '@opstream/runtime/state-store'
import { chTimeMs } from '../core/event-row.ts'
import { emptyPersonFunnels, type PersonFunnels } from '../core/person-funnels.ts'
import type { TimedEvent } from '../core/stall-triggers.ts'
import {
  advanceTimers,
  applyTriggerEvent,
  nextDue,
  type Timer,
  type TriggerRule,
} from '../core/stall-triggers.ts'

export type TriggerTimers = ReturnType<typeof createTriggerTimers>

/** The partition's watermark record in the funnel state (not a person). */
const WATERMARK_KEY = '\u0000watermark'

/**
 * Stall-trigger timers on the funnel state: events arm, cancel and convert them; at the end of
 * each batch the partition's watermark (newest event time less the allowed lateness) moves and
 * the timers due fire — trigger events to the triggers topic (ids derived from rule, person and
 * start, so a repeat after a crash is recognisable) and rows to `trigger_outcomes`. Which
 * persons have timers is indexed in memory, rebuilt by a scan when a partition's state is
 * restored.
 */
export function createTriggerTimers(deps: {
  rules: readonly TriggerRule[]
  allowedLateness: number
  send(triggers: Array<{ key: string; trigger: Trigger }>): Promise<void>
  onInvalid?: (rule: string) => void
}) {
  const { rules } = deps
  const indexes = new WeakMap<PartitionState<PersonFunnels>, Map<string, number>>()
  const indexOf = (state: PartitionState<PersonFunnels>) => {
    let index = indexes.get(state)
    if (!index) {
      index = new Map()
      for (const key of state.keys()) {
        if (key === WATERMARK_KEY) continue
        const due = nextDue(state.get(key)?.triggers ?? { timers: [], stops: {} }, rules)
        if (due !== null) index.set(key, due)
      }
      indexes.set(state, index)
    }
    return index
  }
  const track = (state: PartitionState<PersonFunnels>, key: string, s: PersonFunnels) => {
    const due = nextDue(s.triggers, rules)
    if (due === null) indexOf(state).delete(key)
    else indexOf(state).set(key, due)
  }

  return {
    /** Drops a partition's timer index (its state was rolled back): the next use rebuilds it. */
    forget(state: PartitionState<PersonFunnels>): void {
      indexes.delete(state)
    },

    /** Applies an event to a person's timers; returns the new state and rows for conversions. */
    onEvent(
      state: PartitionState<PersonFunnels>,
      key: string,
      s: PersonFunnels,
      e: TimedEvent,
      version: number,
    ): { state: PersonFunnels; rows: object[] } {
      if (rules.length === 0) return { state: s, rows: [] }
      const applied = applyTriggerEvent(s.triggers, e, rules)
      for (const rule of applied.invalid) deps.onInvalid?.(rule)
      const next = { ...s, triggers: applied.state }
      track(state, key, next)
      return { state: next, rows: applied.changed.map((t) => outcomeRow(key, next, t, rules, version)) }
    },

    /** Moves the partition's watermark to the batch's newest event and fires what is due. */
    async endBatch(state: PartitionState<PersonFunnels>, newest: number, version: number): Promise<object[]> {
      if (rules.length === 0 || !Number.isFinite(newest)) return []
      const before = state.get(WATERMARK_KEY)?.watermark ?? Number.NEGATIVE_INFINITY
      const watermark = Math.max(before, newest - deps.allowedLateness)
      if (watermark > before) state.update(WATERMARK_KEY, { ...emptyPersonFunnels(), watermark })
      const rows: object[] = []
      const out: Array<{ key: string; trigger: Trigger }> = []
      for (const [key, due] of indexOf(state)) {
        if (due > watermark) continue
        const s = state.get(key)
        if (!s) continue
        const moved = advanceTimers(s.triggers, watermark, rules)
        const next = { ...s, triggers: moved.state }
        for (const t of moved.fired) {
          rows.push(outcomeRow(key, next, t, rules, version))
          out.push({ key, trigger: triggerOf(key, next, t, rules) })
        }
        state.update(key, next)
        track(state, key, next)
      }
      if (out.length > 0) await deps.send(out)
      return rows
    },
  }
}

/** A UUID (version-5 layout) from the rule, the person and the start: the same trigger, the same id. */
export function triggerId(rule: string, person: string, since: number): string {
  const h = createHash('sha1').update(`${rule}\u0000${person}\u0000${since}`).digest('hex')
  const variant = ((Number.parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(18, 20)}-${h.slice(20, 32)}`
}

function triggerOf(key: string, s: PersonFunnels, t: Timer, rules: readonly TriggerRule[]): Trigger {
  const rule = rules.find((r) => r.name === t.rule)
  return {
    trigger_id: triggerId(t.rule, key, t.since),
    rule: t.rule,
    person_key: key,
    user_id: s.anchor?.registered ? key : null,
    anonymous_id: null,
    stalled_step: rule?.stalledStep ?? '',
    since: new Date(t.since),
    fired_at: new Date(t.fireAt),
    deadline: t.deadline === null ? null : new Date(t.deadline),
    acquisition_channel: s.anchor?.registered ? s.anchor.channel : null,
    properties: t.properties,
  }
}

function outcomeRow(
  key: string,
  s: PersonFunnels,
  t: Timer,
  rules: readonly TriggerRule[],
  version: number,
): object {
  const within = rules.find((r) => r.name === t.rule)?.convertWithin ?? 0
  return {
    rule: t.rule,
    person_key: key,
    since: chTimeMs(t.since),
    fired_at: chTimeMs(t.fireAt),
    deadline: t.deadline === null ? null : chTimeMs(t.deadline),
    measure_until: chTimeMs(t.fireAt + within),
    channel_group: s.anchor?.channel ?? '',
    campaign: s.anchor?.campaign ?? '',
    platform: s.anchor?.platform ?? '',
    converted_at: t.convertedAt === null ? null : chTimeMs(t.convertedAt),
    trigger_id: triggerId(t.rule, key, t.since),
    version,
  }
}

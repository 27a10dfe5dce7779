/**
 * Stall triggers: a person who reached a step (the `start` event) and has not taken the next one
 * (`stop`) by a time — a fixed time after the start, or some time before a deadline the start
 * event carries (a gift's expiry) — gets a trigger event, for marketing automation; whether they
 * then take the step within `convertWithin` is measured.
 *
 * A yearly rule (`anniversary`) fires on the day a date of the person's comes round — their
 * birthday from the users table — whatever they did before: any event carrying the date arms
 * the next one, and each firing re-arms the year after once its conversion window has closed,
 * so a person fires once a year. A changed date moves a timer that has not fired.
 *
 * Timers run on event time: a timer fires once the partition's watermark (its newest event time
 * less the allowed lateness) has passed it, so a stop event arriving late, within the lateness,
 * still cancels it. Timers are part of the person's state (restored with it) and fire from the
 * same event stream after a restart: the same triggers, with the same ids.
 */
import { z } from 'zod'
import { followingAnniversary, isTimeZone, nextAnniversary } from './anniversary.ts'
import { duration, type FunnelEvent, matches, predicateShape } from './predicates.ts'

const triggerSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _'),
    /** The step the person stalled at, as the trigger event names it. */
    stalledStep: z.string().min(1),
    /** The step reached; not for yearly rules, which any event with the date arms. */
    start: z.strictObject(predicateShape).optional(),
    stop: z.strictObject(predicateShape),
    /** Fire this long after the start event. */
    after: duration.optional(),
    /** Or: this long before the deadline in the start event's property (an ISO time or epoch ms). */
    deadline: z.strictObject({ property: z.string().min(1), before: duration }).optional(),
    /** Or: at the start of the day (in the zone) the person's date comes round, every year. */
    anniversary: z
      .strictObject({
        attribute: z.enum(['birthday']),
        timeZone: z.string().refine(isTimeZone, 'a time zone Intl knows').default('Asia/Shanghai'),
      })
      .optional(),
    /** After firing, a stop event within this long counts as a conversion. */
    convertWithin: duration,
  })
  .refine((t) => [t.after, t.deadline, t.anniversary].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of after, deadline and anniversary',
  })
  .refine((t) => (t.start === undefined) === (t.anniversary !== undefined), {
    message: 'give start, except with anniversary (any event with the date arms it)',
  })

export const triggersSchema = z.array(triggerSchema).default([])
export type TriggerRule = z.output<typeof triggerSchema>

export interface Timer {
  rule: string
  /** When the person reached the step (the start event). */
  since: number
  fireAt: number
  deadline: number | null
  fired: boolean
  /** The first stop event after firing, within convertWithin. */
  convertedAt: number | null
  properties: Record<string, string>
}

export interface TriggerState {
  timers: Timer[]
  /** Per rule, the latest stop event times (a few): a start arriving late checks them. */
  stops: Record<string, number[]>
}

export const emptyTriggerState = (): TriggerState => ({ timers: [], stops: {} })

const STOPS_KEPT = 4

export interface TimedEvent extends FunnelEvent {
  at: number
  /** The person's birthday (YYYY-MM-DD) as the event carries it, for yearly rules. */
  birthday?: string | null
}

/**
 * Applies one event to a person's timers. Returns the fired timers whose outcome changed (a
 * conversion), to be written again.
 */
export function applyTriggerEvent(
  state: TriggerState,
  e: TimedEvent,
  rules: readonly TriggerRule[],
): { state: TriggerState; changed: Timer[]; invalid: string[] } {
  let timers = state.timers
  const stops = { ...state.stops }
  const changed: Timer[] = []
  const invalid: string[] = []
  for (const rule of rules) {
    if (matches(rule.stop, e)) {
      stops[rule.name] = [...(stops[rule.name] ?? []), e.at].sort((a, b) => a - b).slice(-STOPS_KEPT)
      timers = timers.flatMap((t) => {
        if (t.rule !== rule.name) return [t]
        // Took the step before the timer ran out: no trigger.
        if (!t.fired && e.at >= t.since && e.at < t.fireAt) return []
        const inWindow = t.fired && e.at >= t.fireAt && e.at <= t.fireAt + rule.convertWithin
        if (inWindow && (t.convertedAt === null || e.at < t.convertedAt)) {
          const next = { ...t, convertedAt: e.at }
          changed.push(next)
          return [next]
        }
        return [t]
      })
    }
    if (rule.anniversary) {
      timers = armAnniversary(rule, timers, e)
      continue
    }
    if (rule.start && matches(rule.start, e)) {
      const times = fireTimes(rule, e)
      if (!times) {
        invalid.push(rule.name)
        continue
      }
      const current = timers.find((t) => t.rule === rule.name)
      const stopped = (stops[rule.name] ?? []).some((s) => s >= e.at && s < times.fireAt)
      // One timer per rule: the earliest start wins (one that arrives late replaces a later one).
      if (stopped || (current && (current.fired || current.since <= e.at))) continue
      timers = [
        ...timers.filter((t) => t !== current),
        { rule: rule.name, since: e.at, ...times, fired: false, convertedAt: null, properties: e.properties },
      ]
    }
  }
  return { state: { timers, stops }, changed, invalid }
}

/**
 * Arms a yearly rule's next date from an event carrying it: when the person has no timer for the
 * rule, or one not fired yet for another date. A fired one stays; it re-arms itself.
 */
function armAnniversary(rule: TriggerRule, timers: Timer[], e: TimedEvent): Timer[] {
  const date = e.birthday
  if (!rule.anniversary || !date) return timers
  const current = timers.find((t) => t.rule === rule.name)
  if (current && (current.fired || current.properties[rule.anniversary.attribute] === date)) return timers
  const fireAt = nextAnniversary(date, e.at, rule.anniversary.timeZone)
  if (fireAt === null) return timers
  const timer = anniversaryTimer(rule, date, fireAt)
  return [...timers.filter((t) => t !== current), timer]
}

function anniversaryTimer(rule: TriggerRule, date: string, fireAt: number): Timer {
  const attribute = rule.anniversary?.attribute ?? 'date'
  // since = fireAt: no stop event can cancel it.
  return {
    rule: rule.name,
    since: fireAt,
    fireAt,
    deadline: null,
    fired: false,
    convertedAt: null,
    properties: { [attribute]: date },
  }
}

/** A closed yearly timer's successor, the year after; nothing for other rules. */
function rearmed(rule: TriggerRule | undefined, t: Timer): Timer[] {
  const date = rule?.anniversary ? t.properties[rule.anniversary.attribute] : undefined
  if (!rule?.anniversary || date === undefined) return []
  const fireAt = followingAnniversary(date, t.fireAt, rule.anniversary.timeZone)
  return fireAt === null ? [] : [anniversaryTimer(rule, date, fireAt)]
}

function fireTimes(rule: TriggerRule, e: TimedEvent): { fireAt: number; deadline: number | null } | null {
  if (rule.after !== undefined) return { fireAt: e.at + rule.after, deadline: null }
  const raw = rule.deadline ? e.properties[rule.deadline.property] : undefined
  if (raw === undefined) return null
  const deadline = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw)
  if (!Number.isFinite(deadline) || !rule.deadline) return null
  return { fireAt: deadline - rule.deadline.before, deadline }
}

/**
 * Moves a person's timers to the watermark: armed ones due fire (unless a stop in their window
 * arrived meanwhile), fired ones whose conversion window has passed are done.
 */
export function advanceTimers(
  state: TriggerState,
  watermark: number,
  rules: readonly TriggerRule[],
): { state: TriggerState; fired: Timer[] } {
  const within = new Map(rules.map((r) => [r.name, r.convertWithin]))
  const byName = new Map(rules.map((r) => [r.name, r]))
  const fired: Timer[] = []
  const timers = state.timers.flatMap((t): Timer[] => {
    if (!t.fired) {
      if (t.fireAt > watermark) return [t]
      const stops = state.stops[t.rule] ?? []
      if (stops.some((s) => s >= t.since && s < t.fireAt)) return []
      // A stop already seen after the firing time (the watermark was behind) is a conversion.
      const after = stops.filter((s) => s >= t.fireAt && s <= t.fireAt + (within.get(t.rule) ?? 0))
      const next = { ...t, fired: true, convertedAt: after.length > 0 ? Math.min(...after) : null }
      fired.push(next)
      return [next]
    }
    return t.fireAt + (within.get(t.rule) ?? 0) < watermark ? rearmed(byName.get(t.rule), t) : [t]
  })
  return { state: { ...state, timers }, fired }
}

/** When this person's timers next need the watermark to move (a firing or a window closing). */
export function nextDue(state: TriggerState, rules: readonly TriggerRule[]): number | null {
  const within = new Map(rules.map((r) => [r.name, r.convertWithin]))
  let next: number | null = null
  for (const t of state.timers) {
    const due = t.fired ? t.fireAt + (within.get(t.rule) ?? 0) : t.fireAt
    if (next === null || due < next) next = due
  }
  return next
}

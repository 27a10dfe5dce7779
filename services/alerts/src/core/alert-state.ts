/**
 * One series' alert state machine: normal → pending (the condition holds, not yet for `for`)
 * → firing → resolved (back to normal once the condition has stayed clear for
 * `keepFiringFor`: hysteresis against flapping). While firing, a reminder is due every
 * `repeatEvery`. No data is handled as the rule says: as clear, as a breach, or as nothing
 * (the state is kept). Pure: the state is a value, restored from the `alerts` table on start.
 */
export type Phase = 'normal' | 'pending' | 'firing'

export interface SeriesState {
  phase: Phase
  /** When the current breach began (pending or firing); null when normal. */
  since: number | null
  /** The latest evaluation at which the condition held. */
  lastBreach: number | null
  /** When the latest notification (firing or reminder) was due. */
  lastNotified: number | null
}

export interface Timing {
  forMs: number
  keepFiringForMs: number
  repeatEveryMs: number
  noData: 'clear' | 'breach' | 'keep'
}

export type Transition = 'pending' | 'firing' | 'reminder' | 'resolved' | 'cancelled'

export const NORMAL: SeriesState = { phase: 'normal', since: null, lastBreach: null, lastNotified: null }

/** One evaluation at `at`: `breached` true / false, or null when the series had no data. */
export function step(
  s: SeriesState,
  at: number,
  breached: boolean | null,
  t: Timing,
): { state: SeriesState; transition: Transition | null } {
  const holds = breached ?? (t.noData === 'breach' ? true : t.noData === 'clear' ? false : null)
  if (holds === null) return { state: s, transition: null }
  if (holds) {
    if (s.phase === 'normal') {
      const pending: SeriesState = { phase: 'pending', since: at, lastBreach: at, lastNotified: null }
      return t.forMs <= 0 ? fire(pending, at) : { state: pending, transition: 'pending' }
    }
    if (s.phase === 'pending') {
      const next = { ...s, lastBreach: at }
      return at - (s.since ?? at) >= t.forMs ? fire(next, at) : { state: next, transition: null }
    }
    const next = { ...s, lastBreach: at }
    if (at - (s.lastNotified ?? at) >= t.repeatEveryMs)
      return { state: { ...next, lastNotified: at }, transition: 'reminder' }
    return { state: next, transition: null }
  }
  if (s.phase === 'pending') return { state: NORMAL, transition: 'cancelled' }
  if (s.phase === 'firing' && at - (s.lastBreach ?? at) >= t.keepFiringForMs)
    return { state: NORMAL, transition: 'resolved' }
  return { state: s, transition: null }
}

function fire(s: SeriesState, at: number): { state: SeriesState; transition: Transition } {
  return { state: { ...s, phase: 'firing', lastNotified: at }, transition: 'firing' }
}

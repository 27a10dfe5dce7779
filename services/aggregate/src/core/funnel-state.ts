/**
 * One person's progress through one funnel, maintained incrementally with exactly the result of
 * ClickHouse's `windowFunnel(window)(timestamp, step1, …, stepN)` (default mode) over all of the
 * person's events — also when events arrive out of order, as long as they are at most the allowed
 * lateness older than the newest event seen for the person.
 *
 * windowFunnel walks the (timestamp, step) pairs in order; a step-1 pair starts a chain, a
 * step-k pair extends the chain at step k−1 when it lies within the window of that chain's
 * start. That walk is a left fold, so the pairs older than the lateness frontier (nothing can
 * arrive before them any more) are folded into a checkpoint — per step, the start of the chain
 * that reached it — and dropped. What is kept is the checkpoint plus the pairs of the last
 * `lateness` of event time: small, whatever the window.
 */
import type { FunnelDefinition } from './funnel-config.ts'

export interface FunnelState {
  /** Per step, the start time of the chain that reached it in the folded prefix; null if none. */
  starts: Array<number | null>
  /** When each step was first reached in the folded prefix, and that chain's start. */
  reached: Array<{ at: number; entryAt: number } | null>
  /** Pairs before this time are folded in; events before it are late. */
  frontier: number
  /** (timestamp, step index) pairs at or after the frontier, sorted, without repeats. */
  pairs: Array<[number, number]>
  newest: number
}

export interface FunnelProgress {
  /** Steps reached, 0…N: windowFunnel's result. */
  level: number
  /** For each step reached: when, and when the chain that reached it entered the funnel. */
  reached: Array<{ at: number; entryAt: number }>
}

export function emptyFunnelState(steps: number): FunnelState {
  return {
    starts: new Array<number | null>(steps).fill(null),
    reached: new Array<null>(steps).fill(null),
    frontier: Number.NEGATIVE_INFINITY,
    pairs: [],
    newest: Number.NEGATIVE_INFINITY,
  }
}

type Fold = Pick<FunnelState, 'starts' | 'reached'>

function fold(from: Fold, pairs: ReadonlyArray<readonly [number, number]>, windowMs: number): Fold {
  const starts = [...from.starts]
  const reached = [...from.reached]
  for (const [ts, step] of pairs) {
    let start: number | null = null
    if (step === 0) start = ts
    else {
      const previous = starts[step - 1]
      if (previous !== null && previous !== undefined && ts <= previous + windowMs) start = previous
    }
    if (start === null) continue
    starts[step] = start
    if (!reached[step]) reached[step] = { at: ts, entryAt: start }
  }
  return { starts, reached }
}

const before = (a: readonly [number, number], b: readonly [number, number]) => a[0] - b[0] || a[1] - b[1]

/**
 * Adds one event: its time and the steps it matches. Returns `late` (and the state unchanged)
 * for an event older than the frontier; it is not counted.
 */
export function addToFunnel(
  state: FunnelState,
  funnel: Pick<FunnelDefinition, 'window'>,
  ts: number,
  steps: readonly number[],
  latenessMs: number,
): { state: FunnelState; late: boolean } {
  if (ts < state.frontier) return { state, late: true }
  const pairs = [...state.pairs]
  for (const step of steps) {
    const pair: [number, number] = [ts, step]
    let i = pairs.length
    while (i > 0 && before(pairs[i - 1] as [number, number], pair) > 0) i--
    const previous = pairs[i - 1]
    if (!previous || before(previous, pair) !== 0) pairs.splice(i, 0, pair)
  }
  const newest = Math.max(state.newest, ts)
  const frontier = Math.max(state.frontier, newest - latenessMs)
  const cut = pairs.findIndex((p) => p[0] >= frontier)
  const old = cut === -1 ? pairs : pairs.slice(0, cut)
  const folded = old.length > 0 ? fold(state, old, funnel.window) : state
  return {
    state: {
      starts: folded.starts,
      reached: folded.reached,
      frontier,
      pairs: cut === -1 ? [] : pairs.slice(cut),
      newest,
    },
    late: false,
  }
}

/** windowFunnel's result for everything added so far. */
export function funnelProgress(state: FunnelState, funnel: Pick<FunnelDefinition, 'window'>): FunnelProgress {
  const { reached } = fold(state, state.pairs, funnel.window)
  const level = reached.reduce((n, r, i) => (r ? i + 1 : n), 0)
  return { level, reached: reached.slice(0, level).map((r) => r ?? { at: 0, entryAt: 0 }) }
}

/** A funnel's state from all of a person's (timestamp, step) pairs at once, folded as addToFunnel would. */
export function funnelFromPairs(
  pairs: ReadonlyArray<readonly [number, number]>,
  funnel: Pick<FunnelDefinition, 'window' | 'steps'>,
  latenessMs: number,
): FunnelState {
  const sorted = [...pairs]
    .sort(before)
    .filter((p, i, all) => i === 0 || before(all[i - 1] as [number, number], p) !== 0)
  if (sorted.length === 0) return emptyFunnelState(funnel.steps.length)
  const newest = (sorted[sorted.length - 1] as [number, number])[0]
  const frontier = newest - latenessMs
  const cut = sorted.findIndex((p) => p[0] >= frontier)
  const old = cut === -1 ? sorted : sorted.slice(0, cut)
  const empty = emptyFunnelState(funnel.steps.length)
  const folded = fold(empty, old, funnel.window)
  return {
    starts: folded.starts,
    reached: folded.reached,
    frontier,
    pairs: (cut === -1 ? [] : sorted.slice(cut)).map((p) => [p[0], p[1]] as [number, number]),
    newest,
  }
}

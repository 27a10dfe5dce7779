import { type AlertMessage, formatValue, renderTemplate } from './alert-message.ts'
import type { AlertRule } from './alert-rules.ts'
import { NORMAL, type SeriesState, step, type Transition } from './alert-state.ts'
import { type Evaluation, evaluateRule } from './evaluate-rule.ts'
import { explainSeries, percentOf } from './explain-series.ts'
import { type SeriesRow, splitSeries } from './series-frame.ts'

/** A series the evaluator keeps in mind: not normal, or resolved recently (its end is re-sent). */
export interface TrackedSeries {
  rule: string
  key: string
  labels: Record<string, string>
  state: SeriesState
  evaluation: Evaluation | null
  explanation: string
  /** When it last resolved; null while pending or firing. */
  resolvedAt: number | null
  /** When the breach began: kept after resolution for the resolved notification. */
  startedAt: number | null
}

export type Tracked = Map<string, TrackedSeries>

export interface AlertChange {
  rule: AlertRule
  series: TrackedSeries
  transition: Transition
  at: number
}

const NO_DATA: Evaluation = { value: null, baseline: null, score: null, volume: 0, breached: null }

export const trackedId = (rule: string, key: string): string => `${rule}\u0000${key}`

/**
 * One evaluation of every rule at window end `at` (a minute) and wall time `now` (state timing):
 * updates `tracked` in place and returns the state changes. A series the rows no longer show is
 * evaluated as having no data (the rule's noData says what that means). Resolved series stay
 * tracked for `resolvedKeepMs` so that receivers keep hearing of the resolution.
 */
export function evaluateTick(
  rules: readonly AlertRule[],
  rows: readonly SeriesRow[],
  tracked: Tracked,
  at: number,
  now: number,
  resolvedKeepMs: number,
): AlertChange[] {
  const changes: AlertChange[] = []
  for (const rule of rules) {
    const series = splitSeries(rule, rows)
    const keys = new Set(series.keys())
    for (const t of tracked.values()) if (t.rule === rule.name) keys.add(t.key)
    for (const key of keys) {
      const s = series.get(key)
      const id = trackedId(rule.name, key)
      const before = tracked.get(id)
      const evaluation = s ? evaluateRule(rule, at, s.points) : NO_DATA
      const { state, transition } = step(before?.state ?? NORMAL, now, evaluation.breached, {
        forMs: rule.for,
        keepFiringForMs: rule.keepFiringFor,
        repeatEveryMs: rule.repeatEvery,
        noData: rule.noData,
      })
      const next: TrackedSeries = {
        rule: rule.name,
        key,
        labels: s?.labels ?? before?.labels ?? {},
        state,
        evaluation,
        explanation: before?.explanation ?? '',
        resolvedAt:
          transition === 'resolved' ? now : state.phase === 'normal' ? (before?.resolvedAt ?? null) : null,
        startedAt: state.since ?? before?.startedAt ?? null,
      }
      if (s && (transition === 'firing' || transition === 'reminder'))
        next.explanation = explainSeries(rule, s, at).text
      const keep =
        state.phase !== 'normal' || (next.resolvedAt !== null && now - next.resolvedAt < resolvedKeepMs)
      if (keep) tracked.set(id, next)
      else tracked.delete(id)
      if (transition) changes.push({ rule, series: next, transition, at: now })
    }
  }
  return changes
}

/** The value at which the rule breaches, where the condition has one in the series' units. */
export function thresholdOf(rule: AlertRule, e: Evaluation | null): number | null {
  const c = rule.condition
  if (c.type === 'threshold') return c.value
  if (c.type === 'relative' && e?.baseline != null)
    return e.baseline * (c.direction === 'drop' ? 1 - c.byFraction : 1 + c.byFraction)
  return null
}

/**
 * The message receivers get for a firing or recently resolved series. A firing alert's endsAt
 * lies `firingEndsInMs` ahead (Alertmanager resolves it by itself if it stops hearing of it); a
 * resolved one ends when it resolved.
 */
export function alertMessage(
  rule: AlertRule,
  t: TrackedSeries,
  now: number,
  opts: { firingEndsInMs: number; generatorURL: string },
): AlertMessage {
  const ratio = percentOf(rule)
  const e = t.evaluation
  const labels = { ...rule.labels, ...t.labels }
  const vars = {
    value: formatValue(e?.value ?? null, ratio),
    baseline: formatValue(e?.baseline ?? null, ratio),
    score: e?.score ?? null,
    volume: e?.volume ?? null,
    explanation: t.explanation || null,
  }
  const annotations = Object.fromEntries(
    Object.entries(rule.annotations).map(([k, v]) => [k, renderTemplate(v, vars, labels)]),
  )
  const firing = t.state.phase === 'firing'
  const url = new URL(opts.generatorURL)
  url.searchParams.set('rule', rule.name)
  return {
    rule: rule.name,
    severity: rule.severity,
    state: firing ? 'firing' : 'resolved',
    labels,
    annotations,
    startsAt: new Date(t.startedAt ?? now),
    endsAt: new Date(firing ? now + opts.firingEndsInMs : (t.resolvedAt ?? now)),
    value: e?.value ?? null,
    baseline: e?.baseline ?? null,
    generatorURL: url.toString(),
  }
}

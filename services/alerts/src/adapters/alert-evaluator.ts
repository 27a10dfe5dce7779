import type { ClickHouseClient } from '@opstream/runtime/clickhouse-client'
import { describeError } from '@opstream/runtime/errors'
import type { Logger } from 'pino'
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { AlertRule, AlertRules } from '../core/alert-rules.ts'
import {
  type AlertChange,
  alertMessage,
  evaluateTick,
  type Tracked,
  type TrackedSeries,
} from '../core/alert-tick.ts'
import { evaluationMinute } from '../core/series-frame.ts'
import { restoreTracked, writeChanges } from './alerts-table.ts'
import { readSeriesRows } from './metric-reader.ts'
import type { Notifier } from './notifier.ts'

export interface AlertEvaluatorOptions {
  /** The read-only user: reads `metric_series` and the `alerts` history. */
  reader: ClickHouseClient
  /** A writer: every state change is a row in `alerts`. */
  writer: ClickHouseClient
  rules: AlertRules
  notifier: Notifier
  log: Logger
  registry: Registry
  /** Windows end this long before now (see ALERTS_DELAY_MS). */
  delayMs: number
  generatorURL: string
  /** Called after this many evaluations in a row failed (ClickHouse gone): the process should exit. */
  maxFailures?: number
  onFatal?: (err: unknown) => void
  now?: () => number
}

/**
 * Evaluates every rule each `interval` (from the rules file) against `metric_series`: the state
 * changes are written to `alerts` first and only then taken as the new state, so a failed write
 * is simply evaluated again; then they are handed to the notifier. On start the state is
 * restored from `alerts`.
 */
export function createAlertEvaluator(opts: AlertEvaluatorOptions) {
  const now = opts.now ?? Date.now
  const { rules, interval } = opts.rules
  const byName = new Map<string, AlertRule>(rules.map((r) => [r.name, r]))
  // Alertmanager ends a firing alert it has not heard of for this long; resolutions are re-sent
  // for this long too.
  const firingEndsInMs = Math.max(3 * interval, 60_000)
  const resolvedKeepMs = Math.max(3 * interval, 300_000)
  const m = metrics(opts.registry)
  let tracked: Tracked = new Map()
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  let failures = 0

  const message = (t: TrackedSeries, at: number) => {
    const rule = byName.get(t.rule)
    return rule ? alertMessage(rule, t, at, { firingEndsInMs, generatorURL: opts.generatorURL }) : null
  }

  const evaluate = async () => {
    const started = now()
    const at = evaluationMinute(started, opts.delayMs)
    const rows = await readSeriesRows(opts.reader, rules, at)
    const next = new Map(tracked)
    const changes = evaluateTick(rules, rows, next, at, started, resolvedKeepMs)
    await writeChanges(opts.writer, changes)
    tracked = next
    for (const c of changes) {
      m.changes.inc({ rule: c.rule.name, transition: c.transition })
      opts.log.info(logFields(c), 'alert state changed')
    }
    const active = [...tracked.values()]
      .filter((t) => t.state.phase === 'firing' || t.resolvedAt !== null)
      .flatMap((t) => message(t, started) ?? [])
    const notify = changes
      .filter((c) => c.transition === 'firing' || c.transition === 'reminder' || c.transition === 'resolved')
      .flatMap((c) => message(c.series, started) ?? [])
    void opts.notifier.deliver(active, notify)
    m.firing.reset()
    for (const t of tracked.values()) if (t.state.phase === 'firing') m.firing.inc({ rule: t.rule })
    m.seconds.observe((now() - started) / 1000)
  }

  const tick = async () => {
    try {
      await evaluate()
      failures = 0
      m.evaluations.inc({ outcome: 'ok' })
    } catch (err) {
      failures++
      m.evaluations.inc({ outcome: 'error' })
      opts.log.error(
        { err: describeError(err), failures },
        'alert evaluation failed; trying again next interval',
      )
      if (failures >= (opts.maxFailures ?? 10)) opts.onFatal?.(err)
    }
  }

  return {
    async start(): Promise<void> {
      tracked = await restoreTracked(opts.reader, new Set(byName.keys()), now(), resolvedKeepMs)
      opts.log.info(
        { rules: rules.length, intervalMs: interval, restored: tracked.size },
        'alert rules evaluating',
      )
      running = tick()
      timer = setInterval(() => {
        // An evaluation still running (a slow ClickHouse) makes the next one wait, not overlap.
        running = running.then(tick)
      }, interval)
    },
    async stop(): Promise<void> {
      clearInterval(timer)
      await running
      await opts.notifier.flush()
    },
    /** The series pending, firing or recently resolved, as receivers see them (the /alerts page). */
    snapshot() {
      const at = now()
      return [...tracked.values()].map((t) => ({ phase: t.state.phase, ...message(t, at) }))
    },
  }
}

function logFields(c: AlertChange) {
  return {
    rule: c.rule.name,
    series: c.series.key,
    transition: c.transition,
    value: c.series.evaluation?.value,
    baseline: c.series.evaluation?.baseline,
    explanation: c.series.explanation || undefined,
  }
}

function metrics(registry: Registry) {
  return {
    evaluations: new Counter({
      name: 'alerts_evaluations_total',
      help: 'Evaluations of all alert rules by outcome; one per interval. Healthy: no errors.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    seconds: new Histogram({
      name: 'alerts_evaluation_seconds',
      help: 'Time to read the series, evaluate every rule and record the changes; well under the interval.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    changes: new Counter({
      name: 'alerts_state_changes_total',
      help: 'Alert state changes by rule and transition (pending, firing, reminder, resolved, cancelled).',
      labelNames: ['rule', 'transition'],
      registers: [registry],
    }),
    firing: new Gauge({
      name: 'alerts_firing',
      help: 'Series firing per rule; zero when all is well.',
      labelNames: ['rule'],
      registers: [registry],
    }),
  }
}

import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import { insertRows } from '@opstream/runtime/clickhouse-insert'
import type { Phase } from '../core/alert-state.ts'
import { type AlertChange, type Tracked, thresholdOf, trackedId } from '../core/alert-tick.ts'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/**
 * Writes one `alerts` row per state change. The deduplication token names the changes, so an
 * insert re-sent after a failure adds nothing.
 */
export async function writeChanges(client: ClickHouseClient, changes: readonly AlertChange[]): Promise<void> {
  if (changes.length === 0) return
  const rows = changes.map(({ rule, series: s, transition, at }) => ({
    at: iso(at),
    rule: rule.name,
    series: s.key,
    labels: { ...rule.labels, ...s.labels },
    state: transition,
    severity: rule.severity,
    value: s.evaluation?.value ?? null,
    baseline: s.evaluation?.baseline ?? null,
    threshold: thresholdOf(rule, s.evaluation),
    score: s.evaluation?.score ?? null,
    volume: s.evaluation?.volume ?? 0,
    started_at: iso(s.startedAt ?? at),
    resolved_at: iso(s.resolvedAt),
    last_breach: iso(s.state.lastBreach),
    explanation: s.explanation,
    annotations: {},
  }))
  const token = changes.map((c) => `${c.rule.name}/${c.series.key}/${c.transition}/${c.at}`).join('|')
  await insertRows(client, 'alerts', rows, { token }, { date_time_input_format: 'best_effort' })
}

interface LatestRow {
  rule: string
  series: string
  latest_labels: Record<string, string>
  latest: string
  started_ms: string
  resolved_ms: string | null
  notified_ms: string | null
  latest_explanation: string
}

const ms = (s: string | null) => (s === null ? null : Number(s))

/**
 * The evaluator's memory after a restart, from each series' newest row: pending and firing
 * series carry on (a firing one counts as breached at the restart, so it is not resolved before
 * `keepFiringFor` has passed again), and series resolved less than `resolvedKeepMs` ago are
 * kept so that their resolution is still sent.
 */
export async function restoreTracked(
  client: ClickHouseClient,
  rules: ReadonlySet<string>,
  now: number,
  resolvedKeepMs: number,
): Promise<Tracked> {
  const rows = await queryRows<LatestRow>(
    client,
    `SELECT rule, series, argMax(labels, at) AS latest_labels, argMax(state, at) AS latest,
            toUnixTimestamp64Milli(argMax(started_at, at)) AS started_ms,
            toUnixTimestamp64Milli(argMax(resolved_at, at)) AS resolved_ms,
            toUnixTimestamp64Milli(maxIf(at, state IN ('firing', 'reminder'))) AS notified_ms,
            argMax(explanation, at) AS latest_explanation
     FROM alerts
     WHERE at >= now64(3) - INTERVAL 30 DAY
     GROUP BY rule, series
     HAVING latest IN ('pending', 'firing', 'reminder')
         OR (latest = 'resolved' AND resolved_ms >= {since:Int64})`,
    { since: now - resolvedKeepMs },
  )
  const tracked: Tracked = new Map()
  for (const r of rows) {
    if (!rules.has(r.rule)) continue
    const phase: Phase = r.latest === 'pending' ? 'pending' : r.latest === 'resolved' ? 'normal' : 'firing'
    const started = ms(r.started_ms)
    tracked.set(trackedId(r.rule, r.series), {
      rule: r.rule,
      key: r.series,
      labels: r.latest_labels,
      state: {
        phase,
        since: phase === 'normal' ? null : started,
        lastBreach: phase === 'normal' ? null : now,
        lastNotified: phase === 'firing' ? ms(r.notified_ms) : null,
      },
      evaluation: null,
      explanation: r.latest_explanation,
      resolvedAt: phase === 'normal' ? ms(r.resolved_ms) : null,
      startedAt: started,
    })
  }
  return tracked
}

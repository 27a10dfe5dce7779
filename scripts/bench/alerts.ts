/**
 * Alert rules on generated data, no servers: detection quality of the seasonal anomaly rule and
 * the cost of evaluating many series.
 *
 * A 6-week per-minute series of registrations with daily and weekly seasonality (quiet nights,
 * busier weekday evenings, calmer weekends), Poisson noise, a holiday-like dip (a whole day at
 * 40 %) in week 2, and 20 injected anomalies (drops to 20–35 % or spikes to 3× for 30–90
 * minutes) in weeks 5–6, which are evaluated minute by minute with 4 weeks of history. An
 * anomaly is detected when the rule starts firing between its start and 30 minutes after its
 * end; any other firing is a false alert. The same series with the minimum volume and `for`
 * removed shows what they keep from paging at night.
 *   npm run bench:alerts
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readSeriesRows } from '../../services/alerts/src/adapters/metric-reader.ts'
import { type AlertRule, alertRulesSchema } from '../../services/alerts/src/core/alert-rules.ts'
import { NORMAL, type SeriesState, step } from '../../services/alerts/src/core/alert-state.ts'
import { evaluateTick, type Tracked } from '../../services/alerts/src/core/alert-tick.ts'
import { evaluateRule } from '../../services/alerts/src/core/evaluate-rule.ts'
import { neededRanges, type SeriesRow } from '../../services/alerts/src/core/series-frame.ts'
import { startLocalClickHouse } from '../../services/clickhouse-local/src/server-process.ts'
import { createClickHouse } from '../../services/runtime/src/clickhouse-client.ts'
import { createLogger } from '../../services/runtime/src/logger.ts'
import { runMigrations } from '../../services/runtime/src/migrations.ts'
import { seededRandom } from '../../services/runtime/test/support/seeded-random.ts'
import { cpuSecondsOf, cpuUsedSince } from './cpu-time.ts'

const M = 60_000
const DAY = 1_440 * M
const START = Date.parse('2026-09-07T00:00:00Z') // a Monday
const WEEKS = 6
const rand = seededRandom(2026)

function poisson(lambda: number): number {
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()))
  const l = Math.exp(-lambda)
  let k = 0
  let p = 1
  do {
    k += 1
    p *= rand()
  } while (p > l)
  return k - 1
}
function normal(): number {
  return Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand())
}

/** Expected registrations per minute: nights ~1, weekday evenings ~40, weekends × 0.7. */
function rate(t: number): number {
  const minuteOfDay = ((t - START) % DAY) / M
  const dayOfWeek = Math.floor((t - START) / DAY) % 7
  const hour = minuteOfDay / 60
  const daily = 1 + 39 * Math.max(0, Math.sin((Math.PI * (hour - 6)) / 18)) ** 2
  return daily * (dayOfWeek >= 5 ? 0.7 : 1)
}

interface Anomaly {
  start: number
  end: number
  factor: number
}
const anomalies: Anomaly[] = []
while (anomalies.length < 20) {
  const day = 28 + Math.floor(rand() * 14)
  const minute = (9 + Math.floor(rand() * 12)) * 60 + Math.floor(rand() * 60) // 09:00–21:59
  const start = START + day * DAY + minute * M
  const end = start + (30 + Math.floor(rand() * 60)) * M
  if (anomalies.some((a) => start < a.end + 3 * 3_600_000 && end > a.start - 3 * 3_600_000)) continue
  anomalies.push({ start, end, factor: rand() < 0.75 ? 0.2 + rand() * 0.15 : 3 })
}
anomalies.sort((a, b) => a.start - b.start)

const holiday = { start: START + 9 * DAY, end: START + 10 * DAY } // week 2, a Wednesday
const series = new Map<number, number>()
for (let t = START; t < START + WEEKS * 7 * DAY; t += M) {
  let lambda = rate(t)
  if (t >= holiday.start && t < holiday.end) lambda *= 0.4
  const a = anomalies.find((x) => t >= x.start && t < x.end)
  if (a) lambda *= a.factor
  series.set(t, poisson(lambda))
}

const base = {
  name: 'registrations',
  severity: 'page',
  series: { metric: 'events', event: 'register' },
  window: '15m',
  condition: { type: 'anomaly', weeks: 4, score: 3.5, direction: 'both' },
}
const parse = (r: object) => alertRulesSchema.parse({ rules: [r] }).rules[0] as AlertRule
const guarded = parse({ ...base, for: '5m', keepFiringFor: '15m', minVolume: 120 })
// The file would refuse an anomaly rule on a count without a minimum volume: set to 0 here for the comparison.
const bare: AlertRule = { ...parse({ ...base, for: '0m', minVolume: 1 }), minVolume: 0 }

function run(rule: AlertRule) {
  let state: SeriesState = NORMAL
  const firings: number[] = []
  const from = START + 28 * DAY
  for (let t = from; t < START + WEEKS * 7 * DAY; t += M) {
    const e = evaluateRule(rule, t, { value: series })
    const r = step(state, t, e.breached, {
      forMs: rule.for,
      keepFiringForMs: rule.keepFiringFor,
      repeatEveryMs: rule.repeatEvery,
      noData: rule.noData,
    })
    state = r.state
    if (r.transition === 'firing') firings.push(t)
  }
  const inAnomaly = (f: number) => anomalies.some((a) => f >= a.start && f <= a.end + 30 * M)
  const detected = anomalies.filter((a) => firings.some((f) => f >= a.start && f <= a.end + 30 * M))
  const falseAlerts = firings.filter((f) => !inAnomaly(f))
  const night = falseAlerts.filter((f) => ((f - START) % DAY) / 3_600_000 < 6)
  return { firings, detected, falseAlerts, night }
}

const days = 14
const g = run(guarded)
const b = run(bare)
const line = (label: string, r: ReturnType<typeof run>) =>
  `${label}: ${r.firings.length} alerts, recall ${(r.detected.length / anomalies.length).toFixed(2)} ` +
  `(${r.detected.length}/${anomalies.length}), precision ${((r.firings.length - r.falseAlerts.length) / Math.max(1, r.firings.length)).toFixed(2)} ` +
  `(${(r.firings.length - r.falseAlerts.length) / Math.max(1, r.detected.length) > 1 ? `${((r.firings.length - r.falseAlerts.length) / Math.max(1, r.detected.length)).toFixed(1)} firings per detected anomaly` : 'one firing per anomaly'}), ` +
  `${(r.falseAlerts.length / days).toFixed(2)} false alerts per day (${r.night.length} at night, 00:00–06:00)`
process.stdout.write(
  `anomaly rule (modified z ≥ 3.5 against the same minute of the last 4 weeks, 15-minute window), 2 weeks evaluated minute by minute:\n` +
    `  ${line('with minimum volume 120, for 5m, keepFiringFor 15m', g)}\n` +
    `  ${line('without minimum volume and for', b)}\n`,
)

// Evaluation cost: 1,000 series (as 1,000 breakdown values would be), one evaluation each.
const at = START + 40 * DAY + 14 * 60 * M
const cpu = process.cpuUsage()
const t0 = performance.now()
let breaches = 0
for (let i = 0; i < 1_000; i++)
  if (evaluateRule(guarded, at + (i % 60) * M, { value: series }).breached) breaches += 1
const wall = performance.now() - t0
const used = process.cpuUsage(cpu)
process.stdout.write(
  `evaluating 1,000 series once: ${wall.toFixed(1)} ms wall, ${((used.user + used.system) / 1000).toFixed(1)} ms CPU (${breaches} breaching)\n`,
)

// A whole evaluation as the evaluator runs it, minus the ClickHouse read: the rows of 1,000
// series (250 channels × 4 platforms) in the current and the 4 baseline windows, split into
// series, each evaluated and stepped, explanations for those that fire — and how many rows that is.
// Evaluated 20 minutes into the first injected anomaly: every series fires at once.
const wide = { ...guarded, by: ['channel_group', 'platform'] as AlertRule['by'], for: 0, minVolume: 0 }
const atWide = (anomalies[0] as Anomaly).start + 20 * M
const rows: SeriesRow[] = []
for (const [from, to] of neededRanges([wide], atWide))
  for (let m = from; m < to; m += M)
    for (let c = 0; c < 250; c++)
      for (const platform of ['ios', 'android', 'h5', 'miniprogram']) {
        const v = series.get(m) ?? 0
        rows.push({
          minute: m,
          metric: 'events',
          event: 'register',
          channel_group: `ch${c}`,
          platform,
          value: v,
        })
      }
const tracked: Tracked = new Map()
const cpu2 = process.cpuUsage()
const t1 = performance.now()
const changes = evaluateTick([wide], rows, tracked, atWide, atWide, 300_000)
const wall2 = performance.now() - t1
const used2 = process.cpuUsage(cpu2)
process.stdout.write(
  `one evaluation of 1,000 series from ${rows.length.toLocaleString('en')} rows (split, evaluate, step): ${wall2.toFixed(1)} ms wall, ${((used2.user + used2.system) / 1000).toFixed(1)} ms CPU (${changes.length} state changes)\n`,
)

// The read it starts with: the same rows in the local ClickHouse server, read from
// metric_series for the rule (the CPU figure is this process's; the server's is printed apart).
const log = createLogger({ service: 'bench', level: 'warn' })
const server = await startLocalClickHouse({
  dataDir: await mkdtemp(join(tmpdir(), 'opstream-bench-alerts-')),
  port: 0,
})
const ch = await createClickHouse({
  url: server.url,
  user: 'opstream',
  password: 'opstream',
  database: 'bench_alerts',
  log,
})
await runMigrations(ch.client, fileURLToPath(new URL('../../infra/clickhouse/', import.meta.url)), log)
await ch.client.insert({
  table: 'metric_points',
  format: 'JSONEachRow',
  values: rows.map((r) => ({ ...r, minute: r.minute / 1000 })),
})
for (let run = 1; run <= 3; run++) {
  const cpu3 = process.cpuUsage()
  const server3 = cpuSecondsOf(server.child.pid)
  const t2 = performance.now()
  const read = await readSeriesRows(ch.client, [wide], atWide)
  const used3 = process.cpuUsage(cpu3)
  const serverUsed = cpuUsedSince(server.child.pid, server3)
  process.stdout.write(
    `reading them from metric_series (local ClickHouse server), run ${run}: ${read.length.toLocaleString('en')} rows, ${(performance.now() - t2).toFixed(1)} ms wall, ${((used3.user + used3.system) / 1000).toFixed(1)} ms CPU here, ${serverUsed === null ? 'n/a' : `${(serverUsed * 1000).toFixed(1)} ms`} in the server\n`,
  )
}
await ch.close()
await server.stop()

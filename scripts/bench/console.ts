/**
 * console benchmark: 90 days × 200 cost codes × 4 platforms of rollups (channel_daily,
 * activity_daily with 10 persons' uniqExact states per row, cohort_activity, channel_costs, the
 * last hour of metric_points), 90 days of funnel progress (5,000 persons a day through a 4-step
 * funnel, refreshed into funnel_hourly / funnel_daily), trigger outcomes, alert state changes,
 * 6 hours of pipeline health and 10,000 dead letters in a local ClickHouse server; then every
 * console API, called as the
 * browser calls it (HTTP to a real console process, signed in), 30 times each over a 30-day range
 * → p50 / p95 / max; then the daily and the weekly report rendered in-process (numbers, HTML, PNG,
 * Markdown) → time.
 *   npm run bench:console [-- --runs 30]
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startLocalClickHouse } from '../../services/clickhouse-local/src/server-process.ts'
import { hashPassword } from '../../services/console/src/core/password.ts'
import { runReport } from '../../services/console/src/report/report-job.ts'
import { createClickHouse, queryRows } from '../../services/runtime/src/clickhouse-client.ts'
import { createLogger } from '../../services/runtime/src/logger.ts'
import { runMigrations } from '../../services/runtime/src/migrations.ts'
import { startService } from '../../services/runtime/test/support/service-process.ts'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' } } })
const RUNS = Number(values.runs)
const DAYS = 90
const CODES = 200
const FIRST = '2026-09-03'
const LAST = '2026-12-01'
const log = createLogger({ service: 'bench', level: 'warn' })
const print = (line: string) => process.stdout.write(`${line}\n`)

const ROLLUPS = [
  `INSERT INTO channel_daily
   SELECT toDate('${FIRST}') + intDiv(number, ${CODES * 4}) AS day,
     concat('Group ', toString(number % ${CODES} % 12)), concat('src', toString(number % ${CODES} % 40)),
     concat('camp', toString(number % ${CODES})), concat('camp', toString(number % ${CODES})),
     ['ios', 'android', 'h5', 'miniprogram'][intDiv(number, ${CODES}) % 4 + 1],
     1000 + number % 97, 40 + number % 13, 30 + number % 11, 20 + number % 7, 5 + number % 5, 9 + number % 6,
     toDecimal128(50000 + number % 9973, 4), toDecimal128(20000 + number % 7919, 4)
   FROM numbers(${DAYS * CODES * 4})`,
  `INSERT INTO activity_daily
   SELECT day, grp, src, camp, platform, count(), uniqExactState(person), uniqExactState(person), uniqExactState(person),
     uniqExactState(person), uniqExactStateIf(person, k < 2), uniqExactStateIf(person, k < 3), uniqExactStateIf(person, k = 0),
     toUInt64(countIf(k < 3)), toDecimal128(sum(k * 100), 4)
   FROM (SELECT toDate('${FIRST}') + intDiv(row, ${CODES * 4}) AS day, concat('Group ', toString(row % ${CODES} % 12)) AS grp,
           concat('src', toString(row % ${CODES} % 40)) AS src, concat('camp', toString(row % ${CODES})) AS camp,
           ['ios', 'android', 'h5', 'miniprogram'][intDiv(row, ${CODES}) % 4 + 1] AS platform,
           concat('p', toString(row * 10 + k)) AS person, k
         FROM (SELECT intDiv(number, 10) AS row, number % 10 AS k FROM numbers(${DAYS * CODES * 4 * 10})))
   GROUP BY day, grp, src, camp, platform`,
  `INSERT INTO cohort_activity
   SELECT 'active', toDate('${FIRST}') + intDiv(number, ${CODES} * 31), concat('Group ', toString(number % ${CODES} % 12)),
     concat('src', toString(number % ${CODES} % 40)), concat('camp', toString(number % ${CODES})), 'ios',
     intDiv(number, ${CODES}) % 31, uniqExactState(toString(number)), toUInt64(1), toDecimal128(number % 500, 4)
   FROM numbers(${DAYS * CODES * 31}) GROUP BY number`,
  `INSERT INTO channel_costs
   SELECT concat('camp', toString(number % ${CODES})), toDate('${FIRST}') + intDiv(number, ${CODES}),
     toDecimal64(500 + number % 1000, 4), 'CNY', '', concat('Group ', toString(number % ${CODES} % 12)), '',
     now64(3), 0, number
   FROM numbers(${DAYS * CODES})`,
  `INSERT INTO metric_points
   SELECT toStartOfMinute(now()) - INTERVAL intDiv(number, 48) MINUTE, 'events', 'page_view',
     concat('Group ', toString(number % 12)), ['ios', 'android', 'h5', 'miniprogram'][number % 4 + 1], 10 + number % 7
   FROM numbers(${60 * 48})`,
  // 5,000 persons a day enter the funnel; 70 %, 45 % and 25 % reach steps 2, 3 and 4.
  `INSERT INTO funnel_progress
   SELECT 'onboarding', step, ['register', 'verify', 'bind_card', 'invest'][step], concat('p', toString(person)),
     entered + toIntervalSecond(step * (person % 86400)), entered,
     concat('Group ', toString(person % ${CODES} % 12)), concat('camp', toString(person % ${CODES})),
     ['ios', 'android', 'h5', 'miniprogram'][person % 4 + 1], 1, 0
   FROM (SELECT number AS person, toDateTime64('${FIRST} 00:00:00', 3, 'UTC') + toIntervalSecond(intDiv(number, 5000) * 86400 + number % 86400) AS entered
         FROM numbers(${DAYS * 5000}))
   ARRAY JOIN arrayFilter(s -> s = 1 OR (person * 7919) % 100 < [100, 70, 45, 25][s], [1, 2, 3, 4]) AS step`,
  'SYSTEM REFRESH VIEW funnel_hourly',
  'SYSTEM WAIT VIEW funnel_hourly',
  'SYSTEM REFRESH VIEW funnel_daily',
  'SYSTEM WAIT VIEW funnel_daily',
  // Three triggers, 2,000 a day, a third converting.
  `INSERT INTO trigger_outcomes
   SELECT ['no_card_24h', 'gift_expiring', 'no_invest_72h'][number % 3 + 1], concat('p', toString(number)),
     at - INTERVAL 1 DAY, at, NULL, at + INTERVAL 7 DAY, concat('Group ', toString(number % 12)),
     concat('camp', toString(number % ${CODES})), ['ios', 'android', 'h5', 'miniprogram'][number % 4 + 1],
     if(number % 3 = 0, at + INTERVAL 2 DAY, NULL), generateUUIDv4(), 1
   FROM (SELECT number, toDateTime64('${FIRST} 00:00:00', 3, 'UTC') + toIntervalSecond(intDiv(number, 2000) * 86400 + number % 86400) AS at
         FROM numbers(${DAYS * 2000}))`,
  // 20 state changes a day over 40 series.
  `INSERT INTO alerts (at, rule, series, state, severity, value, baseline, volume, started_at, resolved_at, explanation)
   SELECT at, ['registration_drop', 'card_conversion', 'dlq_rate', 'ingest_lag'][number % 4 + 1],
     concat('channel_group=Group ', toString(number % 40)), ['pending', 'firing', 'resolved'][number % 3 + 1],
     'critical', 12, 40, 52, at, if(number % 3 = 2, at, NULL), 'Group 3 registrations fell 70 %: camp17 explains 9 of the 10 missing'
   FROM (SELECT number, toDateTime64('${FIRST} 00:00:00', 3, 'UTC') + toIntervalSecond(number * 4320) AS at FROM numbers(${DAYS * 20}))`,
  // Every 15 s for 6 hours: the DLQ total, the intake, three groups' lag and committed offsets.
  `INSERT INTO pipeline_health
   SELECT toStartOfMinute(sampled), metric, grp, topic, value, sampled
   FROM (SELECT now64(3) - toIntervalSecond(number * 15) AS sampled, 21600 - number * 15 AS t FROM numbers(1440))
   ARRAY JOIN
     ['dlq_total', 'produced_total', 'consumer_lag', 'consumer_lag', 'consumer_lag', 'consumed_total', 'consumed_total', 'consumed_total'] AS metric,
     ['', '', 'opstream.enrich.attribute', 'opstream.enrich.profile', 'opstream.aggregate', 'opstream.enrich.attribute', 'opstream.enrich.profile', 'opstream.aggregate'] AS grp,
     ['opstream.dlq', 'opstream.events.raw', 'opstream.events.raw', 'opstream.events.attributed', 'opstream.events.enriched', 'opstream.events.raw', 'opstream.events.attributed', 'opstream.events.enriched'] AS topic,
     [t / 2, t * 2000, 40, 90, 300, t * 2000 - 40, t * 2000 - 130, t * 2000 - 430] AS value`,
  `INSERT INTO dead_letters
   SELECT now64(3) - toIntervalSecond(number * 2), ['ingest', 'enrich', 'aggregate'][number % 3 + 1],
     ['validation', 'bad_magic_byte', 'unknown_schema_id'][number % 3 + 1], concat('event ', toString(number), ': amount must be a decimal'),
     'opstream.events.raw', number % 6, number, 0, 300, number % 6, number
   FROM numbers(10000)`,
]

const server = await startLocalClickHouse({
  dataDir: await mkdtemp(join(tmpdir(), 'opstream-bench-console-')),
  port: 0,
})
try {
  const database = 'bench_console'
  const writer = await createClickHouse({
    url: server.url,
    user: 'opstream',
    password: 'opstream',
    database,
    log,
  })
  await runMigrations(writer.client, fileURLToPath(new URL('../../infra/clickhouse/', import.meta.url)), log)
  const loading = Date.now()
  for (const query of ROLLUPS) await writer.client.command({ query })
  const counts = await Promise.all(
    [
      'cohort_activity',
      'funnel_progress',
      'funnel_daily',
      'trigger_outcomes',
      'alerts',
      'pipeline_health',
      'dead_letters',
    ].map(async (table) => {
      const [row] = await queryRows<{ n: string }>(writer.client, `SELECT count() AS n FROM ${table}`)
      return `${Number(row?.n).toLocaleString('en')} ${table}`
    }),
  )
  print(
    `console: ${DAYS} days × ${CODES} cost codes × 4 platforms of rollups (${(DAYS * CODES * 4).toLocaleString('en')} channel_daily rows, ` +
      `${(DAYS * CODES * 4 * 10).toLocaleString('en')} persons' states in activity_daily), ${counts.join(', ')} rows, ` +
      `loaded in ${((Date.now() - loading) / 1000).toFixed(1)} s`,
  )
  const password = 'bench password'
  const console_ = await startService({
    name: 'console',
    main: fileURLToPath(new URL('../../services/console/src/main.ts', import.meta.url)),
    portVar: 'CONSOLE_HTTP_PORT',
    env: {
      CLICKHOUSE_URL: server.url,
      CLICKHOUSE_DATABASE: database,
      CONSOLE_PASSWORD_HASH: await hashPassword(password),
      REPORT_SCHEDULE: 'off',
    },
  })
  try {
    const login = await fetch(`${console_.base}/login`, {
      method: 'POST',
      body: new URLSearchParams({ password }),
    })
    const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? ''
    const range = `from=2026-11-02&to=${LAST}`
    const calls = {
      filters: '',
      overview: `day=${LAST}`,
      'overview (a group)': `day=${LAST}&group=Group%203`,
      channels: range,
      'channels (a group)': `${range}&group=Group%203`,
      funnels: range,
      retention: range,
      lifecycle: range,
      alerts: range,
      pipeline: 'hours=6',
    }
    for (const [name, query] of Object.entries(calls)) {
      const api = name.split(' ')[0]
      const times: number[] = []
      for (let i = 0; i <= RUNS; i++) {
        const started = performance.now()
        const res = await fetch(`${console_.base}/api/${api}?${query}`, { headers: { cookie } })
        await res.arrayBuffer()
        if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`)
        // The first call warms the connection and ClickHouse's caches.
        if (i > 0) times.push(performance.now() - started)
      }
      times.sort((a, b) => a - b)
      const at = (q: number) =>
        (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(0)
      print(`  /api/${name}: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms (${RUNS} calls)`)
    }
  } finally {
    await console_.stop()
  }
  const reader = await createClickHouse({
    url: server.url,
    user: 'reader',
    password: 'reader',
    database,
    createDatabase: false,
    log,
  })
  const dir = await mkdtemp(join(tmpdir(), 'opstream-bench-reports-'))
  for (const period of ['day', 'week'] as const) {
    const run = await runReport(reader.client, { period, date: LAST, lang: 'zh', dir, receivers: [], log })
    print(
      `  ${period === 'day' ? 'daily' : 'weekly'} report: numbers, HTML, PNG and Markdown in ${run.renderMs} ms`,
    )
  }
  await reader.close()
  await writer.close()
} finally {
  await server.stop()
}

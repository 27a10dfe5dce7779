/**
 * console benchmark: 90 days × 200 cost codes × 4 platforms of rollups (channel_daily,
 * activity_daily with 10 persons' uniqExact states per row, cohort_activity, channel_costs, the
 * last hour of metric_points) in a local ClickHouse server; then every console API, called as the
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
import { createClickHouse } from '../../services/runtime/src/clickhouse-client.ts'
import { createLogger } from '../../services/runtime/src/logger.ts'
import { runMigrations } from '../../services/runtime/src/migrations.ts'
import { startService } from '../../services/runtime/src/testing/service-process.ts'

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
   SELECT 'active', toDate('${FIRST}') + intDiv(number, 12 * 31), concat('Group ', toString(number % 12)), '', '', 'ios',
     intDiv(number, 12) % 31, uniqExactState(toString(number)), toUInt64(1), toDecimal128(number % 500, 4)
   FROM numbers(${DAYS * 12 * 31}) GROUP BY number`,
  `INSERT INTO channel_costs
   SELECT concat('camp', toString(number % ${CODES})), toDate('${FIRST}') + intDiv(number, ${CODES}),
     toDecimal64(500 + number % 1000, 4), 'CNY', '', concat('Group ', toString(number % ${CODES} % 12)), '',
     now64(3), 0, number
   FROM numbers(${DAYS * CODES})`,
  `INSERT INTO metric_points
   SELECT toStartOfMinute(now()) - INTERVAL intDiv(number, 48) MINUTE, 'events', 'page_view',
     concat('Group ', toString(number % 12)), ['ios', 'android', 'h5', 'miniprogram'][number % 4 + 1], 10 + number % 7
   FROM numbers(${60 * 48})`,
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
  print(
    `console: ${DAYS} days × ${CODES} cost codes × 4 platforms of rollups (${(DAYS * CODES * 4).toLocaleString('en')} channel_daily rows, ` +
      `${(DAYS * CODES * 4 * 10).toLocaleString('en')} persons' states in activity_daily) loaded in ${((Date.now() - loading) / 1000).toFixed(1)} s`,
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

/**
 * The local ClickHouse server: opens the engine's data directory (chDB) and serves ClickHouse's
 * HTTP interface on it, with /metrics and /healthz/* on the same port. For one machine: no
 * replication, no cluster; production points CLICKHOUSE_URL at a ClickHouse server instead.
 *
 * Shutdown on SIGTERM: stop taking connections, let running queries finish (up to the
 * deadline), then close the engine. An INSERT is answered only after the engine wrote its part
 * (async_insert=0), so a SIGKILL loses nothing that was acknowledged.
 */
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { loadConfig } from '@opstream/runtime/config'
import { startHealthServer } from '@opstream/runtime/health-server'
import { createLogger } from '@opstream/runtime/logger'
import { createMetricsRegistry } from '@opstream/runtime/metrics'
import { exitOnStartupError } from '@opstream/runtime/service-kit'
import { createShutdown, installProcessHandlers } from '@opstream/runtime/shutdown'
import { loadChdbNative } from './adapters/chdb-native.ts'
import { createEnginePool } from './adapters/engine-pool.ts'
import { createHttpInterface } from './adapters/http-interface.ts'
import { clickhouseLocalEnvSchema, threadsFor } from './config.ts'
import { createServerMetrics } from './metrics.ts'

async function main(): Promise<void> {
  const config = loadConfig(clickhouseLocalEnvSchema, process.env)
  const log = createLogger({ service: 'clickhouse-local', level: config.LOG_LEVEL })
  const registry = createMetricsRegistry('clickhouse_local')
  const shutdown = createShutdown({ log, deadlineMs: config.SHUTDOWN_TIMEOUT_MS })
  installProcessHandlers(log, shutdown)

  // Every engine call holds one of libuv's worker threads while it runs. With fewer threads than
  // queries allowed at once, slow readers would hold up an INSERT waiting for a thread. libuv
  // reads the size at its first use, before this code runs: it can only be set at launch.
  const threadsNeeded = threadsFor(config.CLICKHOUSE_LOCAL_MAX_CONCURRENT_QUERIES)
  const threads = config.UV_THREADPOOL_SIZE ?? 4
  if (threads < threadsNeeded)
    log.warn(
      { UV_THREADPOOL_SIZE: threads, needed: threadsNeeded },
      'too few libuv worker threads for CLICKHOUSE_LOCAL_MAX_CONCURRENT_QUERIES: queries will wait for a thread; start the server with UV_THREADPOOL_SIZE set (npm run clickhouse does)',
    )
  const path = resolve(config.CHDB_PATH)
  mkdirSync(path, { recursive: true })
  // As a ClickHouse server: synchronous inserts, and no clickhouse-local implicit SELECT (which
  // would read a mistyped statement as an expression).
  const common = ['--async_insert=0', '--wait_for_async_insert=1', '--implicit_select=0']
  const pool = createEnginePool({
    native: loadChdbNative(),
    path,
    roleArgs: {
      writer: [...common, '--readonly=0', '--max_execution_time=0'],
      reader: [
        ...common,
        '--readonly=1',
        `--max_execution_time=${config.CLICKHOUSE_LOCAL_READER_MAX_EXECUTION_TIME}`,
      ],
    },
  })
  const info = await serverInfo(pool)
  const readerSettings = await settingsOfReader(pool)
  const handle = createHttpInterface({
    pool,
    users: config.CLICKHOUSE_LOCAL_USERS,
    log,
    metrics: createServerMetrics(registry),
    maxBodyBytes: config.CLICKHOUSE_LOCAL_MAX_BODY_BYTES,
    maxConcurrent: config.CLICKHOUSE_LOCAL_MAX_CONCURRENT_QUERIES,
    writerReserved: Math.min(
      config.CLICKHOUSE_LOCAL_WRITER_RESERVED,
      config.CLICKHOUSE_LOCAL_MAX_CONCURRENT_QUERIES - 1,
    ),
    readerSettings,
    server: info,
  })
  const http = await startHealthServer({
    host: config.CLICKHOUSE_LOCAL_HOST,
    port: config.CLICKHOUSE_LOCAL_PORT,
    registry,
    isReady: () => !shutdown.started,
    extraRoutes: handle,
    // Query parameters travel in the URL (param_<name>): ClickHouse takes URLs up to 1 MiB.
    maxHeaderSize: 1024 * 1024 + 64 * 1024,
  })
  http.server.requestTimeout = 0
  // Idle connections are kept well beyond @clickhouse/client's 2.5 s socket TTL, so a client
  // never reuses a socket this server has just closed (an ECONNRESET on a busy machine).
  http.server.keepAliveTimeout = 30_000
  http.server.headersTimeout = 31_000
  const parent = config.CLICKHOUSE_LOCAL_PARENT_PID
  if (parent !== undefined) {
    const watch = setInterval(() => {
      if (!alive(parent)) void shutdown.run(`parent process ${parent} is gone`)
    }, 2_000)
    watch.unref()
  }
  shutdown.add({
    name: 'http and engine',
    run: async () => {
      // No new connections; running queries get the grace period, then are killed, so that
      // their requests end and the connections with them.
      const connectionsClosed = http.close()
      await pool.close(Math.max(0, config.SHUTDOWN_TIMEOUT_MS - 8_000))
      await Promise.race([connectionsClosed, new Promise((r) => setTimeout(r, 1_000).unref())])
      http.server.closeAllConnections()
    },
  })
  log.info(
    {
      url: `http://${config.CLICKHOUSE_LOCAL_HOST}:${http.port}`,
      path,
      version: info.version,
      users: config.CLICKHOUSE_LOCAL_USERS.map((u) => `${u.name} (${u.role})`),
    },
    'ClickHouse HTTP interface listening',
  )
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function serverInfo(pool: ReturnType<typeof createEnginePool>) {
  const r = await pool.admin('SELECT version(), timezone(), displayName()')
  const [version = '', timezone = 'UTC', displayName = 'localhost'] = Buffer.from(r.bytes)
    .toString('utf8')
    .trim()
    .split('\t')
  return { version, timezone, displayName }
}

/** The reader role's settings, as text, so that a URL setting restating one can be accepted. */
async function settingsOfReader(pool: ReturnType<typeof createEnginePool>): Promise<Map<string, string>> {
  const r = await pool.execute({
    role: 'reader',
    database: 'system',
    settings: {},
    assigns: [],
    changesDatabase: false,
    sql: 'SELECT name, value FROM system.settings',
    format: 'JSONCompactEachRow',
    params: {},
  })
  const text = r.kind === 'query' ? Buffer.from(r.bytes).toString('utf8') : ''
  return new Map(
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as [string, string]),
  )
}

main().catch(exitOnStartupError('clickhouse-local'))

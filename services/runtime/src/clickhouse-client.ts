import { type ClickHouseClient, createClient } from '@clickhouse/client'
import { createChdbConnection } from 'chdb/connection'
import type { Logger } from 'pino'
import { backoffMs, sleep } from './backoff.ts'
import { RetriableError } from './errors.ts'

export type { ClickHouseClient } from '@clickhouse/client'

// chdb declares its Connection against its own copy of @clickhouse/client-common; the shapes are
// the same (chdb re-exports them verbatim), only the declaration files differ.
type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>

export interface ClickHouseOptions {
  /** ClickHouse over HTTP when set; otherwise the embedded engine (chDB) on chdbPath. */
  url?: string | undefined
  user?: string | undefined
  password?: string | undefined
  database: string
  chdbPath: string
  log: Logger
  /** Connection attempts before giving up (a server that is down); embedded ignores it. */
  connectAttempts?: number
}

export interface ClickHouse {
  client: ClickHouseClient
  mode: 'server' | 'embedded'
  database: string
  close(): Promise<void>
}

/**
 * One factory, two engines, the same SQL: `@clickhouse/client` talks either to a server or to
 * chDB plugged in as its connection. The database is created if missing and made the default,
 * so queries use unqualified table names in both modes.
 */
export async function createClickHouse(opts: ClickHouseOptions): Promise<ClickHouse> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(opts.database))
    throw new Error(`invalid database name ${opts.database}`)
  return opts.url ? connectServer(opts, opts.url) : connectEmbedded(opts)
}

async function connectServer(opts: ClickHouseOptions, url: string): Promise<ClickHouse> {
  const auth = { username: opts.user ?? 'default', password: opts.password ?? '' }
  const bootstrap = createClient({ url, ...auth })
  try {
    await waitForServer(bootstrap, opts)
    await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${opts.database}` })
  } finally {
    await bootstrap.close()
  }
  const client = createClient({ url, ...auth, database: opts.database })
  opts.log.info({ url: redactUrl(url), database: opts.database }, 'ClickHouse server connected')
  return { client, mode: 'server', database: opts.database, close: () => client.close() }
}

async function connectEmbedded(opts: ClickHouseOptions): Promise<ClickHouse> {
  // chDB's engine is a process singleton; `USE` sets the session's default database, which
  // @clickhouse/client cannot do through a custom connection (its `database` option is ignored).
  const connection = createChdbConnection({ path: opts.chdbPath }) as unknown as ClientConnection
  const client = createClient({ connection })
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${opts.database}` })
  await client.command({ query: `USE ${opts.database}` })
  opts.log.info({ path: opts.chdbPath, database: opts.database }, 'embedded ClickHouse (chDB) opened')
  return { client, mode: 'embedded', database: opts.database, close: () => client.close() }
}

async function waitForServer(client: ClickHouseClient, opts: ClickHouseOptions): Promise<void> {
  const attempts = opts.connectAttempts ?? 10
  for (let attempt = 1; ; attempt++) {
    const ping = await client.ping()
    if (ping.success) return
    if (attempt >= attempts) {
      throw new RetriableError(`ClickHouse did not answer after ${attempts} attempts`, { cause: ping.error })
    }
    opts.log.warn({ attempt, err: ping.error }, 'ClickHouse not reachable yet; retrying')
    await sleep(backoffMs(attempt, 200, 5_000))
  }
}

function redactUrl(url: string): string {
  const u = new URL(url)
  if (u.password) u.password = '***'
  return u.toString()
}

/** Reads a query's rows as JSON objects. */
export async function queryRows<T>(
  client: ClickHouseClient,
  query: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const rs = await client.query({ query, format: 'JSONEachRow', query_params: params })
  return rs.json<T>()
}

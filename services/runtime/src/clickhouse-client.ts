import { type ClickHouseClient, createClient } from '@clickhouse/client'
import type { Logger } from 'pino'
import { backoffMs, withRetries } from './backoff.ts'
import { RetriableError } from './errors.ts'

export type { ClickHouseClient } from '@clickhouse/client'

export interface ClickHouseOptions {
  /** ClickHouse's HTTP interface: a ClickHouse server, or the local server (services/clickhouse-local). */
  url: string
  user?: string | undefined
  password?: string | undefined
  database: string
  log: Logger
  /** Connection attempts before giving up (a server that is down). */
  connectAttempts?: number
  /**
   * Queries this client runs at once; more wait for a connection. A reader that fans a page out
   * into many queries stays within the server's concurrent-query limit for its user.
   */
  maxOpenConnections?: number
}

export interface ClickHouse {
  client: ClickHouseClient
  database: string
  close(): Promise<void>
}

/**
 * Every process reaches ClickHouse the same way, over its HTTP interface with
 * `@clickhouse/client`. The database is created if missing (unless `createDatabase` is false,
 * for a read-only user) and made the client's default, so queries use unqualified table names.
 */
export async function createClickHouse(
  opts: ClickHouseOptions & { createDatabase?: boolean },
): Promise<ClickHouse> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(opts.database))
    throw new Error(`invalid database name ${opts.database}`)
  const url = opts.url
  const auth = { username: opts.user ?? 'default', password: opts.password ?? '' }
  const bootstrap = createClient({ url, ...auth })
  try {
    await waitForServer(bootstrap, opts)
    if (opts.createDatabase !== false)
      await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${opts.database}` })
  } finally {
    await bootstrap.close()
  }
  const client = createClient({
    url,
    ...auth,
    database: opts.database,
    ...(opts.maxOpenConnections === undefined ? {} : { max_open_connections: opts.maxOpenConnections }),
  })
  opts.log.info({ url: redactUrl(url), database: opts.database }, 'ClickHouse connected')
  return { client, database: opts.database, close: () => client.close() }
}

async function waitForServer(client: ClickHouseClient, opts: ClickHouseOptions): Promise<void> {
  const attempts = opts.connectAttempts ?? 10
  await withRetries(
    async () => {
      const ping = await client.ping()
      if (!ping.success) throw ping.error
    },
    {
      retries: attempts - 1,
      backoff: (attempt) => backoffMs(attempt, 200, 5_000),
      onFailure: (err, attempt, retrying) => {
        if (retrying) opts.log.warn({ attempt, err }, 'ClickHouse not reachable yet; retrying')
      },
    },
  ).catch((err: unknown) => {
    throw new RetriableError(`ClickHouse did not answer after ${attempts} attempts`, { cause: err })
  })
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

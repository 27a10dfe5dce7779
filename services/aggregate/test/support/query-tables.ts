import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import { testClickHouse } from '@opstream/runtime/testing/stack'

export type TableQuery = string | { query: string; params: Record<string, unknown> }

/** A query's rows; a SYSTEM statement runs as a command and gives none. */
export async function runQuery<T>(client: ClickHouseClient, q: TableQuery): Promise<T[]> {
  if (typeof q === 'string' && /^\s*SYSTEM\s/i.test(q)) {
    await client.command({ query: q })
    return []
  }
  return typeof q === 'string' ? queryRows<T>(client, q) : queryRows<T>(client, q.query, q.params)
}

/**
 * Runs queries against the database an aggregate process writes: on the run's ClickHouse, or
 * on the server at `url` (a test's own).
 */
export async function queryTables<T = Record<string, unknown>>(
  target: { database: string; url?: string },
  queries: TableQuery[],
): Promise<T[][]> {
  const ch = await testClickHouse(target.database, 'writer', target.url)
  try {
    const out: T[][] = []
    for (const q of queries) out.push(await runQuery<T>(ch.client, q))
    return out
  } finally {
    await ch.close()
  }
}

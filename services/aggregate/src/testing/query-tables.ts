import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type ClickHouseClient, createClickHouse, queryRows } from '@opstream/runtime/clickhouse-client'
import { testLogger } from '@opstream/runtime/testing/stack'

const cli = fileURLToPath(new URL('./chdb-query-cli.ts', import.meta.url))

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
 * Runs queries against the database an aggregate process wrote: over HTTP when it used a
 * server, else (the aggregate stopped, its chDB directory free) in a child process.
 */
export async function queryTables<T = Record<string, unknown>>(
  target: { url?: string | undefined; chdbPath: string; database: string },
  queries: TableQuery[],
): Promise<T[][]> {
  if (target.url) {
    const ch = await createClickHouse({
      url: target.url,
      database: target.database,
      chdbPath: '',
      log: testLogger(),
    })
    try {
      const out: T[][] = []
      for (const q of queries) out.push(await runQuery<T>(ch.client, q))
      return out
    } finally {
      await ch.close()
    }
  }
  const child = spawn(process.execPath, ['--import', 'tsx', cli, target.chdbPath, target.database], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString()
  })
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString()
  })
  child.stdin.end(JSON.stringify(queries))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (code !== 0) throw new Error(`chdb query failed (${code}): ${stderr}`)
  return JSON.parse(stdout) as T[][]
}

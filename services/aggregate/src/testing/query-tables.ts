import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createClickHouse, queryRows } from '@opstream/runtime/clickhouse-client'
import { testLogger } from '@opstream/runtime/testing/stack'

const cli = fileURLToPath(new URL('./chdb-query-cli.ts', import.meta.url))

/**
 * Runs queries against the database an aggregate process wrote: over HTTP when it used a
 * server, else (the aggregate stopped, its chDB directory free) in a child process.
 */
export async function queryTables<T = Record<string, unknown>>(
  target: { url?: string | undefined; chdbPath: string; database: string },
  queries: Array<string | { query: string; params: Record<string, unknown> }>,
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
      for (const q of queries) {
        out.push(
          await (typeof q === 'string'
            ? queryRows<T>(ch.client, q)
            : queryRows<T>(ch.client, q.query, q.params)),
        )
      }
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

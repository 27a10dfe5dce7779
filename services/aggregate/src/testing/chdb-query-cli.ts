import { createClickHouse } from '@opstream/runtime/clickhouse-client'
import { createLogger } from '@opstream/runtime/logger'
import { runQuery, type TableQuery } from './query-tables.ts'

/**
 * Opens an embedded chDB data directory (one process may own one directory, so tests that check
 * a stopped aggregate's tables run this as a child), runs the queries (SQL, or {query, params}) read as a JSON array from
 * stdin, and prints their rows as one JSON array of arrays.
 */
const [path, database] = process.argv.slice(2)
if (!path || !database) throw new Error('usage: chdb-query-cli <chdb path> <database> < queries.json')
let input = ''
for await (const chunk of process.stdin) input += chunk
const queries = JSON.parse(input) as TableQuery[]
const ch = await createClickHouse({
  database,
  chdbPath: path,
  log: createLogger({ service: 'chdb-query', level: 'warn' }),
})
const results: unknown[][] = []
for (const q of queries) results.push(await runQuery(ch.client, q))
await ch.close()
process.stdout.write(JSON.stringify(results))

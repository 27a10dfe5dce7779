/**
 * The ClickHouse engine as chdb's native addon exposes it, typed. The addon is reached through
 * chdb's own loader rather than its `Session` class for two things the class does not offer:
 * raw inserts of binary formats (the class lets only text formats through, but the native entry
 * takes any bytes — RowBinary, Native, Parquet and Avro arrive byte-exact, tested here) and query
 * parameters passed in the escaped text form the HTTP interface receives them in (the class
 * re-escapes every value). Everything else is the same call the class makes.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** A native connection to the process's one embedded engine; many may share a data directory. */
export type ConnectionHandle = { readonly __brand: 'chdb-connection' }

export interface QueryResult {
  bytes: Uint8Array
  elapsed: number
  rowsRead: number
  bytesRead: number
}

export interface InsertResult {
  elapsed: number
  rowsWritten: number
  bytesWritten: number
}

export interface ChdbNative {
  CreateConnection(path: string, args?: readonly string[]): ConnectionHandle
  CloseConnection(handle: ConnectionHandle): void
  QueryAsyncConnection(
    handle: ConnectionHandle,
    sql: string,
    format: string,
    bound?: Readonly<Record<string, string>>,
  ): Promise<QueryResult>
  InsertRawAsyncConnection(
    handle: ConnectionHandle,
    prefix: string,
    data: Buffer,
    countLines: boolean,
  ): Promise<InsertResult>
}

export function loadChdbNative(): ChdbNative {
  const require = createRequire(import.meta.url)
  const chdbDir = dirname(require.resolve('chdb'))
  const loader = require(join(chdbDir, 'dist', 'loader.js')) as { loadNative(): ChdbNative }
  return loader.loadNative()
}

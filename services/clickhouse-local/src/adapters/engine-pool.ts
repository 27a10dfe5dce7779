/**
 * Connections to the embedded engine, one per running query. Queries on one chDB connection run
 * one after the other, on separate connections concurrently, so every query takes a connection
 * of its own and a slow reader never holds up an INSERT. Connections are cheap (a few ms) and are
 * kept for reuse.
 *
 * Invariant: a connection goes back to the pool in its role's defaults — the request's settings
 * reset with `SET x = DEFAULT` and its database named again by the next request — or it is
 * closed. Nothing one request sets is seen by the next one (ClickHouse's HTTP interface without a
 * session behaves the same way).
 *
 * Readers' connections are opened with `readonly=1`, which the engine itself enforces for
 * writes, DDL and table functions that touch files; the HTTP layer refuses the rest first.
 */
import { stringLiteral } from '@opstream/runtime/clickhouse-insert'
import type { Role } from '../core/users.ts'
import type { ChdbNative, ConnectionHandle, InsertResult, QueryResult } from './chdb-native.ts'

export interface EngineRequest {
  role: Role
  database: string
  settings: Readonly<Record<string, string>>
  /** Setting names the statement itself assigns (a SET), to reset after it. */
  assigns: readonly string[]
  /** The statement changes the connection's database (USE). */
  changesDatabase: boolean
  /** The statement leaves state on its connection that a reset cannot undo (a temporary table). */
  discardConnection?: boolean
  sql: string
  format: string
  params: Readonly<Record<string, string>>
  /** An INSERT's inline data: the statement is then the INSERT up to its data. */
  data?: Buffer
}

export type EngineResult = ({ kind: 'query' } & QueryResult) | ({ kind: 'insert' } & InsertResult)

interface Pooled {
  handle: ConnectionHandle
  role: Role
  database: string | undefined
}

export interface EnginePoolOptions {
  native: ChdbNative
  path: string
  /** Engine arguments of each role's connections, every value stated (nothing is inherited). */
  roleArgs: Readonly<Record<Role, readonly string[]>>
}

export interface EnginePool {
  execute(req: EngineRequest): Promise<EngineResult>
  /** Runs a statement of the server's own (KILL QUERY, a probe) on a writer connection. */
  admin(sql: string): Promise<QueryResult>
  /** Queries running now. */
  running(): number
  /** Waits for running queries (up to graceMs), kills those left, then closes every connection. */
  close(graceMs: number): Promise<void>
}

export function createEnginePool(opts: EnginePoolOptions): EnginePool {
  const { native } = opts
  const idle: Record<Role, Pooled[]> = { writer: [], reader: [] }
  const busy = new Set<Promise<unknown>>()
  // chdb-node serialises parameterised queries across the process: concurrent ones upset the
  // engine's parameter substitution. Queries without parameters are not held by this chain.
  let paramChain: Promise<unknown> = Promise.resolve()
  let closed = false

  const open = (role: Role): Pooled => ({
    handle: native.CreateConnection(opts.path, opts.roleArgs[role]),
    role,
    database: undefined,
  })

  const run = async (conn: Pooled, req: EngineRequest): Promise<EngineResult> => {
    if (conn.database !== req.database) {
      conn.database = undefined
      await native.QueryAsyncConnection(conn.handle, `USE ${quoteIdentifier(req.database)}`, 'TabSeparated')
      conn.database = req.database
    }
    const names = Object.keys(req.settings)
    if (names.length > 0)
      await native.QueryAsyncConnection(conn.handle, setStatement(req.settings), 'TabSeparated')
    if (req.data?.length === 0) return { kind: 'insert', elapsed: 0, rowsWritten: 0, bytesWritten: 0 }
    if (req.data) {
      const r = await native.InsertRawAsyncConnection(conn.handle, req.sql, req.data, false)
      return { kind: 'insert', ...r }
    }
    const hasParams = Object.keys(req.params).length > 0
    if (!hasParams)
      return { kind: 'query', ...(await native.QueryAsyncConnection(conn.handle, req.sql, req.format)) }
    const result = paramChain.then(() =>
      native.QueryAsyncConnection(conn.handle, req.sql, req.format, req.params),
    )
    paramChain = result.catch(() => undefined)
    return { kind: 'query', ...(await result) }
  }

  /**
   * Back to the role's defaults, or closed if that fails. A connection whose query failed is
   * closed too: the engine keeps a failed (or killed) query listed in system.processes until the
   * connection runs its next statement, and a KILL … SYNC would wait for that ghost.
   */
  const release = async (conn: Pooled, req: EngineRequest, failed: boolean): Promise<void> => {
    if (failed) return native.CloseConnection(conn.handle)
    const reset = [...new Set([...Object.keys(req.settings), ...req.assigns])]
    if (req.changesDatabase) conn.database = undefined
    try {
      if (reset.length > 0)
        await native.QueryAsyncConnection(
          conn.handle,
          `SET ${reset.map((n) => `${quoteIdentifier(n)} = DEFAULT`).join(', ')}`,
          'TabSeparated',
        )
      if (closed || req.discardConnection) native.CloseConnection(conn.handle)
      else idle[conn.role].push(conn)
    } catch {
      native.CloseConnection(conn.handle)
    }
  }

  const track = <T>(p: Promise<T>): Promise<T> => {
    busy.add(p)
    void p.then(
      () => busy.delete(p),
      () => busy.delete(p),
    )
    return p
  }

  return {
    execute(req) {
      if (closed) return Promise.reject(new Error('the engine is shutting down'))
      const conn = idle[req.role].pop() ?? open(req.role)
      return track(
        (async () => {
          let failed = false
          try {
            return await run(conn, req)
          } catch (err) {
            failed = true
            throw err
          } finally {
            await release(conn, req, failed)
          }
        })(),
      )
    },
    admin(sql) {
      if (closed) return Promise.reject(new Error('the engine is shutting down'))
      const conn = idle.writer.pop() ?? open('writer')
      return track(
        native.QueryAsyncConnection(conn.handle, sql, 'TabSeparated').finally(() => {
          if (closed) native.CloseConnection(conn.handle)
          else idle.writer.push(conn)
        }),
      )
    },
    running: () => busy.size,
    async close(graceMs) {
      closed = true
      const settled = () => Promise.allSettled([...busy])
      const within = (ms: number) => new Promise((r) => setTimeout(r, ms).unref())
      await Promise.race([settled(), within(graceMs)])
      // As ClickHouse's own shutdown does: what is still running after the grace period is
      // killed. An engine with queries running cannot be closed, nor the process ended.
      if (busy.size > 0) {
        const conn = open('writer')
        await native
          .QueryAsyncConnection(
            conn.handle,
            "KILL QUERY WHERE NOT startsWith(query, 'KILL QUERY') ASYNC",
            'TabSeparated',
          )
          .catch(() => undefined)
        await Promise.race([settled(), within(5_000)])
        native.CloseConnection(conn.handle)
      }
      // Closing a connection while a query runs on it aborts the engine: only idle ones close.
      for (const role of ['writer', 'reader'] as const)
        for (const c of idle[role].splice(0)) native.CloseConnection(c.handle)
    },
  }
}

/** `SET a = 'x', b = '2'`: every setting parses from a string literal. */
function setStatement(settings: Readonly<Record<string, string>>): string {
  return `SET ${Object.entries(settings)
    .map(([k, v]) => `${quoteIdentifier(k)} = ${stringLiteral(v)}`)
    .join(', ')}`
}

export function quoteIdentifier(name: string): string {
  return `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``
}

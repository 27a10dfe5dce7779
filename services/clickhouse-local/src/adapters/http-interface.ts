/**
 * ClickHouse's HTTP interface over the embedded engine: `/` (GET read-only, POST anything, the
 * query in `?query=` or the body, INSERT data in the body), `/ping`, ClickHouse's headers and
 * error bodies, and the bounds a shared server needs — a body size limit, a cap on queries
 * running at once (503 beyond it, some kept for writers), readers' max_execution_time, and a
 * client that goes away cancels its read (a write runs to its end).
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { promisify } from 'node:util'
import { brotliCompress, deflate, gzip } from 'node:zlib'
import type { Logger } from 'pino'
import {
  ClickHouseError,
  clickhouseError,
  errorBody,
  fromEngineMessage,
  httpStatusOf,
} from '../core/clickhouse-error.ts'
import { contentTypeOf } from '../core/formats.ts'
import { compressFrames } from '../core/native-compression.ts'
import { planQuery, type QueryPlan } from '../core/query-plan.ts'
import { applyHeaders, readRequestParams } from '../core/request-params.ts'
import { authenticate, credentialsOf, type User } from '../core/users.ts'
import type { ServerMetrics } from '../metrics.ts'
import type { EnginePool, EngineResult } from './engine-pool.ts'
import { readBody } from './request-body.ts'

export interface HttpInterfaceOptions {
  pool: EnginePool
  users: readonly User[]
  log: Logger
  metrics: ServerMetrics
  maxBodyBytes: number
  maxConcurrent: number
  writerReserved: number
  readerSettings: ReadonlyMap<string, string>
  server: { version: string; timezone: string; displayName: string }
}

const compressors = { gzip: promisify(gzip), deflate: promisify(deflate), br: promisify(brotliCompress) }

export function createHttpInterface(opts: HttpInterfaceOptions) {
  let running = 0

  const sendError = (res: ServerResponse, err: ClickHouseError, queryId?: string): void => {
    opts.metrics.errors.inc({ code: String(err.code) })
    if (res.headersSent || res.destroyed) return void res.destroy()
    res.statusCode = httpStatusOf(err)
    res.setHeader('Content-Type', 'text/plain; charset=UTF-8')
    res.setHeader('X-ClickHouse-Exception-Code', String(err.code))
    if (queryId) res.setHeader('X-ClickHouse-Query-Id', queryId)
    res.setHeader('X-ClickHouse-Server-Display-Name', opts.server.displayName)
    res.end(errorBody(err, opts.server.version))
  }

  const handleQuery = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method === 'GET' || req.method === 'HEAD' ? 'GET' : 'POST'
    opts.log.debug(
      {
        method: req.method,
        url: (url.pathname + url.search).replace(/([?&]password=)[^&]*/, '$1***'),
        headers: req.headers,
      },
      'request',
    )
    const params = readRequestParams(url.searchParams)
    if (params instanceof ClickHouseError) return sendError(res, params)
    applyHeaders(params, {
      database: header(req, 'x-clickhouse-database'),
      format: header(req, 'x-clickhouse-format'),
    })
    const creds = credentialsOf({
      authorization: req.headers.authorization,
      headerUser: header(req, 'x-clickhouse-user'),
      headerKey: header(req, 'x-clickhouse-key'),
      paramUser: url.searchParams.get('user'),
      paramPassword: url.searchParams.get('password'),
    })
    if (creds instanceof ClickHouseError) return sendError(res, creds)
    const user = authenticate(opts.users, creds)
    if (user instanceof ClickHouseError) return sendError(res, user)
    const queryId = params.queryId ?? randomUUID()
    const limit = user.role === 'writer' ? opts.maxConcurrent : opts.maxConcurrent - opts.writerReserved
    if (running >= limit) {
      opts.metrics.rejected.inc({ reason: 'concurrency' })
      const tooMany = clickhouseError(
        'TOO_MANY_SIMULTANEOUS_QUERIES',
        `Too many simultaneous queries. Maximum: ${limit}`,
        503,
      )
      return sendError(res, tooMany, queryId)
    }
    running++
    opts.metrics.running.set(running)
    try {
      const body = method === 'POST' ? await readBody(req, opts.maxBodyBytes) : Buffer.alloc(0)
      if (body instanceof ClickHouseError) {
        opts.metrics.rejected.inc({ reason: 'body_size' })
        return sendError(res, body, queryId)
      }
      opts.metrics.bytesReceived.inc(body.length)
      const plan = planQuery({ method, user, params, body, readerSettings: opts.readerSettings })
      if (plan instanceof ClickHouseError) return sendError(res, plan, queryId)
      await execute(req, res, {
        plan,
        user,
        queryId,
        httpSettings: params.httpSettings,
        compress: params.compress,
      })
    } finally {
      running--
      opts.metrics.running.set(running)
    }
  }

  const execute = async (
    req: IncomingMessage,
    res: ServerResponse,
    q: {
      plan: QueryPlan
      user: User
      queryId: string
      httpSettings: Record<string, string>
      compress: boolean
    },
  ): Promise<void> => {
    const { plan } = q
    // The engine's copy of the statement carries a tag of this request, so a client that goes
    // away has its query found and killed; the client's query_id is only what it is told.
    const tag = `/* opstream-local ${randomUUID()} */`
    let done = false
    const onClose = () => {
      if (done) return
      // A write whose data has arrived runs to its end, as in ClickHouse (which cancels at most
      // read-only queries when their client goes). Killing an INSERT part-way could leave its
      // table written and a materialized view not, which no retry of the same block repairs
      // once the writer, restarted, can no longer re-form that block.
      if (plan.statement.kind !== 'read') {
        opts.log.info(
          { queryId: q.queryId, kind: plan.statement.kind },
          'client went away; its write runs to its end',
        )
        return
      }
      opts.metrics.cancelled.inc()
      opts.log.info({ queryId: q.queryId }, 'client went away; cancelling its query')
      void cancelUntilDone()
    }
    // One KILL ends the query within a block or two; it is sent again every 5 s, for at most a
    // minute, in case it came before the engine listed the query.
    const cancelUntilDone = async () => {
      for (let attempt = 0; !done && attempt < 12; attempt++) {
        await opts.pool
          .admin(`KILL QUERY WHERE startsWith(query, '${tag}') ASYNC`)
          .catch((err: unknown) => opts.log.warn({ err, queryId: q.queryId }, 'could not cancel the query'))
        for (let waited = 0; !done && waited < 5_000; waited += 100)
          await new Promise((r) => setTimeout(r, 100))
      }
    }
    res.once('close', onClose)
    const started = process.hrtime.bigint()
    const kind = plan.statement.kind
    let result: EngineResult
    try {
      result = await opts.pool.execute({
        role: q.user.role,
        database: plan.database,
        settings: plan.settings,
        assigns: plan.statement.kind === 'set' ? plan.statement.settings : [],
        changesDatabase: plan.statement.kind === 'use',
        discardConnection: plan.statement.temporary,
        sql: `${tag}\n${plan.sql}`,
        format: plan.format,
        params: plan.params,
        ...(plan.data ? { data: plan.data } : {}),
      })
    } catch (err) {
      done = true
      opts.metrics.queries.inc({ kind, outcome: 'error' })
      return sendError(res, fromEngineMessage((err as Error).message ?? String(err)), q.queryId)
    } finally {
      opts.metrics.duration.observe({ kind }, Number(process.hrtime.bigint() - started) / 1e9)
    }
    done = true
    opts.metrics.queries.inc({ kind, outcome: 'ok' })
    if (res.destroyed) return
    await respond(req, res, q, result, Number(process.hrtime.bigint() - started))
  }

  const respond = async (
    req: IncomingMessage,
    res: ServerResponse,
    q: { plan: QueryPlan; queryId: string; httpSettings: Record<string, string>; compress: boolean },
    result: EngineResult,
    elapsedNs: number,
  ): Promise<void> => {
    const bytes =
      result.kind === 'query'
        ? Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.length)
        : Buffer.alloc(0)
    const summary = {
      read_rows: String(result.kind === 'query' ? result.rowsRead : 0),
      read_bytes: String(result.kind === 'query' ? result.bytesRead : 0),
      written_rows: String(result.kind === 'insert' ? result.rowsWritten : 0),
      written_bytes: String(result.kind === 'insert' ? result.bytesWritten : 0),
      total_rows_to_read: String(result.kind === 'query' ? result.rowsRead : 0),
      result_rows: String(result.kind === 'insert' ? result.rowsWritten : 0),
      result_bytes: String(bytes.length),
      elapsed_ns: String(elapsedNs),
    }
    res.statusCode = 200
    res.setHeader('Content-Type', contentTypeOf(q.plan.outputFormat))
    res.setHeader('X-ClickHouse-Query-Id', q.queryId)
    res.setHeader('X-ClickHouse-Format', q.plan.outputFormat)
    res.setHeader('X-ClickHouse-Timezone', opts.server.timezone)
    res.setHeader('X-ClickHouse-Server-Display-Name', opts.server.displayName)
    res.setHeader('X-ClickHouse-Summary', JSON.stringify(summary))
    const encoding = q.httpSettings.enable_http_compression === '1' ? acceptedEncoding(req) : undefined
    const framed = q.compress ? compressFrames(bytes) : bytes
    const out = encoding ? await compressors[encoding](framed) : framed
    if (encoding) res.setHeader('Content-Encoding', encoding)
    opts.metrics.bytesSent.inc(out.length)
    res.end(req.method === 'HEAD' ? undefined : out)
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname === '/ping' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.setHeader('Content-Type', 'text/html; charset=UTF-8')
      res.end('Ok.\n')
      return true
    }
    if (url.pathname !== '/' || !['GET', 'POST', 'HEAD'].includes(req.method ?? '')) return false
    try {
      await handleQuery(req, res, url)
    } catch (err) {
      opts.log.error({ err }, 'request failed')
      sendError(res, clickhouseError('BAD_ARGUMENTS', (err as Error).message, 500))
    }
    return true
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

function acceptedEncoding(req: IncomingMessage): 'gzip' | 'deflate' | 'br' | undefined {
  const accept = (req.headers['accept-encoding'] ?? '').toLowerCase()
  if (/\bgzip\b/.test(accept)) return 'gzip'
  if (/\bdeflate\b/.test(accept)) return 'deflate'
  if (/\bbr\b/.test(accept)) return 'br'
  return undefined
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'

export interface HealthServerOptions {
  host: string
  port: number
  registry: Registry
  /** Ready means: dependencies connected and the service takes work. Checked on every probe. */
  isReady: () => boolean
  /** Extra routes (ingest's API); return false to fall through to 404. */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>
  /** Largest request line and headers; Node's default is 16 KiB. */
  maxHeaderSize?: number
}

export interface HealthServer {
  server: Server
  port: number
  close(): Promise<void>
}

/** /metrics (Prometheus text), /healthz/live (the process answers), /healthz/ready (see isReady). */
export async function startHealthServer(opts: HealthServerOptions): Promise<HealthServer> {
  const server = createServer({ maxHeaderSize: opts.maxHeaderSize ?? 16 * 1024 }, (req, res) => {
    void route(opts, req, res).catch((err: unknown) => {
      res.statusCode = 500
      res.end(err instanceof Error ? err.message : 'internal error')
    })
  })
  server.keepAliveTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
      }),
  }
}

async function route(opts: HealthServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]
  if (req.method === 'GET' && path === '/metrics') {
    res.setHeader('content-type', opts.registry.contentType)
    res.end(await opts.registry.metrics())
    return
  }
  if (req.method === 'GET' && path === '/healthz/live') {
    sendJson(res, 200, { status: 'live' })
    return
  }
  if (req.method === 'GET' && path === '/healthz/ready') {
    const ready = opts.isReady()
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' })
    return
  }
  if (opts.extraRoutes && (await opts.extraRoutes(req, res))) return
  sendJson(res, 404, { error: 'not found' })
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify(body))
}

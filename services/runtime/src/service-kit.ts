import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { type HealthServer, startHealthServer } from './health-server.ts'
import { createLogger } from './logger.ts'
import { createMetricsRegistry } from './metrics.ts'
import { createShutdown, installProcessHandlers, type Shutdown } from './shutdown.ts'

export interface ServiceKitOptions {
  service: string
  logLevel: string
  shutdownTimeoutMs: number
  http: { host: string; port: number }
  extraRoutes?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>
}

export interface ServiceKit {
  log: Logger
  registry: Registry
  shutdown: Shutdown
  http: HealthServer
  /** Flip to ready once dependencies are connected and work is being taken. */
  setReady(ready: boolean): void
}

/**
 * The parts every service's main.ts starts the same way: logger, metrics registry, the
 * /metrics + /healthz server, signal and crash handlers, and a shutdown that first turns
 * readiness off (so load balancers stop sending work) and last closes the HTTP server.
 */
export async function startServiceKit(opts: ServiceKitOptions): Promise<ServiceKit> {
  const log = createLogger({ service: opts.service, level: opts.logLevel })
  const registry = createMetricsRegistry(opts.service)
  const shutdown = createShutdown({ log, deadlineMs: opts.shutdownTimeoutMs })
  installProcessHandlers(log, shutdown)
  let ready = false
  const http = await startHealthServer({
    host: opts.http.host,
    port: opts.http.port,
    registry,
    isReady: () => ready && !shutdown.started,
    ...(opts.extraRoutes ? { extraRoutes: opts.extraRoutes } : {}),
  })
  log.info({ host: opts.http.host, port: http.port }, 'health and metrics listening')
  return {
    log,
    registry,
    shutdown,
    http,
    setReady(value) {
      ready = value
      if (value) log.info({ port: http.port }, 'ready')
    },
  }
}

/** For main().catch: configuration problems print as a readable list; anything else as a stack. */
export function exitOnStartupError(service: string): (err: unknown) => never {
  return (err) => {
    const text =
      err instanceof Error
        ? err.name === 'ConfigError'
          ? err.message
          : (err.stack ?? err.message)
        : String(err)
    process.stderr.write(`${service}: start-up failed: ${text}\n`)
    process.exit(1)
  }
}

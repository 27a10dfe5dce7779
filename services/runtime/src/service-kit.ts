import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { type HealthServer, startHealthServer } from './health-server.ts'
import { createKafkaClient } from './kafka-adapter.ts'
import type { KafkaClient } from './kafka-types.ts'
import { createLogger } from './logger.ts'
import { createMetricsRegistry } from './metrics.ts'
import { createShutdown, installProcessHandlers, type Shutdown } from './shutdown.ts'

export interface ServiceKitOptions {
  service: string
  /** The parts of the service's validated config that every service has. */
  config: {
    LOG_LEVEL: string
    SHUTDOWN_TIMEOUT_MS: number
    HTTP_HOST: string
    /** A service without Kafka (alerts) leaves it out; `kafka` then throws. */
    KAFKA_BROKERS?: string[]
    KAFKA_CLIENT_ID?: string | undefined
  }
  httpPort: number
  extraRoutes?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>
}

export interface ServiceKit {
  log: Logger
  registry: Registry
  shutdown: Shutdown
  http: HealthServer
  /** Made on first use, not connected: producer(), consumer() and admin() connect on demand. */
  readonly kafka: KafkaClient
  /** Flip to ready once dependencies are connected and work is being taken. */
  setReady(ready: boolean): void
  /** Routes tried after /metrics and /healthz/* (ingest's API), replacing any mounted before. */
  mount(routes: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>): void
}

/**
 * The parts every service's main.ts starts the same way: logger, metrics registry, the
 * /metrics + /healthz server, signal and crash handlers, and a shutdown that first turns
 * readiness off (so load balancers stop sending work) and last closes the HTTP server.
 */
export async function startServiceKit(opts: ServiceKitOptions): Promise<ServiceKit> {
  const { config } = opts
  const log = createLogger({ service: opts.service, level: config.LOG_LEVEL })
  const registry = createMetricsRegistry(opts.service)
  const shutdown = createShutdown({ log, deadlineMs: config.SHUTDOWN_TIMEOUT_MS })
  installProcessHandlers(log, shutdown)
  let ready = false
  let routes = opts.extraRoutes
  const http = await startHealthServer({
    host: config.HTTP_HOST,
    port: opts.httpPort,
    registry,
    isReady: () => ready && !shutdown.started,
    extraRoutes: (req, res) => (routes ? routes(req, res) : false),
  })
  log.info({ host: config.HTTP_HOST, port: http.port }, 'health and metrics listening')
  let kafka: KafkaClient | undefined
  return {
    log,
    registry,
    shutdown,
    http,
    get kafka() {
      if (!config.KAFKA_BROKERS) throw new Error(`${opts.service} is not configured for Kafka`)
      kafka ??= createKafkaClient({
        brokers: config.KAFKA_BROKERS,
        clientId: config.KAFKA_CLIENT_ID ?? `opstream-${opts.service}`,
        log,
      })
      return kafka
    },
    mount(value) {
      routes = value
    },
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

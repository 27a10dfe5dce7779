import { randomUUID } from 'node:crypto'
import { loadConfig, topicNames } from '@opstream/runtime/config'
import { createEncoder } from '@opstream/runtime/contract/codec'
import { SUBJECTS, schemaRegistryFor } from '@opstream/runtime/contract/contract'
import { registryRoutes } from '@opstream/runtime/contract/registry-routes'
import { exitOnStartupError, startServiceKit } from '@opstream/runtime/service-kit'
import { createApi } from './adapters/http-api.ts'
import { createPublisher } from './adapters/publisher.ts'
import { ingestEnvSchema } from './config.ts'
import { createRateLimiter } from './core/token-bucket.ts'
import { parseWriteKeys } from './core/write-keys.ts'
import { createIngestMetrics } from './metrics.ts'

const SERVICE = 'ingest'

/**
 * ingest: the HTTP collector (native API, Segment HTTP Tracking API, user and channel feeds)
 * in front of an idempotent Kafka producer, and the built-in schema registry's read API.
 */
async function main(): Promise<void> {
  const config = loadConfig(ingestEnvSchema, process.env)
  const apps = parseWriteKeys(config.INGEST_WRITE_KEYS)
  const schemas = schemaRegistryFor(config)
  const kit = await startServiceKit({ service: SERVICE, config, httpPort: config.INGEST_HTTP_PORT })
  const producer = await kit.kafka.producer()
  const [event, profile, channel, dlq] = await Promise.all([
    createEncoder(schemas.registry, SUBJECTS.event),
    createEncoder(schemas.registry, SUBJECTS.userProfile),
    createEncoder(schemas.registry, SUBJECTS.channel),
    createEncoder(schemas.registry, SUBJECTS.dlqRecord),
  ])
  const metrics = createIngestMetrics(kit.registry)
  const api = await createApi({
    apps,
    rateLimiter: createRateLimiter({
      ratePerSecond: config.INGEST_RATE_LIMIT_PER_SEC,
      burst: config.INGEST_RATE_LIMIT_BURST,
    }),
    publisher: createPublisher({
      producer,
      maxInFlight: config.INGEST_BUFFER_MAX_MESSAGES,
      timeoutMs: config.INGEST_PRODUCE_TIMEOUT_MS,
      metrics,
    }),
    encoders: { event, profile, channel, dlq },
    topics: topicNames(config),
    metrics,
    log: kit.log,
    maxBodyBytes: config.INGEST_MAX_BODY_BYTES,
    maxBatchEvents: config.INGEST_MAX_BATCH_EVENTS,
    now: () => new Date(),
    newId: randomUUID,
  })
  const registryApi = schemas.builtIn ? registryRoutes(schemas.builtIn) : undefined
  kit.mount((req, res) => {
    // The built-in registry's read API first (GET only), then the collector.
    if (registryApi?.(req, res)) return true
    api.routing(req, res)
    return true
  })
  // Readiness off first (by the kit), then the in-flight requests finish, then the producer flushes.
  kit.shutdown.add({ name: 'http', run: () => kit.http.close() })
  kit.shutdown.add({ name: 'api', run: () => api.close() })
  kit.shutdown.add({ name: 'producer', run: () => producer.disconnect() })
  kit.log.info(
    { apps: [...apps.values()].map((a) => a.appId), topic: topicNames(config).eventsRaw },
    'collector ready',
  )
  kit.setReady(true)
}

main().catch(exitOnStartupError(SERVICE))

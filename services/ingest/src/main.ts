import { loadConfig, topicNames } from '@opstream/runtime/config'
import { schemaRegistryFor } from '@opstream/runtime/contract/contract'
import { registryRoutes } from '@opstream/runtime/contract/registry-routes'
import { exitOnStartupError, startServiceKit } from '@opstream/runtime/service-kit'
import { ingestEnvSchema } from './config.ts'

const SERVICE = 'ingest'

/**
 * ingest: accepts events from platform apps and publishes them to the raw topic. At this stage
 * it connects its idempotent producer, serves health and metrics, and serves the built-in
 * schema registry's read API; the collector API is wired here when it lands.
 */
async function main(): Promise<void> {
  const config = loadConfig(ingestEnvSchema, process.env)
  const schemas = schemaRegistryFor(config)
  const kit = await startServiceKit({
    service: SERVICE,
    config,
    httpPort: config.INGEST_HTTP_PORT,
    // The built-in registry's read API, for kcat, ClickHouse AvroConfluent and Kafka Connect.
    ...(schemas.builtIn ? { extraRoutes: registryRoutes(schemas.builtIn) } : {}),
  })
  const producer = await kit.kafka.producer()
  kit.shutdown.add({ name: 'producer', run: () => producer.disconnect() })
  kit.shutdown.add({ name: 'http', run: () => kit.http.close() })
  kit.log.info({ topic: topicNames(config).eventsRaw }, 'producer connected')
  kit.setReady(true)
}

main().catch(exitOnStartupError(SERVICE))

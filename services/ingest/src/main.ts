import { loadConfig, topicNames } from '@opstream/runtime/config'
import { exitOnStartupError, startServiceKit } from '@opstream/runtime/service-kit'
import { ingestEnvSchema } from './config.ts'

const SERVICE = 'ingest'

/**
 * ingest: accepts events from platform apps and publishes them to the raw topic. At this stage
 * it connects its idempotent producer and serves health and metrics; the collector API lands
 * with the event contract.
 */
async function main(): Promise<void> {
  const config = loadConfig(ingestEnvSchema, process.env)
  const kit = await startServiceKit({ service: SERVICE, config, httpPort: config.INGEST_HTTP_PORT })
  const producer = await kit.kafka.producer()
  kit.shutdown.add({ name: 'producer', run: () => producer.disconnect() })
  kit.shutdown.add({ name: 'http', run: () => kit.http.close() })
  kit.log.info({ topic: topicNames(config).eventsRaw }, 'producer connected')
  kit.setReady(true)
}

main().catch(exitOnStartupError(SERVICE))

import { loadConfig, topicNames } from '@opstream/runtime/config'
import { exitOnStartupError, startServiceKit } from '@opstream/runtime/service-kit'
import { enrichEnvSchema } from './config.ts'

const SERVICE = 'enrich'

/**
 * enrich: the attribute (device-keyed) and profile (person-keyed) stages. At this stage it
 * verifies the broker and its topics and serves health and metrics; the stages' consumers are
 * wired here through the shared consumer runner when their logic lands.
 */
async function main(): Promise<void> {
  const config = loadConfig(enrichEnvSchema, process.env)
  const kit = await startServiceKit({ service: SERVICE, config, httpPort: config.ENRICH_HTTP_PORT })
  const admin = await kit.kafka.admin()
  kit.shutdown.add({ name: 'kafka admin', run: () => admin.disconnect() })
  kit.shutdown.add({ name: 'http', run: () => kit.http.close() })
  const cluster = await admin.describeCluster()
  const names = topicNames(config)
  const present = new Set(await admin.listTopics())
  const missing = [names.eventsRaw, names.eventsAttributed, names.eventsEnriched].filter(
    (t) => !present.has(t),
  )
  if (missing.length > 0) kit.log.warn({ missing }, 'input or output topics do not exist yet')
  kit.log.info({ clusterId: cluster.clusterId, brokers: cluster.brokers.length }, 'broker reachable')
  kit.setReady(true)
}

main().catch(exitOnStartupError(SERVICE))

/**
 * Creates the pipeline's topics (partitions from KAFKA_PARTITIONS, the table topics compacted)
 * where they are missing; `npm start` calls it, and docker-compose runs it once as a job:
 *   tsx scripts/topics.ts
 */
import { pathToFileURL } from 'node:url'
import { kafkaEnvSchema, loadConfig, topicNames } from '@opstream/runtime/config'
import { createKafkaClient } from '@opstream/runtime/kafka-adapter'
import { createLogger } from '@opstream/runtime/logger'
import { ensureTopics, pipelineTopics } from '@opstream/runtime/topics'

/** The topics created (none when all existed). */
export async function createTopics(env: NodeJS.ProcessEnv): Promise<string[]> {
  const config = loadConfig(kafkaEnvSchema, env)
  const log = createLogger({ service: 'topics', level: 'warn' })
  const admin = await createKafkaClient({
    brokers: config.KAFKA_BROKERS,
    clientId: 'opstream-topics',
    log,
  }).admin()
  try {
    return await ensureTopics(admin, pipelineTopics(topicNames(config), config.KAFKA_PARTITIONS))
  } finally {
    await admin.disconnect()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const created = await createTopics(process.env)
  process.stdout.write(`[topics] ${created.length > 0 ? `created ${created.join(', ')}` : 'all exist'}\n`)
}

import type { TopicNames } from './config.ts'
import type { AdminHandle, KafkaClient, TopicSpec } from './kafka-types.ts'

/** The pipeline's topics: events keyed for parallelism, feeds compacted (latest value per key). */
export function pipelineTopics(names: TopicNames, partitions: number): TopicSpec[] {
  return [
    { topic: names.eventsRaw, partitions },
    { topic: names.eventsAttributed, partitions },
    { topic: names.eventsEnriched, partitions },
    { topic: names.users, partitions, compacted: true },
    { topic: names.channels, partitions: 1, compacted: true },
    { topic: names.dlq, partitions },
    { topic: names.triggers, partitions },
  ]
}

/** Creates the topics that do not exist yet; existing ones are left as they are. */
export async function ensureTopics(admin: AdminHandle, specs: readonly TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics())
  const missing = specs.filter((s) => !existing.has(s.topic))
  if (missing.length > 0) await admin.createTopics(missing)
  return missing.map((s) => s.topic)
}

/**
 * Creates a stage's changelog (compacted) or another topic partitioned like its input, if
 * missing, with as many partitions as the input: partition p belongs to input partition p.
 * Returns the partition count.
 */
export async function ensureChangelog(
  kafka: KafkaClient,
  input: string,
  changelog: string,
  compacted = true,
): Promise<number> {
  const admin = await kafka.admin()
  try {
    const partitions = (await admin.fetchTopicOffsets(input)).length
    await ensureTopics(admin, [{ topic: changelog, partitions, compacted }])
    return partitions
  } finally {
    await admin.disconnect()
  }
}

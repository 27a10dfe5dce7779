import { prefixedTopicNames, stageNames } from '@opstream/runtime/config'
import { createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import type { AdminHandle } from '@opstream/runtime/kafka-types'
import {
  brokers,
  clickhouseEnv,
  committedToEnd,
  testKafka,
  uniqueName,
} from '@opstream/runtime/testing/stack'
import { ensureTopics, pipelineTopics } from '@opstream/runtime/topics'

/** Topics of its own, a ClickHouse database of its own, and the aggregate's environment for them. */
export async function setUpAggregate(admin: AdminHandle, label: string, partitions = 3) {
  const prefix = `${uniqueName(label)}.`
  const names = prefixedTopicNames(prefix)
  await ensureTopics(admin, pipelineTopics(names, partitions))
  const target = { database: uniqueName(label) }
  const env: Record<string, string> = {
    KAFKA_BROKERS: brokers().join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    // A killed member's partitions move after 15 s instead of 30 (a 16 MiB batch of a loaded
    // machine's two cores can keep heartbeats back for several seconds).
    CONSUMER_SESSION_TIMEOUT_MS: '15000',
    ...clickhouseEnv(target.database),
  }
  return { prefix, names, target, env, group: stageNames(prefix).groups.aggregate }
}

/** Produces enriched events keyed by person (to a given partition when `partition` says so). */
export async function produceEnriched(
  topic: string,
  events: EnrichedEvent[],
  partition?: (e: EnrichedEvent) => number | undefined,
): Promise<void> {
  const encoder = await createEncoder<EnrichedEvent>(fileRegistry(builtInCatalog()), SUBJECTS.enrichedEvent)
  const producer = await testKafka().producer()
  for (let i = 0; i < events.length; i += 5_000) {
    await producer.send(
      topic,
      events.slice(i, i + 5_000).map((e) => {
        const p = partition?.(e)
        return { key: e.person_key, value: encoder.encode(e), ...(p === undefined ? {} : { partition: p }) }
      }),
    )
  }
  await producer.disconnect()
}

/**
 * The enriched topic consumed to its end, and then the stitch topic too (claims for the last
 * enriched events are on it before their offsets are committed).
 */
export async function caughtUp(admin: AdminHandle, prefix: string, enriched: string): Promise<boolean> {
  const group = stageNames(prefix).groups.aggregate
  return (
    (await committedToEnd(admin, group, enriched)) &&
    (await committedToEnd(admin, group, stageNames(prefix).internal.stitch))
  )
}

/** Messages of a topic the group has committed, over all partitions. */
export async function committedCount(admin: AdminHandle, group: string, topic: string): Promise<number> {
  return (await admin.fetchCommitted(group, topic)).reduce((n, c) => n + Math.max(0, Number(c.offset)), 0)
}

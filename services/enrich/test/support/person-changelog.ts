/**
 * The person state as the profile stage's changelog last has it, key by key: what a restore
 * would bring back after a crash. For tests that look at the stored state from outside.
 */
import type { AdminHandle, KafkaClient } from '@opstream/runtime/kafka-types'
import { waitFor } from '@opstream/runtime/testing/stack'
import { tailTopics } from '@opstream/runtime/testing/topic-tail'
import { personStateCodec } from '../../src/adapters/person-state-codec.ts'
import type { PersonState } from '../../src/core/person-profile.ts'

const KEY_PREFIX = 'k:'

export async function readPersonChangelog(
  kafka: KafkaClient,
  admin: AdminHandle,
  topic: string,
): Promise<Map<string, PersonState>> {
  // Read up to each partition's last record (compaction may have left gaps before it).
  const lasts = (await admin.fetchTopicOffsets(topic))
    .filter((e) => e.high !== e.low)
    .map((e) => ({ partition: e.partition, offset: (BigInt(e.high) - 1n).toString() }))
  const tail = await tailTopics(kafka, [topic])
  const reachedEnd = () => {
    const messages = tail.messages(topic)
    const read = new Set(messages.map((m) => `${m.partition}@${m.offset}`))
    return lasts.every((l) => read.has(`${l.partition}@${l.offset}`)) && messages
  }
  try {
    const messages = await waitFor(reachedEnd, {
      what: `${topic} read to its end`,
      timeoutMs: 60_000,
      intervalMs: 250,
    })
    const codec = personStateCodec()
    const persons = new Map<string, PersonState>()
    for (const m of messages) {
      const key = m.key?.toString('utf8') ?? ''
      if (!key.startsWith(KEY_PREFIX)) continue
      const person = key.slice(KEY_PREFIX.length)
      // The changelog value: the 8-byte input offset, then the person record.
      if (m.value === null) persons.delete(person)
      else persons.set(person, codec.decode(m.value.subarray(8)))
    }
    return persons
  } finally {
    await tail.stop()
  }
}

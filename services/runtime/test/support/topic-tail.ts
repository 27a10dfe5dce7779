import type { InboundMessage, KafkaClient } from '../../src/kafka-types.ts'
import { uniqueName } from './stack.ts'

export interface TopicTail {
  /** Every message read so far, per topic, in offset order per partition. */
  messages(topic: string): InboundMessage[]
  stop(): Promise<void>
}

/** Reads topics from the beginning and keeps reading, for tests that watch a stage's output. */
export async function tailTopics(kafka: KafkaClient, topics: readonly string[]): Promise<TopicTail> {
  const seen = new Map<string, InboundMessage[]>(topics.map((t) => [t, []]))
  const consumer = await kafka.consumer({ groupId: uniqueName('tail') })
  await consumer.subscribe(topics, true)
  await consumer.run(
    async (b) => {
      seen.get(b.topic)?.push(...b.messages)
      await b.commit((BigInt(b.lastOffset) + 1n).toString())
    },
    { partitionsConsumedConcurrently: 8 },
  )
  return {
    messages: (topic) => seen.get(topic) ?? [],
    async stop() {
      await consumer.stop()
      await consumer.disconnect()
    },
  }
}

import { randomBytes } from 'node:crypto'
import type { InboundMessage, KafkaClient } from './kafka-types.ts'

/**
 * Reads chosen partitions of a topic from the beginning up to their end as it was when the read
 * started (a changelog, a compacted feed), and resolves then with the count read and those ends
 * (each chosen partition's high watermark at the start). Messages arrive in offset order
 * per partition. Other partitions are paused as soon as they show up.
 */
export async function readPartitionsToEnd(opts: {
  kafka: KafkaClient
  topic: string
  partitions: readonly number[]
  onMessages: (messages: readonly InboundMessage[]) => void
  /** Where to start in a partition instead of its beginning (a tail). */
  from?: ReadonlyMap<number, bigint>
}): Promise<{ messages: number; ends: Map<number, bigint> }> {
  const wanted = new Set(opts.partitions)
  // A group of its own for this one read; it starts at the beginning unless told otherwise.
  const groupId = `opstream-restore-${randomBytes(6).toString('hex')}`
  const admin = await opts.kafka.admin()
  const highs = new Map<number, bigint>()
  const ends = new Map<number, bigint>()
  try {
    const starts: Array<{ partition: number; offset: bigint }> = []
    for (const o of await admin.fetchTopicOffsets(opts.topic)) {
      if (!wanted.has(o.partition)) continue
      const [low, high] = [BigInt(o.low), BigInt(o.high)]
      highs.set(o.partition, high)
      // Before the low watermark would reset to the end: a tail older than retention starts at low.
      const start = opts.from?.get(o.partition) ?? low
      starts.push({ partition: o.partition, offset: start > low ? start : low })
      if (high > start && high > low) ends.set(o.partition, high)
    }
    if (opts.from && ends.size > 0) await admin.setOffsets(groupId, opts.topic, starts)
  } finally {
    await admin.disconnect()
  }
  if (ends.size === 0) return { messages: 0, ends: highs }
  const remaining = new Set(ends.keys())
  let count = 0
  const consumer = await opts.kafka.consumer({ groupId })
  try {
    await new Promise<void>((resolve, reject) => {
      consumer.onGroupEvent((event, detail) => {
        // kafkajs restarts the consumer after a retriable crash (a coordinator still loading).
        if (event === 'crash' && detail.restart === false) {
          reject(new Error(`restore of ${opts.topic} failed`, { cause: detail.error }))
        }
      })
      consumer
        .subscribe([opts.topic], opts.from === undefined)
        .then(() =>
          consumer.run(
            async (batch) => {
              const end = ends.get(batch.partition)
              if (end === undefined || !remaining.has(batch.partition)) {
                consumer.pause(opts.topic, [batch.partition])
                return
              }
              const upTo = batch.messages.filter((m) => BigInt(m.offset) < end)
              try {
                opts.onMessages(upTo)
              } catch (err) {
                // Not thrown into kafkajs, which would restart the consumer and read it again.
                reject(err)
                return
              }
              count += upTo.length
              // Moves the fetch position on (kafkajs fetches an unresolved batch again).
              await batch.commit((BigInt(batch.lastOffset) + 1n).toString())
              if (BigInt(batch.lastOffset) + 1n >= end) {
                remaining.delete(batch.partition)
                consumer.pause(opts.topic, [batch.partition])
                if (remaining.size === 0) resolve()
              }
            },
            { partitionsConsumedConcurrently: 1 },
          ),
        )
        .catch(reject)
    })
  } finally {
    await consumer.stop()
    await consumer.disconnect()
  }
  return { messages: count, ends: highs }
}

export interface TopicFollower {
  /** Resolves once every record that was on the topic when following began has been handed over. */
  caughtUp: Promise<void>
  stop(): Promise<void>
}

/**
 * Reads a whole (small, compacted) topic from the beginning and keeps following it: the
 * GlobalKTable of Kafka Streams, for reference data every instance needs in full, such as the
 * channel catalog. Messages arrive in offset order per partition.
 */
export async function followTopic(opts: {
  kafka: KafkaClient
  topic: string
  onMessages: (messages: readonly InboundMessage[]) => void | Promise<void>
  onFailure: (err: Error) => void
}): Promise<TopicFollower> {
  const admin = await opts.kafka.admin()
  const ends = new Map<number, bigint>()
  try {
    for (const o of await admin.fetchTopicOffsets(opts.topic)) {
      if (BigInt(o.high) > BigInt(o.low)) ends.set(o.partition, BigInt(o.high))
    }
  } finally {
    await admin.disconnect()
  }
  let caughtUp!: () => void
  const done = new Promise<void>((resolve) => {
    caughtUp = resolve
  })
  if (ends.size === 0) caughtUp()
  const consumer = await opts.kafka.consumer({
    groupId: `opstream-table-${randomBytes(6).toString('hex')}`,
  })
  consumer.onGroupEvent((event, detail) => {
    if (event === 'crash' && detail.restart === false) {
      opts.onFailure(new Error(`following ${opts.topic} failed`, { cause: detail.error }))
    }
  })
  await consumer.subscribe([opts.topic], true)
  await consumer.run(
    async (batch) => {
      await opts.onMessages(batch.messages)
      const next = BigInt(batch.lastOffset) + 1n
      await batch.commit(next.toString())
      const end = ends.get(batch.partition)
      if (end !== undefined && next >= end) {
        ends.delete(batch.partition)
        if (ends.size === 0) caughtUp()
      }
    },
    { partitionsConsumedConcurrently: 1 },
  )
  return {
    caughtUp: done,
    async stop() {
      await consumer.stop()
      await consumer.disconnect()
    },
  }
}

// Before kafkajs: replaces its quadratic per-partition grouping (see the module).
import './kafkajs-grouping.ts'
import {
  type Admin,
  AssignerProtocol,
  CompressionTypes,
  type Consumer,
  Kafka,
  type KafkaMessage,
  type LogEntry,
  logLevel,
  type PartitionAssigner,
  Partitioners,
  type Producer,
} from 'kafkajs'
import type { Logger } from 'pino'
import type {
  AdminHandle,
  BatchPayload,
  ConsumerHandle,
  InboundMessage,
  KafkaClient,
  OutboundMessage,
  ProducerHandle,
  RebalanceEvent,
  TopicSpec,
  WrittenAt,
} from './kafka-types.ts'
import { groupingReplaced } from './kafkajs-grouping.ts'

/**
 * The one place that imports kafkajs. It maps kafkajs onto the small vocabulary in
 * kafka-types.ts, so the client library can be replaced without touching the services.
 */
export interface KafkaAdapterOptions {
  brokers: readonly string[]
  clientId: string
  log: Logger
  /** Bounded producer retries: delivery relies on event_id dedup downstream, not on producer EoS. */
  producerRetries?: number
  connectionTimeoutMs?: number
}

export function createKafkaClient(opts: KafkaAdapterOptions): KafkaClient {
  if (!groupingReplaced())
    opts.log.warn(
      'kafkajs was loaded before the adapter: sends group messages per partition in quadratic time',
    )
  const kafka = new Kafka({
    clientId: opts.clientId,
    brokers: [...opts.brokers],
    connectionTimeout: opts.connectionTimeoutMs ?? 3_000,
    logLevel: logLevel.INFO,
    logCreator: pinoLogCreator(opts.log.child({ component: 'kafkajs' })),
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 5_000 },
  })
  return {
    async producer() {
      const producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        // murmur2 on the key, as the Java client: a key lands on the same partition whoever produced it.
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
        retry: { retries: opts.producerRetries ?? 10, initialRetryTime: 100, maxRetryTime: 5_000 },
      })
      await producer.connect()
      return wrapProducer(producer)
    },
    async consumer(c) {
      const consumer = kafka.consumer({
        groupId: c.groupId,
        sessionTimeout: c.sessionTimeoutMs ?? 30_000,
        heartbeatInterval: c.heartbeatIntervalMs ?? 3_000,
        // A fetch of an idle topic waits this long on the broker, and the group's heartbeats
        // queue behind it on the same connection: kept well under the session timeout.
        maxWaitTimeInMs: 1_000,
        allowAutoTopicCreation: false,
        maxBytesPerPartition: c.maxBytesPerPartition ?? 4 * 1024 * 1024,
        maxBytes: Math.max(10 * 1024 * 1024, 2 * (c.maxBytesPerPartition ?? 0)),
        ...(c.coPartitioned ? { partitionAssigners: [coPartitionedAssigner] } : {}),
      })
      await consumer.connect()
      return wrapConsumer(consumer)
    },
    async admin() {
      const admin = kafka.admin()
      await admin.connect()
      return wrapAdmin(admin)
    },
  }
}

function toKafkajs(messages: readonly OutboundMessage[]) {
  return messages.map((m) => ({
    key: m.key,
    value: m.value,
    ...(m.headers ? { headers: m.headers } : {}),
    ...(m.partition !== undefined ? { partition: m.partition } : {}),
  }))
}

/**
 * kafkajs puts all of a request's messages for one partition into one record batch, which the
 * broker refuses above message.max.bytes (1 MiB by default). Requests are therefore cut at
 * REQUEST_BYTES of payload (headroom left for batch and record overhead) and sent one after another, which keeps per-partition order.
 */
const REQUEST_BYTES = 900 * 1024

function sizeOf(m: OutboundMessage): number {
  const len = (v: Buffer | string | null | undefined) =>
    v === null || v === undefined ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length
  let n = 64 + len(m.key) + len(m.value)
  for (const [k, v] of Object.entries(m.headers ?? {})) n += k.length + len(v)
  return n
}

function* requestSized(batches: ReadonlyArray<{ topic: string; messages: readonly OutboundMessage[] }>) {
  let current: Array<{ topic: string; messages: OutboundMessage[] }> = []
  let bytes = 0
  for (const b of batches) {
    let slot: OutboundMessage[] | undefined
    for (const m of b.messages) {
      const size = sizeOf(m)
      if (bytes > 0 && bytes + size > REQUEST_BYTES) {
        yield current
        current = []
        bytes = 0
        slot = undefined
      }
      if (!slot) {
        slot = []
        current.push({ topic: b.topic, messages: slot })
      }
      slot.push(m)
      bytes += size
    }
  }
  if (current.length > 0) yield current
}

function wrapProducer(producer: Producer): ProducerHandle {
  const sendBatch: ProducerHandle['sendBatch'] = async (batches) => {
    const written = new Map<string, WrittenAt>()
    for (const request of requestSized(batches)) {
      const metadata = await producer.sendBatch({
        topicMessages: request.map((b) => ({ topic: b.topic, messages: toKafkajs(b.messages) })),
        acks: -1,
        compression: CompressionTypes.None,
      })
      // Requests go one after another, so a later request's base offset is the later position.
      for (const m of metadata) {
        if (m.baseOffset === undefined) continue
        const at = { topic: m.topicName, partition: m.partition, offset: BigInt(m.baseOffset) }
        written.set(`${m.partition}/${m.topicName}`, at)
      }
    }
    return [...written.values()]
  }
  return {
    send: (topic, messages) => sendBatch([{ topic, messages }]),
    sendBatch,
    disconnect: () => producer.disconnect(),
  }
}

function toInbound(topic: string, partition: number, m: KafkaMessage): InboundMessage {
  const headers: InboundMessage['headers'] = {}
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    // kafkajs hands repeated headers as arrays; the last value wins, as in Kafka Streams.
    const value = Array.isArray(v) ? v[v.length - 1] : v
    headers[k] = value === undefined ? undefined : Buffer.isBuffer(value) ? value : Buffer.from(value)
  }
  return { topic, partition, offset: m.offset, key: m.key, value: m.value, headers, timestamp: m.timestamp }
}

/**
 * Partition p of every subscribed topic goes to the same member (Kafka Streams' co-partitioning):
 * a stream and the table it joins, keyed alike and partitioned alike, meet in one process.
 */
const coPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: 'OpstreamCoPartitioned',
  version: 0,
  async assign({ members, topics }) {
    const ids = members.map((m) => m.memberId).sort()
    const assignment = new Map<string, Record<string, number[]>>(ids.map((id) => [id, {}]))
    for (const topic of topics) {
      for (const { partitionId } of cluster.findTopicPartitionMetadata(topic)) {
        const member = assignment.get(ids[partitionId % ids.length] as string) as Record<string, number[]>
        member[topic] = [...(member[topic] ?? []), partitionId]
      }
    }
    return [...assignment].map(([memberId, a]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 0,
        assignment: a,
        userData: Buffer.alloc(0),
      }),
    }))
  },
  protocol({ topics }) {
    return {
      name: 'OpstreamCoPartitioned',
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
    }
  },
})

function wrapConsumer(consumer: Consumer): ConsumerHandle {
  return {
    async subscribe(topics, fromBeginning) {
      await consumer.subscribe({ topics: [...topics], fromBeginning })
    },
    async run(onBatch, runOpts) {
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: runOpts.partitionsConsumedConcurrently,
        eachBatch: async (p) => {
          const { topic, partition } = p.batch
          const payload: BatchPayload = {
            topic,
            partition,
            messages: p.batch.messages.map((m) => toInbound(topic, partition, m)),
            highWatermark: p.batch.highWatermark,
            lastOffset: p.batch.lastOffset(),
            heartbeat: () => p.heartbeat(),
            async commit(nextOffset) {
              // resolveOffset stores offset+1 as kafkajs' position; commit the exact value we computed.
              p.resolveOffset((BigInt(nextOffset) - 1n).toString())
              await p.commitOffsetsIfNecessary({
                topics: [{ topic, partitions: [{ partition, offset: nextOffset }] }],
              })
            },
            isRunning: () => p.isRunning(),
            isStale: () => p.isStale(),
          }
          await onBatch(payload)
        },
      })
    },
    onGroupEvent(listener) {
      const e = consumer.events
      const on = (name: string, event: RebalanceEvent) =>
        consumer.on(name as typeof e.GROUP_JOIN, (ev) =>
          listener(event, (ev.payload ?? {}) as Record<string, unknown>),
        )
      on(e.GROUP_JOIN, 'group_join')
      on(e.REBALANCING, 'rebalancing')
      on(e.CRASH, 'crash')
      on(e.STOP, 'stop')
    },
    onAssigned(listener) {
      consumer.on(consumer.events.GROUP_JOIN, (ev) => listener(ev.payload.memberAssignment ?? {}))
    },
    pause(topic, partitions) {
      consumer.pause([{ topic, partitions: [...partitions] }])
    },
    stop: () => consumer.stop(),
    disconnect: () => consumer.disconnect(),
  }
}

function createWaitingForLeaders(admin: Admin, topics: readonly TopicSpec[]): Promise<boolean> {
  return admin.createTopics({
    waitForLeaders: true,
    topics: topics.map((t) => ({
      topic: t.topic,
      numPartitions: t.partitions,
      replicationFactor: -1,
      configEntries: Object.entries({
        ...(t.compacted ? { 'cleanup.policy': 'compact' } : {}),
        ...t.config,
      }).map(([name, value]) => ({ name, value })),
    })),
  })
}

/** Until every partition of the topics has a leader, as the broker's metadata says (30 s at most). */
async function waitForLeaders(admin: Admin, topics: readonly string[]): Promise<void> {
  const deadline = Date.now() + 30_000
  for (;;) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: [...topics] })
      const led = meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
      if (meta.length === topics.length && led) return
    } catch (err) {
      if ((err as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || Date.now() > deadline) throw err
    }
    if (Date.now() > deadline) throw new Error(`topics without leaders after 30 s: ${topics.join(', ')}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

function wrapAdmin(admin: Admin): AdminHandle {
  return {
    async createTopics(topics) {
      try {
        await createWaitingForLeaders(admin, topics)
      } catch (err) {
        // A broker that has just created a topic can name it unknown for a moment while its
        // metadata catches up; kafkajs's wait for leaders gives up on that instead of retrying.
        if ((err as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw err
      }
      await waitForLeaders(
        admin,
        topics.map((t) => t.topic),
      )
    },
    async deleteTopics(topics) {
      await admin.deleteTopics({ topics: [...topics] })
    },
    listTopics: () => admin.listTopics(),
    async fetchCommitted(groupId, topic) {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] })
      return (entry?.partitions ?? []).map((p) => ({ partition: p.partition, offset: p.offset }))
    },
    async setOffsets(groupId, topic, offsets) {
      await admin.setOffsets({
        groupId,
        topic,
        partitions: offsets.map((o) => ({ partition: o.partition, offset: o.offset.toString() })),
      })
    },
    async fetchTopicOffsets(topic) {
      const offsets = await admin.fetchTopicOffsets(topic)
      return offsets.map((o) => ({ partition: o.partition, low: o.low, high: o.high }))
    },
    async describeCluster() {
      const c = await admin.describeCluster()
      return {
        clusterId: c.clusterId,
        brokers: c.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port })),
      }
    },
    disconnect: () => admin.disconnect(),
  }
}

/** Routes kafkajs' own log lines into pino at the matching level. */
function pinoLogCreator(log: Logger) {
  return () =>
    ({ level, log: entry }: LogEntry) => {
      const { message, ...rest } = entry
      const line = { ...rest, kafkajsLevel: level }
      if (level === logLevel.ERROR || level === logLevel.NOTHING) log.error(line, message)
      else if (level === logLevel.WARN) log.warn(line, message)
      else if (level === logLevel.INFO) log.info(line, message)
      else log.debug(line, message)
    }
}

/**
 * The Kafka vocabulary the services speak. Only kafka-adapter.ts knows which client library
 * implements it; everything else (the runner, the services) depends on these types.
 */
export type Headers = Record<string, Buffer | undefined>

export interface InboundMessage {
  topic: string
  partition: number
  /** Kafka offsets exceed 2^53 in principle; kept as decimal strings. */
  offset: string
  key: Buffer | null
  value: Buffer | null
  headers: Headers
  /** Broker or producer timestamp, milliseconds since the epoch, as a string. */
  timestamp: string
}

export interface OutboundMessage {
  key: Buffer | string | null
  value: Buffer | string | null
  headers?: Record<string, Buffer | string>
  partition?: number
}

/** One fetched batch of one partition, and the controls the runner needs while handling it. */
export interface BatchPayload {
  topic: string
  partition: number
  messages: InboundMessage[]
  highWatermark: string
  /** The batch's last offset, which may lie past the last message (transaction markers). */
  lastOffset: string
  heartbeat(): Promise<void>
  /** Stores `nextOffset` (the next offset to read) as the group's committed position. */
  commit(nextOffset: string): Promise<void>
  /** False once the consumer is stopping. */
  isRunning(): boolean
  /** True once this partition was revoked (a rebalance moved it elsewhere). */
  isStale(): boolean
}

export type RebalanceEvent = 'group_join' | 'rebalancing' | 'crash' | 'stop'

/** A member's assignment: its partitions of each topic. */
export type PartitionsByTopic = Readonly<Record<string, readonly number[]>>

export interface ConsumerHandle {
  subscribe(topics: readonly string[], fromBeginning: boolean): Promise<void>
  run(
    onBatch: (batch: BatchPayload) => Promise<void>,
    opts: { partitionsConsumedConcurrently: number },
  ): Promise<void>
  onGroupEvent(listener: (event: RebalanceEvent, detail: Record<string, unknown>) => void): void
  /** Told each time the group assigns this member its partitions, by topic (none: an empty list). */
  onAssigned(listener: (partitions: PartitionsByTopic) => void): void
  /** Stops fetching these partitions (until the consumer is stopped). */
  pause(topic: string, partitions: readonly number[]): void
  stop(): Promise<void>
  disconnect(): Promise<void>
}

/**
 * Where a send wrote in one partition: the base offset of the last produce request that wrote
 * there. Nothing the send wrote to the partition after that request lies before it, so a reader
 * starting here sees the send's last records there and everything produced after them.
 */
export interface WrittenAt {
  topic: string
  partition: number
  offset: bigint
}

export interface ProducerHandle {
  /** Resolves once every message is acknowledged by all in-sync replicas (acks = all). */
  send(topic: string, messages: readonly OutboundMessage[]): Promise<WrittenAt[]>
  /** Several topics in one produce request per broker; resolves once all are acknowledged. */
  sendBatch(
    batches: ReadonlyArray<{ topic: string; messages: readonly OutboundMessage[] }>,
  ): Promise<WrittenAt[]>
  disconnect(): Promise<void>
}

export interface TopicSpec {
  topic: string
  partitions: number
  /** cleanup.policy=compact (changelogs, the users and channels feeds). */
  compacted?: boolean
  config?: Record<string, string>
}

export interface AdminHandle {
  createTopics(topics: readonly TopicSpec[]): Promise<void>
  deleteTopics(topics: readonly string[]): Promise<void>
  listTopics(): Promise<string[]>
  /** Committed offsets of a group for one topic; -1 where nothing was committed. */
  fetchCommitted(groupId: string, topic: string): Promise<Array<{ partition: number; offset: string }>>
  /** Commits offsets for a group with no active member (to start a fresh reader mid-partition). */
  setOffsets(
    groupId: string,
    topic: string,
    offsets: ReadonlyArray<{ partition: number; offset: bigint }>,
  ): Promise<void>
  /** Low and high watermarks per partition. */
  fetchTopicOffsets(topic: string): Promise<Array<{ partition: number; low: string; high: string }>>
  describeCluster(): Promise<{
    clusterId: string
    brokers: Array<{ nodeId: number; host: string; port: number }>
  }>
  disconnect(): Promise<void>
}

export interface KafkaClient {
  producer(): Promise<ProducerHandle>
  consumer(opts: {
    groupId: string
    sessionTimeoutMs?: number
    heartbeatIntervalMs?: number
    /** Partition p of every subscribed topic to the same member (topics must be partitioned alike). */
    coPartitioned?: boolean
    /** Most bytes fetched per partition at once (4 MiB by default); sinks want big batches. */
    maxBytesPerPartition?: number
  }): Promise<ConsumerHandle>
  admin(): Promise<AdminHandle>
}

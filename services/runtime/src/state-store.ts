import type { Logger } from 'pino'
import { readPartitionsToEnd } from './changelog-reader.ts'
import type { KafkaClient, OutboundMessage, ProducerHandle } from './kafka-types.ts'

/**
 * Keyed state owned by input partitions, as in Kafka Streams: each input partition has a map,
 * backed by partition p of a compacted changelog topic. Changes are written to the changelog
 * together with the input offset they reflect (a marker record); a partition's state is
 * rebuilt from its changelog when the partition is assigned, and dropped when it is revoked.
 *
 * Exactly-once state with at-least-once output: a stage produces its output for a chunk of
 * input, then flushes the state with the chunk's last offset, then commits the input offset.
 * After a crash the input is read again from the committed offset; messages at or below the
 * restored `appliedOffset` are already in the state (and their output in Kafka) and are
 * skipped, so a redelivery never counts twice. Output produced before a crash that preceded
 * the flush is produced again, identically (same state, same logic), and deduplicated downstream.
 */
export interface StateCodec<V> {
  encode(value: V): Buffer
  decode(bytes: Buffer): V
}

export interface PartitionState<V> {
  readonly partition: number
  get(key: string): V | undefined
  set(key: string, value: V): void
  delete(key: string): void
  readonly size: number
  /** Every input message up to and including this offset is reflected; -1n when none. */
  readonly appliedOffset: bigint
  /** Writes the changed keys and `offset` as applied to the changelog; resolves when acknowledged. */
  flush(offset: bigint): Promise<void>
}

export interface StateStores<V> {
  /** The state of an assigned partition, restored from the changelog the first time it is asked for. */
  partition(p: number): Promise<PartitionState<V>>
  /** Forgets the state of partitions no longer assigned. */
  retain(assigned: readonly number[]): void
  loadedPartitions(): number[]
}

const APPLIED_KEY = '\u0000applied'
const KEY_PREFIX = 'k:'

export function createStateStores<V>(opts: {
  kafka: KafkaClient
  producer: ProducerHandle
  changelogTopic: string
  codec: StateCodec<V>
  log: Logger
}): StateStores<V> {
  const loaded = new Map<number, Promise<PartitionState<V>>>()

  const restore = async (p: number): Promise<PartitionState<V>> => {
    const started = Date.now()
    const data = new Map<string, V>()
    let applied = -1n
    const { messages } = await readPartitionsToEnd({
      kafka: opts.kafka,
      topic: opts.changelogTopic,
      partitions: [p],
      onMessages: (batch) => {
        for (const m of batch) {
          const key = m.key?.toString('utf8') ?? ''
          if (key === APPLIED_KEY) applied = m.value ? BigInt(m.value.toString('utf8')) : -1n
          else if (key.startsWith(KEY_PREFIX)) {
            const k = key.slice(KEY_PREFIX.length)
            if (m.value === null) data.delete(k)
            else data.set(k, opts.codec.decode(m.value))
          }
        }
      },
    })
    opts.log.info(
      {
        topic: opts.changelogTopic,
        partition: p,
        keys: data.size,
        records: messages,
        appliedOffset: applied.toString(),
        ms: Date.now() - started,
      },
      'state restored',
    )
    return partitionState(p, data, applied, opts)
  }

  return {
    partition(p) {
      let state = loaded.get(p)
      if (!state) {
        state = restore(p)
        loaded.set(p, state)
        state.catch(() => loaded.delete(p))
      }
      return state
    },
    retain(assigned) {
      const keep = new Set(assigned)
      for (const p of [...loaded.keys()]) {
        if (!keep.has(p)) {
          loaded.delete(p)
          opts.log.info({ topic: opts.changelogTopic, partition: p }, 'state dropped (partition revoked)')
        }
      }
    },
    loadedPartitions: () => [...loaded.keys()].sort((a, b) => a - b),
  }
}

function partitionState<V>(
  partition: number,
  data: Map<string, V>,
  initialApplied: bigint,
  opts: { producer: ProducerHandle; changelogTopic: string; codec: StateCodec<V> },
): PartitionState<V> {
  let applied = initialApplied
  const dirty = new Set<string>()
  return {
    partition,
    get: (key) => data.get(key),
    set(key, value) {
      data.set(key, value)
      dirty.add(key)
    },
    delete(key) {
      data.delete(key)
      dirty.add(key)
    },
    get size() {
      return data.size
    },
    get appliedOffset() {
      return applied
    },
    async flush(offset) {
      const records: OutboundMessage[] = []
      for (const key of dirty) {
        const value = data.get(key)
        records.push({
          key: KEY_PREFIX + key,
          value: value === undefined ? null : opts.codec.encode(value),
          partition,
        })
      }
      // The marker goes last in the same request: a restore that sees it also sees the changes before it.
      records.push({ key: APPLIED_KEY, value: offset.toString(), partition })
      await opts.producer.send(opts.changelogTopic, records)
      dirty.clear()
      applied = offset
    },
  }
}

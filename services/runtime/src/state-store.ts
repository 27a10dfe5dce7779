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
 * input, then flushes the state, then commits the input offset. Every key's record carries the
 * offset of the last input message applied to it, so after a crash — even one in the middle of
 * a flush that took several requests — `isApplied(key, offset)` tells exactly which input is
 * already in that key's state (and its output already acknowledged, since output goes first):
 * such input is skipped, so a redelivery never counts twice. Input not yet applied meets the
 * same state as the first time and produces the same output again, deduplicated downstream.
 */
export interface StateCodec<V> {
  encode(value: V): Buffer
  decode(bytes: Buffer): V
}

export interface PartitionState<V> {
  readonly partition: number
  get(key: string): V | undefined
  /** Sets a key's state as of input message `offset` (of this partition). */
  set(key: string, value: V, offset: bigint): void
  delete(key: string, offset: bigint): void
  readonly size: number
  /** Every input message up to and including this offset is reflected; -1n when none. */
  readonly appliedOffset: bigint
  /** Whether input message `offset` is already reflected in `key`'s state. */
  isApplied(key: string, offset: bigint): boolean
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
    const data = new Map<string, Entry<V>>()
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
            else
              data.set(k, {
                offset: m.value.readBigInt64BE(0),
                value: opts.codec.decode(m.value.subarray(8)),
              })
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

interface Entry<V> {
  value: V
  offset: bigint
}

function partitionState<V>(
  partition: number,
  data: Map<string, Entry<V>>,
  initialApplied: bigint,
  opts: { producer: ProducerHandle; changelogTopic: string; codec: StateCodec<V> },
): PartitionState<V> {
  let applied = initialApplied
  const dirty = new Set<string>()
  // Deleted keys remember the offset of their deletion until the flush writes the tombstone.
  const deletedAt = new Map<string, bigint>()
  return {
    partition,
    get: (key) => data.get(key)?.value,
    set(key, value, offset) {
      data.set(key, { value, offset })
      dirty.add(key)
      deletedAt.delete(key)
    },
    delete(key, offset) {
      data.delete(key)
      dirty.add(key)
      deletedAt.set(key, offset)
    },
    get size() {
      return data.size
    },
    get appliedOffset() {
      return applied
    },
    isApplied(key, offset) {
      if (offset <= applied) return true
      const at = data.get(key)?.offset ?? deletedAt.get(key)
      return at !== undefined && offset <= at
    },
    async flush(offset) {
      const records: OutboundMessage[] = []
      for (const key of dirty) {
        const entry = data.get(key)
        let value: Buffer | null = null
        if (entry) {
          // The key's state is stored after the offset of the last input applied to it.
          const body = opts.codec.encode(entry.value)
          value = Buffer.allocUnsafe(8 + body.length)
          value.writeBigInt64BE(entry.offset, 0)
          body.copy(value, 8)
        }
        records.push({ key: KEY_PREFIX + key, value, partition })
      }
      // The marker goes last: a restore that sees it has every record of this flush before it.
      records.push({ key: APPLIED_KEY, value: offset.toString(), partition })
      await opts.producer.send(opts.changelogTopic, records)
      dirty.clear()
      deletedAt.clear()
      applied = offset
    },
  }
}

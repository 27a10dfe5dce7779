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
 *
 * A partition's store is layered as Kafka Streams layers its stores: the map (state-map.ts),
 * change-logging (change-logging.ts), rollback (rollback-journal.ts); this module adds the
 * values' codec, the applied offset and the output tracking on top, and restores partitions.
 */
import type { Logger } from 'pino'
import { APPLIED_KEY, KEY_PREFIX, withChangeLogging } from './change-logging.ts'
import { readPartitionsToEnd } from './changelog-reader.ts'
import type { KafkaClient, ProducerHandle } from './kafka-types.ts'
import { type OutputTail, readOutputTails } from './output-tail.ts'
import { withRollback } from './rollback-journal.ts'
import type { StateCodec } from './state-codec.ts'
import { createStateMap } from './state-map.ts'
import { bodyOf, offsetOf, type Stored, type StoredForms, storedForms, toStored } from './stored-forms.ts'

export interface PartitionState<V> {
  readonly partition: number
  get(key: string): V | undefined
  /** Sets a key's state as of input message `offset` (of this partition). */
  set(key: string, value: V, offset: bigint): void
  /**
   * Sets a key's state from a side input (a table topic joined in) without moving the key's
   * input offset; such updates must be idempotent on their own.
   */
  update(key: string, value: V): void
  delete(key: string, offset: bigint): void
  readonly size: number
  /**
   * The keys held, least recently written first: for a scan after a restore (such as rebuilding a
   * timer index), or a sweep of what has aged. The iterator is live, as a Map's is: a key written
   * while it is walked moves to the back, where the walk meets it again, and one deleted is not met.
   */
  keys(): IterableIterator<string>
  /** Every input message up to and including this offset is reflected; -1n when none. */
  readonly appliedOffset: bigint
  /** Whether input message `offset` is already reflected in `key`'s state. */
  isApplied(key: string, offset: bigint): boolean
  /**
   * Set when the stores track the stage's output (created with `output`): whether input
   * `offset`'s output is on the output topic already, produced before a crash cut the state
   * write short. The stage applies such input and does not produce it again (output-tail.ts).
   */
  readonly output?: { readonly topic: string; produced(offset: bigint): boolean }
  /**
   * Writes the changed keys to the changelog, and `offset` as applied when given; resolves
   * when acknowledged. `outputAt` is where the chunk's output was written in the output
   * partition (stores that track output keep it with the applied offset).
   */
  flush(offset?: bigint, outputAt?: bigint): Promise<void>
  /**
   * Puts every key changed since its last write to the changelog back as it was written: a
   * handler whose output failed calls it before the chunk is retried in the same process, so
   * the retry meets the state the first attempt met — without it, `isApplied` would skip input
   * whose output never reached Kafka. Handlers of one partition must take turns for this
   * (see partition-turns.ts).
   */
  rollback(): void
}

export interface StateStores<V> {
  /** The state of an assigned partition, restored from the changelog the first time it is asked for. */
  partition(p: number): Promise<PartitionState<V>>
  /**
   * The partitions now assigned: state of the others is dropped, and the newly assigned ones
   * are restored together, in one read of the changelog.
   */
  assign(assigned: readonly number[]): void
  loadedPartitions(): number[]
}

/**
 * Runs a handler's work on a partition's state; when it fails, the state is rolled back before
 * the error goes on to the consumer runner, which retries the chunk in this process.
 */
export async function rollingBack<V, R>(state: PartitionState<V>, run: () => Promise<R>): Promise<R> {
  try {
    return await run()
  } catch (err) {
    state.rollback()
    throw err
  }
}

const NO_OFFSET = -1n

/** The applied marker's value: the offset, and `@` the output position when output is tracked. */
interface Marker {
  offset: bigint
  outputAt: bigint | undefined
}

function parseMarker(value: Buffer | null): Marker {
  if (!value) return { offset: NO_OFFSET, outputAt: undefined }
  const [offset = '-1', at] = value.toString('utf8').split('@')
  return { offset: BigInt(offset), outputAt: at === undefined ? undefined : BigInt(at) }
}

export function createStateStores<V>(opts: {
  kafka: KafkaClient
  producer: ProducerHandle
  changelogTopic: string
  codec: StateCodec<V>
  log: Logger
  /**
   * The stage's output topic, when its output partition p belongs to input partition p: its
   * tail is read at restore so that output acknowledged before a crash is not produced again.
   */
  output?: string
}): StateStores<V> {
  const loaded = new Map<number, Promise<PartitionState<V>>>()
  const forms = storedForms(opts.codec)

  const restore = (partitions: readonly number[]): Map<number, Promise<PartitionState<V>>> => {
    const started = Date.now()
    const data = new Map(partitions.map((p) => [p, new Map<string, Stored>()]))
    const applied = new Map(partitions.map((p): [number, Marker] => [p, parseMarker(null)]))
    const read = readPartitionsToEnd({
      kafka: opts.kafka,
      topic: opts.changelogTopic,
      partitions,
      onMessages: (batch) => {
        for (const m of batch) {
          const key = m.key?.toString('utf8') ?? ''
          const map = data.get(m.partition)
          if (!map) continue
          if (key === APPLIED_KEY) applied.set(m.partition, parseMarker(m.value))
          else if (key.startsWith(KEY_PREFIX)) {
            const k = key.slice(KEY_PREFIX.length)
            // Deleted first, so that the map holds keys least recently written first.
            map.delete(k)
            if (m.value !== null) map.set(k, forms.fromChangelog(m.value))
          }
        }
      },
    }).then(async ({ messages }) => {
      const tails = opts.output ? await outputTails(opts.output, applied) : new Map()
      opts.log.info(
        {
          topic: opts.changelogTopic,
          partitions,
          keys: [...data.values()].reduce((n, m) => n + m.size, 0),
          records: messages,
          replayedOutputs: [...tails.values()].reduce((n, t) => n + t.produced.size, 0),
          ms: Date.now() - started,
        },
        'state restored',
      )
      return tails
    })
    return new Map(
      partitions.map((p) => [
        p,
        read.then((tails) =>
          partitionState(p, data.get(p) ?? new Map(), applied.get(p) ?? parseMarker(null), {
            ...opts,
            forms,
            tail: tails.get(p),
          }),
        ),
      ]),
    )
  }

  const outputTails = async (topic: string, markers: Map<number, Marker>) => {
    // Applied without a position: written before output was tracked, so no tail can be trusted.
    const readable = [...markers].filter(([, m]) => m.offset === NO_OFFSET || m.outputAt !== undefined)
    if (readable.length < markers.size)
      opts.log.warn({ topic }, 'output tail not read for partitions whose state predates output tracking')
    if (readable.length === 0) return new Map<number, OutputTail>()
    return readOutputTails({
      kafka: opts.kafka,
      topic,
      partitions: readable.map(([partition, m]) => ({ partition, from: m.outputAt, applied: m.offset })),
    })
  }

  const load = (partitions: readonly number[]) => {
    for (const [p, state] of restore(partitions)) {
      loaded.set(p, state)
      state.catch(() => {
        if (loaded.get(p) === state) loaded.delete(p)
      })
    }
  }

  return {
    partition(p) {
      if (!loaded.has(p)) load([p])
      return loaded.get(p) as Promise<PartitionState<V>>
    },
    assign(assigned) {
      const keep = new Set(assigned)
      for (const p of [...loaded.keys()]) {
        if (!keep.has(p)) {
          loaded.delete(p)
          opts.log.info({ topic: opts.changelogTopic, partition: p }, 'state dropped (partition revoked)')
        }
      }
      const fresh = assigned.filter((p) => !loaded.has(p))
      if (fresh.length > 0) load(fresh)
    },
    loadedPartitions: () => [...loaded.keys()].sort((a, b) => a - b),
  }
}

function partitionState<V>(
  partition: number,
  data: Map<string, Stored>,
  marker: Marker,
  opts: {
    producer: ProducerHandle
    changelogTopic: string
    codec: StateCodec<V>
    forms: StoredForms
    output?: string
    tail: OutputTail | undefined
  },
): PartitionState<V> {
  const memory = opts.codec.memory ?? opts.codec
  const map = withRollback(
    withChangeLogging(createStateMap(data), {
      producer: opts.producer,
      topic: opts.changelogTopic,
      partition,
      forms: opts.forms,
    }),
  )
  let applied = marker.offset
  const produced = opts.tail?.produced ?? new Set<bigint>()
  let outputAt = opts.tail ? opts.tail.end : marker.outputAt
  // The offset of the last input applied to a key: its value's, or its deletion's.
  const offsetAt = (key: string): bigint | undefined => {
    const stored = map.get(key)
    return stored === undefined ? map.entry(key).deletedAt : offsetOf(stored)
  }
  return {
    partition,
    get(key) {
      const stored = map.get(key)
      return stored === undefined ? undefined : memory.decode(bodyOf(stored))
    },
    set: (key, value, offset) => map.put(key, toStored(offset, memory.encode(value))),
    update: (key, value) => map.put(key, toStored(offsetAt(key) ?? NO_OFFSET, memory.encode(value))),
    delete: (key, offset) => map.remove(key, offset),
    get size() {
      return map.size
    },
    keys: () => map.keys(),
    get appliedOffset() {
      return applied
    },
    isApplied(key, offset) {
      if (offset <= applied) return true
      const at = offsetAt(key)
      return at !== undefined && offset <= at
    },
    output:
      opts.output === undefined
        ? undefined
        : { topic: opts.output, produced: (offset) => produced.has(offset) },
    async flush(offset, at) {
      if (at !== undefined && (outputAt === undefined || at > outputAt)) outputAt = at
      const trackOutput = opts.output !== undefined && outputAt !== undefined
      await map.flush(offset === undefined ? undefined : trackOutput ? `${offset}@${outputAt}` : `${offset}`)
      if (offset !== undefined && offset > applied) applied = offset
      for (const o of produced) if (o <= applied) produced.delete(o)
    },
    rollback: () => map.rollback(),
  }
}

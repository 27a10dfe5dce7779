/**
 * The codecs of keyed state: the interface a state store (state-store.ts) writes values to its
 * changelog and reads them back with, and the Avro codec the stages build theirs on.
 */
import type avro from 'avsc'
import { compileType } from './contract/compiled-type.ts'
import { avroType } from './contract/logical-types.ts'

/** How a state store (state-store.ts) writes a key's value to its changelog and reads it back. */
export interface StateCodec<V> {
  encode(value: V): Buffer
  decode(bytes: Buffer): V
  /**
   * A more compact form to hold values in memory in, when there is one (values shared by many
   * keys interned, say): the store keeps its keys in it and converts to and from the changelog
   * form above when it writes and restores.
   */
  readonly memory?: MemoryForm<V>
}

export interface MemoryForm<V> {
  encode(value: V): Buffer
  decode(bytes: Buffer): V
  /** The memory form of a changelog value (faster than decode and encode, when given). */
  fromChangelog?(bytes: Buffer): Buffer
  /** The changelog value of a memory form. */
  toChangelog?(bytes: Buffer): Buffer
}

export interface AvroStateCodec<V, R> extends StateCodec<V> {
  /** The Avro record behind a value, read and written without the value's conversions. */
  readonly record: { encode(record: R): Buffer; decode(bytes: Buffer): R }
}

/**
 * Keyed state in Avro binary behind a one-byte format version, so a store written by one
 * release is refused clearly (not misread) by a release with another layout. State records
 * are internal to a stage and live only on its changelog; they are not part of the contract.
 */
export function avroStateCodec<V, R = V>(opts: {
  schema: avro.Schema
  version: number
  toRecord?: (value: V) => R
  fromRecord?: (record: R) => V
  /** The format before this one, still read (and upgraded) so a new release starts on an old changelog. */
  previous?: { version: number; schema: avro.Schema; upgrade: (old: Record<string, unknown>) => R }
}): AvroStateCodec<V, R> {
  const type = compileType<R>(avroType(opts.schema))
  const previous = opts.previous && {
    ...opts.previous,
    type: compileType<Record<string, unknown>>(avroType(opts.previous.schema)),
  }
  const toRecord = opts.toRecord ?? ((v: V) => v as unknown as R)
  const fromRecord = opts.fromRecord ?? ((r: R) => r as unknown as V)
  // Records are written into one scratch buffer and copied out at their size (small copies
  // come from Node's pool); the scratch grows when a record does not fit.
  let scratch = Buffer.allocUnsafe(64 * 1024)
  const record = {
    encode(r: R): Buffer {
      let end = type.encode(r, scratch, 1)
      while (end < 0) {
        scratch = Buffer.allocUnsafe(2 * (scratch.length - end))
        end = type.encode(r, scratch, 1)
      }
      scratch[0] = opts.version
      return Buffer.from(scratch.subarray(0, end))
    },
    decode(bytes: Buffer): R {
      if (previous && bytes[0] === previous.version) return previous.upgrade(decodeAll(previous.type, bytes))
      if (bytes[0] !== opts.version) {
        throw new Error(
          `state record has format ${bytes[0]}, this release reads format ${opts.version}: rebuild the changelog`,
        )
      }
      return decodeAll(type, bytes)
    },
  }
  return {
    record,
    encode: (value) => record.encode(toRecord(value)),
    decode: (bytes) => fromRecord(record.decode(bytes)),
  }
}

/** A record behind its format byte, which must take up the rest of the bytes exactly. */
function decodeAll<R>(
  type: { decode(b: Buffer, pos: number): { value: R; offset: number } },
  bytes: Buffer,
): R {
  const { value, offset } = type.decode(bytes, 1)
  if (offset !== bytes.length)
    throw new Error(
      `state record of ${bytes.length} bytes is ${offset < 0 ? 'truncated' : 'followed by other bytes'}`,
    )
  return value
}

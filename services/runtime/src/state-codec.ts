import type avro from 'avsc'
import { avroType } from './contract/logical-types.ts'
import type { StateCodec } from './state-store.ts'

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
}): StateCodec<V> {
  const type = avroType(opts.schema)
  const toRecord = opts.toRecord ?? ((v: V) => v as unknown as R)
  const fromRecord = opts.fromRecord ?? ((r: R) => r as unknown as V)
  return {
    encode(value) {
      const body = type.toBuffer(toRecord(value))
      const out = Buffer.allocUnsafe(body.length + 1)
      out[0] = opts.version
      body.copy(out, 1)
      return out
    },
    decode(bytes) {
      if (bytes[0] !== opts.version) {
        throw new Error(
          `state record has format ${bytes[0]}, this release reads format ${opts.version}: rebuild the changelog`,
        )
      }
      return fromRecord(type.fromBuffer(bytes.subarray(1)) as R)
    },
  }
}

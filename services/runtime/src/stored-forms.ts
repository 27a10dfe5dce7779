/**
 * In memory, a key's state is kept as its changelog value is (8 bytes of input offset, then the
 * codec's bytes, in its memory form if it has one), as a latin1 string: one compact heap object
 * per key, no per-key Buffer or bigint. `get` decodes.
 */
import type { StateCodec } from './state-codec.ts'

export type Stored = string

/** A key's stored form: its input offset (8 bytes, or taken from a changelog value) and body. */
export function toStored(offset: bigint | Buffer, body: Buffer): Stored {
  // One flat string: concatenating the offset and the body would keep a rope of three objects.
  const bytes = Buffer.allocUnsafe(8 + body.length)
  if (typeof offset === 'bigint') bytes.writeBigInt64BE(offset, 0)
  else offset.copy(bytes, 0, 0, 8)
  body.copy(bytes, 8)
  return bytes.toString('latin1')
}

/** The input offset a stored form carries. */
export function offsetOf(stored: Stored): bigint {
  let n = 0n
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(stored.charCodeAt(i))
  return BigInt.asIntN(64, n)
}

/** The codec's bytes of a stored form. */
export function bodyOf(stored: Stored): Buffer {
  return Buffer.from(stored, 'latin1').subarray(8)
}

/** Converts between a key's changelog value and its in-memory form. */
export interface StoredForms {
  fromChangelog(value: Buffer): Stored
  toChangelog(stored: Stored): Buffer
}

export function storedForms<V>(codec: StateCodec<V>): StoredForms {
  const memory = codec.memory
  if (!memory)
    return {
      fromChangelog: (value) => value.toString('latin1'),
      toChangelog: (stored) => Buffer.from(stored, 'latin1'),
    }
  const fromChangelog = memory.fromChangelog ?? ((bytes: Buffer) => memory.encode(codec.decode(bytes)))
  const toChangelog = memory.toChangelog ?? ((bytes: Buffer) => codec.encode(memory.decode(bytes)))
  return {
    fromChangelog: (value) => toStored(value, fromChangelog(value.subarray(8))),
    toChangelog: (stored) => {
      const bytes = Buffer.from(stored, 'latin1')
      return Buffer.concat([bytes.subarray(0, 8), toChangelog(bytes.subarray(8))])
    },
  }
}

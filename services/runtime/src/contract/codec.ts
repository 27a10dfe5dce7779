/**
 * Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian integer, then the
 * Avro binary encoding. Standard tools (kcat -s avro, ClickHouse AvroConfluent, Kafka Connect)
 * read it given the registry.
 */
import type avro from 'avsc'
import { compileType } from './compiled-type.ts'
import type { SchemaRegistry } from './registry.ts'
import { SchemaValidationError, WireFormatError } from './wire-errors.ts'

export const MAGIC_BYTE = 0
export const HEADER_BYTES = 5
const SLAB_BYTES = 1024 * 1024

export function frame(schemaId: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length)
  out.writeUInt8(MAGIC_BYTE, 0)
  out.writeUInt32BE(schemaId, 1)
  body.copy(out, HEADER_BYTES)
  return out
}

/** The schema id of a framed message; WireFormatError for anything that is not one. */
export function schemaIdOf(bytes: Buffer | null): number {
  if (bytes === null || bytes.length === 0) throw new WireFormatError('truncated', 'empty message')
  if (bytes[0] !== MAGIC_BYTE) {
    throw new WireFormatError(
      'bad_magic_byte',
      `expected magic byte 0, got 0x${(bytes[0] as number).toString(16).padStart(2, '0')}`,
    )
  }
  if (bytes.length < HEADER_BYTES)
    throw new WireFormatError('truncated', `${bytes.length} bytes, shorter than the 5-byte header`)
  return bytes.readUInt32BE(1)
}

export interface Encoder<T> {
  readonly subject: string
  readonly schemaId: number
  /** Validates and encodes; SchemaValidationError names every invalid field. */
  encode(value: T): Buffer
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: WireFormatError }

export interface Decoder<T> {
  readonly subject: string
  /** Decodes bytes written with any version of the subject into the reader's (latest) shape. */
  decode(bytes: Buffer | null): Promise<T>
  /**
   * Decodes a batch: writer schemas not seen before are fetched first (once each), then every
   * message is decoded synchronously. Bad bytes give a WireFormatError in their slot.
   */
  decodeAll(batch: ReadonlyArray<Buffer | null>): Promise<Decoded<T>[]>
}

/**
 * Decodes the records of a compacted table topic (users, channels): a tombstone (a null value)
 * is the key's deletion and decodes to null; anything else decodes as `decodeAll` does.
 */
export async function decodeTableRecords<T>(
  decoder: Decoder<T>,
  messages: ReadonlyArray<{ value: Buffer | null }>,
): Promise<Decoded<T | null>[]> {
  const decoded = await decoder.decodeAll(messages.map((m) => m.value))
  return decoded.map((d, i) => (messages[i]?.value === null ? { ok: true, value: null } : d))
}

/** An encoder for the latest version of `subject`. */
export async function createEncoder<T>(registry: SchemaRegistry, subject: string): Promise<Encoder<T>> {
  const { id, type } = await registry.latest(subject)
  const compiled = compileType<T>(type)
  // Messages are written back to back into 1 MiB slabs and handed out as views, as Node pools
  // small Buffers: no allocation and no copy per message. A slab is freed once no view is left.
  let slab = Buffer.allocUnsafe(SLAB_BYTES)
  let used = 0
  const writeAt = (value: T, start: number): number => {
    slab.writeUInt8(MAGIC_BYTE, start)
    slab.writeUInt32BE(id, start + 1)
    return compiled.encode(value, slab, start + HEADER_BYTES)
  }
  return {
    subject,
    schemaId: id,
    encode(value) {
      let end: number
      try {
        end = used + HEADER_BYTES <= slab.length ? writeAt(value, used) : -1
        if (end < 0) {
          // Negative: the value did not fit in what is left of the slab.
          slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, HEADER_BYTES - end * 2))
          used = 0
          end = writeAt(value, 0)
        }
      } catch {
        throw new SchemaValidationError(subject, invalidPaths(type, value))
      }
      const out = slab.subarray(used, end)
      used = end
      return out
    },
  }
}

/**
 * A decoder whose reader is the latest version of `subject` (or `readerType`, for a reader
 * that has not been upgraded). Writer types are fetched once per id and resolved to the reader
 * (avsc createResolver), so older and newer writers both decode.
 */
export async function createDecoder<T>(
  registry: SchemaRegistry,
  subject: string,
  readerType?: avro.Type,
): Promise<Decoder<T>> {
  const reader = readerType ? { id: -1, type: readerType } : await registry.latest(subject)
  const compiled = compileType<T>(reader.type)
  const resolvers = new Map<number, avro.Resolver | null>()
  const resolverFor = async (id: number): Promise<avro.Resolver | null> => {
    const cached = resolvers.get(id)
    if (cached !== undefined) return cached
    if (id === reader.id) {
      resolvers.set(id, null)
      return null
    }
    const writer = await registry.typeById(id)
    let resolver: avro.Resolver
    try {
      resolver = reader.type.createResolver(writer)
    } catch (err) {
      throw new WireFormatError('incompatible_schema', `schema id ${id} cannot be read as ${subject}`, {
        cause: err,
      })
    }
    resolvers.set(id, resolver)
    return resolver
  }
  const decodeKnown = (bytes: Buffer | null): T => {
    const id = schemaIdOf(bytes)
    const resolver = resolvers.get(id)
    if (resolver === undefined) throw new WireFormatError('unknown_schema_id', `schema id ${id} not loaded`)
    const body = bytes as Buffer
    let result: { value: T; offset: number }
    try {
      // Read in place after the header: a view per message would cost more than the small events.
      result =
        resolver === null
          ? compiled.decode(body, HEADER_BYTES)
          : (reader.type.decode(body, HEADER_BYTES, resolver) as { value: T; offset: number })
    } catch (err) {
      throw new WireFormatError('invalid_payload', `bytes do not decode as ${subject} (schema id ${id})`, {
        cause: err,
      })
    }
    if (result.offset < 0)
      throw new WireFormatError('truncated', `payload ends early for ${subject} (schema id ${id})`)
    if (result.offset !== body.length) {
      throw new WireFormatError(
        'invalid_payload',
        `${body.length - result.offset} trailing bytes after ${subject} (schema id ${id})`,
      )
    }
    return result.value
  }
  return {
    subject,
    async decode(bytes) {
      await resolverFor(schemaIdOf(bytes))
      return decodeKnown(bytes)
    },
    async decodeAll(batch) {
      const results: Decoded<T>[] = new Array(batch.length)
      for (let i = 0; i < batch.length; i++) {
        const bytes = batch[i] ?? null
        try {
          const id = schemaIdOf(bytes)
          if (!resolvers.has(id)) await resolverFor(id)
          results[i] = { ok: true, value: decodeKnown(bytes) }
        } catch (err) {
          if (!(err instanceof WireFormatError)) throw err
          results[i] = { ok: false, error: err }
        }
      }
      return results
    },
  }
}

function invalidPaths(type: avro.Type, value: unknown): string[] {
  const paths: string[] = []
  type.isValid(value, { errorHook: (path) => paths.push(path.join('.') || '(root)') })
  return paths.length > 0 ? paths : ['(root)']
}

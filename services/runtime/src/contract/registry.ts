import { SchemaRegistry as ConfluentClient, SchemaType } from '@kafkajs/confluent-schema-registry'
import type avro from 'avsc'
import { RetriableError } from '../errors.ts'
import { LOGICAL_TYPES } from './logical-types.ts'
import type { SchemaCatalog } from './schema-catalog.ts'
import { WireFormatError } from './wire-errors.ts'

/** Where schema ids come from: the built-in file registry, or a Confluent-compatible server. */
export interface SchemaRegistry {
  /** The writer type registered under an id; WireFormatError(unknown_schema_id) when there is none. */
  typeById(id: number): Promise<avro.Type>
  /** The latest version of a subject: what writers use, and what readers resolve to. */
  latest(subject: string): Promise<{ id: number; type: avro.Type }>
}

/** The built-in registry: ids and schemas from `schemas/` (see schema-catalog.ts). */
export function fileRegistry(catalog: SchemaCatalog): SchemaRegistry {
  return {
    async typeById(id) {
      const v = catalog.byIdOrUndefined(id)
      if (!v)
        throw new WireFormatError('unknown_schema_id', `schema id ${id} is not in the built-in registry`)
      return v.type
    },
    async latest(subject) {
      const v = catalog.get(subject, 'latest')
      if (!v) throw new Error(`subject ${subject} is not in the built-in registry`)
      return { id: v.id, type: v.type }
    },
  }
}

/**
 * A Confluent-compatible Schema Registry over HTTP, through @kafkajs/confluent-schema-registry
 * (its 3.x line: 4.x needs Node 22). Types are built with opstream's logical types.
 * A registry that cannot be reached is a RetriableError; an id it does not know is not.
 */
export function confluentRegistry(opts: {
  url: string
  username?: string
  password?: string
}): SchemaRegistry {
  const client = new ConfluentClient(
    {
      host: opts.url,
      ...(opts.username ? { auth: { username: opts.username, password: opts.password ?? '' } } : {}),
      retry: { retries: 3 },
    },
    { [SchemaType.AVRO]: { logicalTypes: LOGICAL_TYPES } },
  )
  return {
    async typeById(id) {
      try {
        return (await client.getSchema(id)) as unknown as avro.Type
      } catch (err) {
        throw classify(err, `schema id ${id}`)
      }
    },
    async latest(subject) {
      try {
        const id = await client.getLatestSchemaId(subject)
        return { id, type: (await client.getSchema(id)) as unknown as avro.Type }
      } catch (err) {
        throw classify(err, `subject ${subject}`)
      }
    },
  }
}

function classify(err: unknown, what: string): Error {
  const status = (err as { status?: number }).status
  if (status === 404)
    return new WireFormatError('unknown_schema_id', `${what} is not in the schema registry`, { cause: err })
  return new RetriableError(`schema registry request for ${what} failed`, { cause: err })
}

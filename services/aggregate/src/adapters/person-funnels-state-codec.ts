/**
 * A person's funnels in Avro binary on the changelog and in memory, where every event reads
 * and writes them. Times and offsets are doubles: ±Infinity marks an empty frontier, and
 * epoch milliseconds and Kafka offsets are exact in a double. A (time, step) pair stays a
 * two-element array, as the funnel state holds it.
 */
import type { StateCodec } from '@opstream/runtime/state-codec'
import { avroStateCodec } from '@opstream/runtime/state-codec'
import { emptyPersonFunnels, type PersonFunnels } from '../core/person-funnels.ts'

const optional = (type: unknown) => ['null', type]
const dims = [
  { name: 'channel', type: 'string' },
  { name: 'campaign', type: 'string' },
  { name: 'platform', type: 'string' },
]

const schema = {
  type: 'record',
  name: 'PersonFunnels',
  namespace: 'opstream.aggregate',
  fields: [
    {
      name: 'funnels',
      type: {
        type: 'map',
        values: {
          type: 'record',
          name: 'FunnelState',
          fields: [
            { name: 'starts', type: { type: 'array', items: optional('double') } },
            {
              name: 'reached',
              type: {
                type: 'array',
                items: optional({
                  type: 'record',
                  name: 'Reach',
                  fields: [
                    { name: 'at', type: 'double' },
                    { name: 'entryAt', type: 'double' },
                  ],
                }),
              },
            },
            { name: 'frontier', type: 'double' },
            { name: 'pairs', type: { type: 'array', items: { type: 'array', items: 'double' } } },
            { name: 'newest', type: 'double' },
          ],
        },
      },
    },
    {
      name: 'anchor',
      type: optional({
        type: 'record',
        name: 'Anchor',
        fields: [...dims, { name: 'at', type: 'double' }, { name: 'registered', type: 'boolean' }],
      }),
    },
    {
      name: 'written',
      type: {
        type: 'map',
        values: {
          type: 'array',
          items: {
            type: 'record',
            name: 'WrittenStep',
            fields: [{ name: 'at', type: 'double' }, { name: 'entryAt', type: 'double' }, ...dims],
          },
        },
      },
    },
    { name: 'linkedTo', type: optional('string') },
    { name: 'pending', type: { type: 'array', items: 'string' } },
    { name: 'holdUntil', type: 'double' },
    { name: 'merged', type: { type: 'map', values: 'double' } },
    { name: 'stitchOffset', type: 'double' },
    {
      name: 'triggers',
      type: {
        type: 'record',
        name: 'TriggerState',
        fields: [
          {
            name: 'timers',
            type: {
              type: 'array',
              items: {
                type: 'record',
                name: 'Timer',
                fields: [
                  { name: 'rule', type: 'string' },
                  { name: 'since', type: 'double' },
                  { name: 'fireAt', type: 'double' },
                  { name: 'deadline', type: optional('double') },
                  { name: 'fired', type: 'boolean' },
                  { name: 'convertedAt', type: optional('double') },
                  { name: 'properties', type: { type: 'map', values: 'string' } },
                ],
              },
            },
          },
          { name: 'stops', type: { type: 'map', values: { type: 'array', items: 'double' } } },
        ],
      },
    },
    { name: 'watermark', type: optional('double'), default: null },
  ],
}

/** The first byte of a record written by the JSON codec of earlier releases: '{'. */
const JSON_RECORD = 0x7b

/** JSON wrote an empty funnel's −Infinity frontier and newest time as null. */
const fromJson = (key: string, value: unknown) =>
  value === null && (key === 'frontier' || key === 'newest') ? Number.NEGATIVE_INFINITY : value

export function personFunnelsStateCodec(): StateCodec<PersonFunnels> {
  const avro = avroStateCodec<PersonFunnels>({
    version: 1,
    schema: schema as never,
    fromRecord: (r) => {
      // Only the partition's watermark record carries one.
      if (r.watermark === null) delete r.watermark
      return r
    },
  })
  return {
    encode: avro.encode,
    decode: (bytes) =>
      bytes[0] === JSON_RECORD
        ? { ...emptyPersonFunnels(), ...(JSON.parse(bytes.toString('utf8'), fromJson) as PersonFunnels) }
        : avro.decode(bytes),
  }
}

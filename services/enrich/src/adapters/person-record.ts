import { Opstream as A } from '@opstream/runtime/contract/generated/attributed-event'
import { Opstream as E } from '@opstream/runtime/contract/generated/enriched-event'
import { newestSecond, packSeen, unpackSeen } from '../core/dedup-window.ts'
import type { PersonState } from '../core/person-profile.ts'

/** Avro schema pieces of the enrich stages' state records. */
export const channelInfoSchema = JSON.parse(A.ChannelInfoSchema) as { fields: Array<{ name: string }> }
export const nullable = (type: unknown) => ['null', type]

/** A person as its changelog record holds it: id hashes packed into bytes. */
export type PersonRecord = Omit<PersonState, 'seen' | 'recentPurchases' | 'devices'> & {
  /** The newest received second of `seen` (0 when empty), which its ages count back from. */
  seenNewest: number
  seen: Buffer
  recentPurchases: Buffer
  devices: Buffer
}

/** Format 1: the last 4 event id hashes (`recent`) where format 2 has the window's ids. */
export const personRecordSchemaV1 = {
  type: 'record',
  name: 'PersonState',
  namespace: 'opstream.enrich',
  fields: [
    { name: 'userId', type: nullable('string') },
    { name: 'linkedAt', type: nullable('long') },
    { name: 'registeredAt', type: nullable('long') },
    { name: 'acquisition', type: nullable(channelInfoSchema) },
    { name: 'purchaseCount', type: 'int' },
    { name: 'cumulativeUnits', type: 'string' },
    { name: 'firstPurchaseAt', type: nullable('long') },
    { name: 'recent', type: 'bytes' },
    { name: 'recentPurchases', type: 'bytes' },
    { name: 'devices', type: 'bytes' },
    { name: 'user', type: nullable(JSON.parse(E.UserAttributesSchema)) },
    { name: 'userOffset', type: 'long' },
  ],
}

/**
 * A format-1 record as format 2: its last 4 ids had no received times, so the window starts
 * empty (a replay by stage 1 is still caught by the source offsets).
 */
export function upgradePersonRecordV1(old: Record<string, unknown>): PersonRecord {
  const { recent: _recent, ...rest } = old
  return { ...(rest as Omit<PersonRecord, 'seen' | 'seenNewest'>), seenNewest: 0, seen: Buffer.alloc(0) }
}

/** The person state on the changelog (format 2): format 1 with the window's ids for `recent`. */
export const personRecordSchema = {
  ...personRecordSchemaV1,
  fields: personRecordSchemaV1.fields.flatMap((f) =>
    f.name === 'recent'
      ? [
          { name: 'seenNewest', type: 'long' },
          { name: 'seen', type: 'bytes' },
        ]
      : [f],
  ),
}

export const toPersonRecord = (s: PersonState): PersonRecord => ({
  ...s,
  seenNewest: newestSecond(s.seen) ?? 0,
  seen: Buffer.from(packSeen(s.seen).buffer),
  recentPurchases: packHashes(s.recentPurchases),
  devices: packDevices(s.devices),
})

export const fromPersonRecord = ({ seenNewest, ...r }: PersonRecord): PersonState => ({
  ...r,
  seen: unpackSeen(r.seen, seenNewest),
  recentPurchases: unpackHashes(r.recentPurchases),
  devices: unpackDevices(r.devices),
})

const HASH_BYTES = 6

/** 48-bit id hashes as 6 bytes each (Avro longs would take 7). */
function packHashes(hashes: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(hashes.length * HASH_BYTES)
  hashes.forEach((h, i) => {
    out.writeUIntBE(h, i * HASH_BYTES, HASH_BYTES)
  })
  return out
}

function unpackHashes(bytes: Buffer): number[] {
  const out: number[] = []
  for (let i = 0; i + HASH_BYTES <= bytes.length; i += HASH_BYTES) out.push(bytes.readUIntBE(i, HASH_BYTES))
  return out
}

/** Per device: 6 bytes of hash, 6 of offset (offsets stay below 2^48). */
function packDevices(devices: PersonState['devices']): Buffer {
  return packHashes(devices.flatMap((d) => [d.device, d.offset]))
}

function unpackDevices(bytes: Buffer): PersonState['devices'] {
  const flat = unpackHashes(bytes)
  const out: PersonState['devices'] = []
  for (let i = 0; i + 1 < flat.length; i += 2)
    out.push({ device: flat[i] as number, offset: flat[i + 1] as number })
  return out
}

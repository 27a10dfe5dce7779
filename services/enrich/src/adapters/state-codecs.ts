import { Opstream as A } from '@opstream/runtime/contract/generated/attributed-event'
import { Opstream as E } from '@opstream/runtime/contract/generated/enriched-event'
import { avroStateCodec } from '@opstream/runtime/state-codec'
import type { StateCodec } from '@opstream/runtime/state-store'
import type { PersonState } from '../core/person-profile.ts'
import type { StoredDevice } from './attribute-stage.ts'

/** Binary layouts of the enrich stages' keyed state on their changelogs (and in memory). */
const channelInfo = JSON.parse(A.ChannelInfoSchema) as object
const nullable = (type: unknown) => ['null', type]
const touchAt = {
  type: 'record',
  name: 'TouchAt',
  fields: [
    { name: 'channel', type: 'ChannelInfo' },
    { name: 'at', type: 'long' },
  ],
}

export function deviceStateCodec(): StateCodec<StoredDevice> {
  return avroStateCodec<StoredDevice>({
    version: 1,
    schema: {
      type: 'record',
      name: 'DeviceState',
      namespace: 'opstream.enrich',
      fields: [
        { name: 'lastEventAt', type: 'long' },
        { name: 'sessionIndex', type: 'int' },
        { name: 'sessionStartedAt', type: 'long' },
        { name: 'sessionChannel', type: channelInfo },
        { name: 'firstTouch', type: touchAt },
        { name: 'lastNonDirect', type: nullable('TouchAt') },
        { name: 'userId', type: nullable('string') },
      ],
    } as never,
  })
}

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

type PersonRecord = Omit<PersonState, 'recent' | 'recentPurchases' | 'devices'> & {
  recent: Buffer
  recentPurchases: Buffer
  devices: Buffer
}

export function personStateCodec(): StateCodec<PersonState> {
  return avroStateCodec<PersonState, PersonRecord>({
    version: 1,
    schema: {
      type: 'record',
      name: 'PersonState',
      namespace: 'opstream.enrich',
      fields: [
        { name: 'userId', type: nullable('string') },
        { name: 'linkedAt', type: nullable('long') },
        { name: 'registeredAt', type: nullable('long') },
        { name: 'acquisition', type: nullable(channelInfo) },
        { name: 'purchaseCount', type: 'int' },
        { name: 'cumulativeUnits', type: 'string' },
        { name: 'firstPurchaseAt', type: nullable('long') },
        { name: 'recent', type: 'bytes' },
        { name: 'recentPurchases', type: 'bytes' },
        { name: 'devices', type: 'bytes' },
        { name: 'user', type: nullable(JSON.parse(E.UserAttributesSchema)) },
        { name: 'userOffset', type: 'long' },
      ],
    } as never,
    toRecord: (s) => ({
      ...s,
      recent: packHashes(s.recent),
      recentPurchases: packHashes(s.recentPurchases),
      devices: packDevices(s.devices),
    }),
    fromRecord: (r) => ({
      ...r,
      recent: unpackHashes(r.recent),
      recentPurchases: unpackHashes(r.recentPurchases),
      devices: unpackDevices(r.devices),
    }),
  })
}

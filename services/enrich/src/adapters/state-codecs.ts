import { Opstream as A } from '@opstream/runtime/contract/generated/attributed-event'
import { Opstream as E } from '@opstream/runtime/contract/generated/enriched-event'
import { createInterner, type Interner } from '@opstream/runtime/interner'
import { avroStateCodec } from '@opstream/runtime/state-codec'
import type { StateCodec } from '@opstream/runtime/state-store'
import type { PersonState } from '../core/person-profile.ts'

type ChannelInfo = A.ChannelInfo

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
/** Most distinct channels, and user attribute sets, a stage keeps once in memory. */
const INTERN_LIMIT = 1 << 16

/**
 * The in-memory form of a person, never written anywhere: channels and the user attributes many
 * users share (tier, city, province, gender, asset band) are interned (ref ≥ 0; -1 inline, past
 * the interner's limit; -2 none), and times are kept relative to the person's registration (or
 * link) time, so most take a byte or two. About half the changelog form's size.
 */
function personMemoryCodec(): StateCodec<PersonState> {
  const channels = createInterner<ChannelInfo>({
    limit: INTERN_LIMIT,
    fields: (channelInfo as { fields: Array<{ name: keyof ChannelInfo }> }).fields.map((f) => f.name),
  })
  const shared = createInterner<SharedUser>({ limit: INTERN_LIMIT, fields: SHARED_USER_FIELDS })
  const refOf = <T>(interner: Interner<T>, value: T | null) => (value === null ? -2 : interner.ref(value))
  const heldValue = <T>(interner: Interner<T>, ref: number, inline: T | null) =>
    ref >= 0 ? interner.at(ref) : ref === -1 ? inline : null
  return avroStateCodec<PersonState, PersonMemory>({
    version: 1,
    schema: personMemorySchema() as never,
    toRecord: (s) => {
      const base = s.registeredAt ?? s.linkedAt ?? 0
      const acquisitionRef = refOf(channels, s.acquisition)
      const userRef = refOf(shared, s.user)
      const registered = s.user?.registered_at ?? null
      return {
        userId: s.userId,
        linkedAt: s.linkedAt,
        registeredAt: s.registeredAt === null ? null : s.registeredAt - (s.linkedAt ?? 0),
        acquisitionRef,
        acquisition: acquisitionRef === -1 ? s.acquisition : null,
        purchaseCount: s.purchaseCount,
        cumulativeUnits: s.cumulativeUnits,
        firstPurchaseAt: s.firstPurchaseAt === null ? null : s.firstPurchaseAt - base,
        recent: packHashes(s.recent),
        recentPurchases: packHashes(s.recentPurchases),
        devices: packDevices(s.devices),
        userRef,
        userShared: userRef === -1 ? s.user : null,
        birthday: s.user?.birthday ?? null,
        userRegisteredAt: registered === null ? null : registered.getTime() - base,
        custom: s.user?.custom ?? {},
        userOffset: s.userOffset,
      }
    },
    fromRecord: (r) => {
      const registeredAt = r.registeredAt === null ? null : r.registeredAt + (r.linkedAt ?? 0)
      const base = registeredAt ?? r.linkedAt ?? 0
      const sharedUser = heldValue(shared, r.userRef, r.userShared)
      return {
        userId: r.userId,
        linkedAt: r.linkedAt,
        registeredAt,
        acquisition: heldValue(channels, r.acquisitionRef, r.acquisition),
        purchaseCount: r.purchaseCount,
        cumulativeUnits: r.cumulativeUnits,
        firstPurchaseAt: r.firstPurchaseAt === null ? null : r.firstPurchaseAt + base,
        recent: unpackHashes(r.recent),
        recentPurchases: unpackHashes(r.recentPurchases),
        devices: unpackDevices(r.devices),
        user:
          sharedUser === null
            ? null
            : {
                member_tier: sharedUser.member_tier,
                city: sharedUser.city,
                province: sharedUser.province,
                birthday: r.birthday,
                gender: sharedUser.gender,
                asset_band: sharedUser.asset_band,
                registered_at: r.userRegisteredAt === null ? null : new Date(r.userRegisteredAt + base),
                custom: r.custom,
              },
        userOffset: r.userOffset,
      }
    },
  })
}

const SHARED_USER_FIELDS = ['member_tier', 'city', 'province', 'gender', 'asset_band'] as const
type SharedUser = Pick<E.UserAttributes, (typeof SHARED_USER_FIELDS)[number]>

interface PersonMemory {
  userId: string | null
  linkedAt: number | null
  registeredAt: number | null
  acquisitionRef: number
  acquisition: ChannelInfo | null
  purchaseCount: number
  cumulativeUnits: string
  firstPurchaseAt: number | null
  recent: Buffer
  recentPurchases: Buffer
  devices: Buffer
  userRef: number
  userShared: SharedUser | null
  birthday: string | null
  userRegisteredAt: number | null
  custom: Record<string, string>
  userOffset: number
}

/** The changelog layout, with the channel and the user attributes split as the memory form keeps them. */
const personMemorySchema = () => ({
  type: 'record',
  name: 'PersonMemory',
  namespace: 'opstream.enrich',
  fields: personChangelogSchema.fields.flatMap((f) => {
    if (f.name === 'acquisition') return [{ name: 'acquisitionRef', type: 'int' }, f]
    if (f.name !== 'user') return [f]
    return [
      { name: 'userRef', type: 'int' },
      {
        name: 'userShared',
        type: nullable({
          type: 'record',
          name: 'SharedUser',
          fields: SHARED_USER_FIELDS.map((name) => ({ name, type: nullable('string') })),
        }),
      },
      { name: 'birthday', type: nullable('string') },
      { name: 'userRegisteredAt', type: nullable('long') },
      { name: 'custom', type: { type: 'map', values: 'string' } },
    ]
  }),
})

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

const personChangelogSchema = {
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
}

/**
 * The person state: on the changelog as PersonState (format 1), and in memory in a more compact
 * form (personMemoryCodec) — the profile stage holds one per user, millions of them.
 */
export function personStateCodec(): StateCodec<PersonState> {
  return { ...personChangelogCodec(), memory: personMemoryCodec() }
}

function personChangelogCodec(): StateCodec<PersonState> {
  return avroStateCodec<PersonState, PersonRecord>({
    version: 1,
    schema: personChangelogSchema as never,
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

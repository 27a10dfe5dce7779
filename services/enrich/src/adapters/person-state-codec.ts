import type { Opstream as A } from '@opstream/runtime/contract/generated/attributed-event'
import type { Opstream as E } from '@opstream/runtime/contract/generated/enriched-event'
import { createInterner, type Interner } from '@opstream/runtime/interner'
import type { MemoryForm, StateCodec } from '@opstream/runtime/state-codec'
import { type AvroStateCodec, avroStateCodec } from '@opstream/runtime/state-codec'
import type { PersonState } from '../core/person-profile.ts'
import {
  channelInfoSchema,
  fromPersonRecord,
  nullable,
  type PersonRecord,
  personRecordSchema,
  personRecordSchemaV1,
  toPersonRecord,
  upgradePersonRecordV1,
} from './person-record.ts'

type ChannelInfo = A.ChannelInfo
const SHARED_USER_FIELDS = ['member_tier', 'city', 'province', 'gender', 'asset_band'] as const
type SharedUser = Pick<E.UserAttributes, (typeof SHARED_USER_FIELDS)[number]>
/** Most distinct channels, and user attribute sets, a stage keeps once in memory. */
const INTERN_LIMIT = 1 << 16

/**
 * The person state: on the changelog as PersonState (format 1, person-record.ts), and in memory
 * in a more compact form (below) — the profile stage holds one per user, millions of them.
 */
export function personStateCodec(): StateCodec<PersonState> {
  const changelog = avroStateCodec<PersonState, PersonRecord>({
    version: 2,
    schema: personRecordSchema as never,
    toRecord: toPersonRecord,
    fromRecord: fromPersonRecord,
    previous: { version: 1, schema: personRecordSchemaV1 as never, upgrade: upgradePersonRecordV1 },
  })
  return { encode: changelog.encode, decode: changelog.decode, memory: personMemoryCodec(changelog) }
}

/**
 * The in-memory form of a person, never written anywhere: channels and the user attributes many
 * users share (tier, city, province, gender, asset band) are interned (ref ≥ 0; -1 inline, past
 * the interner's limit; -2 none), and times are kept relative to the person's registration (or
 * link) time, so most take a byte or two. About half the changelog form's size. It converts from
 * and to the changelog record directly, the id hashes staying packed.
 */
function personMemoryCodec(changelog: AvroStateCodec<PersonState, PersonRecord>): MemoryForm<PersonState> {
  const channels = createInterner<ChannelInfo>({
    limit: INTERN_LIMIT,
    fields: channelInfoSchema.fields.map((f) => f.name as keyof ChannelInfo),
  })
  const shared = createInterner<SharedUser>({ limit: INTERN_LIMIT, fields: SHARED_USER_FIELDS })
  const refOf = <T>(interner: Interner<T>, value: T | null) => (value === null ? -2 : interner.ref(value))
  const heldValue = <T>(interner: Interner<T>, ref: number, inline: T | null) =>
    ref >= 0 ? interner.at(ref) : ref === -1 ? inline : null

  const memoryOf = (r: PersonRecord): PersonMemory => {
    const base = r.registeredAt ?? r.linkedAt ?? 0
    const acquisitionRef = refOf(channels, r.acquisition)
    const userRef = refOf(shared, r.user)
    const registered = r.user?.registered_at ?? null
    return {
      userId: r.userId,
      linkedAt: r.linkedAt,
      registeredAt: r.registeredAt === null ? null : r.registeredAt - (r.linkedAt ?? 0),
      acquisitionRef,
      acquisition: acquisitionRef === -1 ? r.acquisition : null,
      purchaseCount: r.purchaseCount,
      cumulativeUnits: r.cumulativeUnits,
      firstPurchaseAt: r.firstPurchaseAt === null ? null : r.firstPurchaseAt - base,
      seenNewest: r.seenNewest,
      seen: r.seen,
      recentPurchases: r.recentPurchases,
      devices: r.devices,
      userRef,
      userShared: userRef === -1 ? r.user : null,
      birthday: r.user?.birthday ?? null,
      userRegisteredAt: registered === null ? null : registered.getTime() - base,
      custom: r.user?.custom ?? {},
      userOffset: r.userOffset,
    }
  }

  const recordOf = (m: PersonMemory): PersonRecord => {
    const registeredAt = m.registeredAt === null ? null : m.registeredAt + (m.linkedAt ?? 0)
    const base = registeredAt ?? m.linkedAt ?? 0
    const sharedUser = heldValue(shared, m.userRef, m.userShared)
    return {
      userId: m.userId,
      linkedAt: m.linkedAt,
      registeredAt,
      acquisition: heldValue(channels, m.acquisitionRef, m.acquisition),
      purchaseCount: m.purchaseCount,
      cumulativeUnits: m.cumulativeUnits,
      firstPurchaseAt: m.firstPurchaseAt === null ? null : m.firstPurchaseAt + base,
      seenNewest: m.seenNewest,
      seen: m.seen,
      recentPurchases: m.recentPurchases,
      devices: m.devices,
      user:
        sharedUser === null
          ? null
          : {
              member_tier: sharedUser.member_tier,
              city: sharedUser.city,
              province: sharedUser.province,
              birthday: m.birthday,
              gender: sharedUser.gender,
              asset_band: sharedUser.asset_band,
              registered_at: m.userRegisteredAt === null ? null : new Date(m.userRegisteredAt + base),
              custom: m.custom,
            },
      userOffset: m.userOffset,
    }
  }

  const memory = avroStateCodec<PersonState, PersonMemory>({
    version: 2,
    schema: personMemorySchema() as never,
    toRecord: (s) => memoryOf(toPersonRecord(s)),
    fromRecord: (m) => fromPersonRecord(recordOf(m)),
  })
  return {
    encode: memory.encode,
    decode: memory.decode,
    fromChangelog: (bytes) => memory.record.encode(memoryOf(changelog.record.decode(bytes))),
    toChangelog: (bytes) => changelog.record.encode(recordOf(memory.record.decode(bytes))),
  }
}

type PersonMemory = Omit<PersonRecord, 'user'> & {
  acquisitionRef: number
  userRef: number
  userShared: SharedUser | null
  birthday: string | null
  userRegisteredAt: number | null
  custom: Record<string, string>
}

/** The changelog layout, with the channel and the user attributes split as the memory form keeps them. */
const personMemorySchema = () => ({
  type: 'record',
  name: 'PersonMemory',
  namespace: 'opstream.enrich',
  fields: personRecordSchema.fields.flatMap((f) => {
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

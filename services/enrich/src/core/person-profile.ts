import type { Opstream as A, AttributedEvent } from '@opstream/runtime/contract/generated/attributed-event'
import type { Opstream as E, EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import { noSeenIds, rememberId, type SeenIds, seenWithin, windowHash } from './dedup-window.ts'
import { idHash } from './id-hash.ts'
import { receivedSecond } from './receipt-watermark.ts'

type ChannelInfo = A.ChannelInfo

/**
 * Stage 2 of enrich for one person (keyed by user_id when known, else anonymous_id): identity,
 * the acquisition channel frozen at registration, the latest user attributes, and per-user
 * counters — nth purchase, cumulative amount, first purchase, days since registration.
 *
 * Duplicates never advance a counter nor produce a second enriched event:
 * - a replay by stage 1 (its output re-sent after a crash) carries the same source position
 *   (the raw event's offset): the person remembers the highest one seen per device, for its
 *   last DEVICE_WINDOW devices, and anything at or below it is a replay — exact, however long
 *   the replayed stretch;
 * - a client retry (same event_id, sent again) received within the deduplication window of
 *   the first (dedup-window.ts: every id the person received in the last `dedupWindowS`
 *   seconds, by ingest's clock) and, beyond it, one of the last PURCHASE_WINDOW purchase ids.
 * (Redelivery of stage 2's own input is caught before this, by input offsets; see state-store.ts.)
 */
export const PURCHASE_EVENTS = new Set(['invest', 'order'])
export const PURCHASE_WINDOW = 2
export const DEVICE_WINDOW = 4
const DAY_MS = 86_400_000

export interface PersonState {
  userId: string | null
  linkedAt: number | null
  registeredAt: number | null
  acquisition: ChannelInfo | null
  purchaseCount: number
  /** Sum of purchase amounts in ten-thousandths (4 decimals), as a decimal string. */
  cumulativeUnits: string
  firstPurchaseAt: number | null
  /** The event ids received within the deduplication window. */
  seen: SeenIds
  /** 48-bit hashes of the latest purchase ids, oldest first. */
  recentPurchases: number[]
  /** Per device (48-bit hash of anonymous_id), the highest source offset seen; latest device last. */
  devices: Array<{ device: number; offset: number }>
  user: E.UserAttributes | null
  /** Offset (in its users-topic partition) of the profile record `user` came from; -1 when none. */
  userOffset: number
}

export interface ProfileConfig {
  /** Which touch of the registering device becomes the acquisition channel. */
  acquisition: 'first_touch' | 'last_non_direct'
  /** A repeated event_id received within this many seconds of the first is dropped. */
  dedupWindowS: number
}

export const DEFAULT_PROFILE: ProfileConfig = { acquisition: 'first_touch', dedupWindowS: 86_400 }

export function emptyPerson(): PersonState {
  return {
    userId: null,
    linkedAt: null,
    registeredAt: null,
    acquisition: null,
    purchaseCount: 0,
    cumulativeUnits: '0',
    firstPurchaseAt: null,
    seen: noSeenIds(),
    recentPurchases: [],
    devices: [],
    user: null,
    userOffset: -1,
  }
}

/**
 * Applies a record of the users topic (null: the user was deleted). Records at or below the
 * offset already applied are ignored, so replaying the topic never moves a profile back.
 */
export function applyUserProfile(
  state: PersonState | undefined,
  profile: UserProfile | null,
  offset: number,
): PersonState | undefined {
  const s = state ?? emptyPerson()
  if (offset <= s.userOffset) return undefined
  return { ...s, user: profile && userAttributes(profile), userOffset: offset }
}

function userAttributes(p: UserProfile): E.UserAttributes {
  const { member_tier, city, province, birthday, gender, asset_band, registered_at, custom } = p
  return { member_tier, city, province, birthday, gender, asset_band, registered_at, custom }
}

export function profileEvent(
  state: PersonState | undefined,
  personKey: string,
  input: AttributedEvent,
  cfg: ProfileConfig = DEFAULT_PROFILE,
  /** The raw event's offset (in its device's partition), when stage 1 said so. */
  sourceOffset: number | null = null,
): { state: PersonState; enriched: EnrichedEvent | null; duplicate?: true } {
  const s = state ?? emptyPerson()
  const { event, attribution } = input
  const hash = idHash(event.event_id)
  const device = idHash(event.anonymous_id)
  const seen = s.devices.find((d) => d.device === device)
  if (sourceOffset !== null && seen && sourceOffset <= seen.offset) return { state: s, enriched: null }
  const id = windowHash(hash)
  const received = receivedSecond(event)
  if (seenWithin(s.seen, id, received, cfg.dedupWindowS) || s.recentPurchases.includes(hash))
    return { state: s, enriched: null, duplicate: true }
  const at = event.occurred_at.getTime()
  const next: PersonState = { ...s, seen: rememberId(s.seen, id, received, cfg.dedupWindowS) }
  if (sourceOffset !== null) {
    next.devices = [...s.devices.filter((d) => d.device !== device), { device, offset: sourceOffset }].slice(
      -DEVICE_WINDOW,
    )
  }

  if (event.user_id !== null && next.userId === null) {
    next.userId = event.user_id
    next.linkedAt = at
  }
  if (event.event === 'register' && (next.registeredAt === null || at < next.registeredAt)) {
    // Frozen at registration: only an earlier registration (arriving late) can move it.
    next.registeredAt = at
    const touch =
      cfg.acquisition === 'first_touch' ? attribution.first_touch : attribution.last_non_direct_touch
    next.acquisition = touch?.channel ?? attribution.channel
  }
  let nth: number | null = null
  if (PURCHASE_EVENTS.has(event.event) && event.purchase) {
    next.purchaseCount = s.purchaseCount + 1
    next.recentPurchases = window(s.recentPurchases, hash, PURCHASE_WINDOW)
    next.cumulativeUnits = (BigInt(s.cumulativeUnits) + units(event.purchase.amount)).toString()
    next.firstPurchaseAt = s.firstPurchaseAt === null ? at : Math.min(s.firstPurchaseAt, at)
    nth = next.purchaseCount
  }
  return { state: next, enriched: enrichedEvent(next, personKey, input, nth) }
}

function enrichedEvent(
  s: PersonState,
  personKey: string,
  { event, attribution }: AttributedEvent,
  nth: number | null,
): EnrichedEvent {
  const at = event.occurred_at.getTime()
  return {
    event,
    attribution,
    person_key: personKey,
    identity: {
      user_id: event.user_id ?? s.userId,
      linked_at: s.linkedAt === null ? null : new Date(s.linkedAt),
      pre_registration: s.registeredAt === null || at < s.registeredAt,
    },
    acquisition:
      s.acquisition && s.registeredAt !== null
        ? { channel: s.acquisition, registered_at: new Date(s.registeredAt) }
        : null,
    user: s.user,
    counters: {
      nth_purchase: nth,
      cumulative_amount: fromUnits(BigInt(s.cumulativeUnits)),
      first_purchase_at: s.firstPurchaseAt === null ? null : new Date(s.firstPurchaseAt),
      days_since_registration:
        s.registeredAt === null || at < s.registeredAt ? null : Math.floor((at - s.registeredAt) / DAY_MS),
    },
  }
}

function window(list: readonly number[], hash: number, size: number): number[] {
  const next = list.length >= size ? list.slice(list.length - size + 1) : [...list]
  next.push(hash)
  return next
}

/** "1234.5000" → 12345000n (ten-thousandths); amounts arrive in the envelope's canonical form. */
function units(amount: string): bigint {
  const negative = amount.startsWith('-')
  const [whole = '0', fraction = ''] = (negative ? amount.slice(1) : amount).split('.')
  const n = BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, '0').slice(0, 4) || '0')
  return negative ? -n : n
}

function fromUnits(n: bigint): string {
  const negative = n < 0n
  const digits = (negative ? -n : n).toString().padStart(5, '0')
  return `${negative ? '-' : ''}${digits.slice(0, -4)}.${digits.slice(-4)}`
}

import type { Opstream as A, AttributedEvent } from '@opstream/runtime/contract/generated/attributed-event'
import type { Opstream as E, EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'

type ChannelInfo = A.ChannelInfo

/**
 * Stage 2 of enrich for one person (keyed by user_id when known, else anonymous_id): identity,
 * the acquisition channel frozen at registration, and per-user counters — nth purchase,
 * cumulative amount, first purchase, days since registration. An event whose event_id the
 * person has seen recently (a client retry) neither advances a counter nor produces a second
 * enriched event; purchases remember every id, other events the last DEDUP_WINDOW.
 */
export const PURCHASE_EVENTS = new Set(['invest', 'order'])
const DEDUP_WINDOW = 16
const DAY_MS = 86_400_000

export interface PersonState {
  userId: string | null
  linkedAt: number | null
  registeredAt: number | null
  acquisition: { channel: ChannelInfo; registeredAt: number } | null
  purchases: number
  /** Sum of purchase amounts in ten-thousandths (4 decimals), as a decimal string. */
  cumulativeUnits: string
  firstPurchaseAt: number | null
  purchaseIds: string[]
  recentIds: string[]
  user: E.UserAttributes | null
}

export interface ProfileConfig {
  /** Which touch of the registering device becomes the acquisition channel. */
  acquisition: 'first_touch' | 'last_non_direct'
}

export function emptyPerson(): PersonState {
  return {
    userId: null,
    linkedAt: null,
    registeredAt: null,
    acquisition: null,
    purchases: 0,
    cumulativeUnits: '0',
    firstPurchaseAt: null,
    purchaseIds: [],
    recentIds: [],
    user: null,
  }
}

export function profileEvent(
  state: PersonState | undefined,
  personKey: string,
  input: AttributedEvent,
  cfg: ProfileConfig = { acquisition: 'first_touch' },
): { state: PersonState; enriched: EnrichedEvent | null } {
  const s = state ?? emptyPerson()
  const { event, attribution } = input
  const id = event.event_id
  if (s.recentIds.includes(id) || s.purchaseIds.includes(id)) return { state: s, enriched: null }
  const at = event.occurred_at.getTime()
  const next: PersonState = { ...s, recentIds: [...s.recentIds, id].slice(-DEDUP_WINDOW) }

  if (event.user_id !== null && next.userId === null) {
    next.userId = event.user_id
    next.linkedAt = at
  }
  if (event.event === 'register' && (next.registeredAt === null || at < next.registeredAt)) {
    next.registeredAt = at
    // Frozen at registration: a later (or a late-arriving earlier) registration does not move it
    // unless it is the earliest one seen.
    const touch =
      cfg.acquisition === 'first_touch' ? attribution.first_touch : attribution.last_non_direct_touch
    next.acquisition = { channel: touch?.channel ?? attribution.channel, registeredAt: at }
  }
  let nth: number | null = null
  if (PURCHASE_EVENTS.has(event.event) && event.purchase) {
    next.purchases = s.purchases + 1
    next.purchaseIds = [...s.purchaseIds, id]
    next.cumulativeUnits = (BigInt(s.cumulativeUnits) + units(event.purchase.amount)).toString()
    next.firstPurchaseAt = s.firstPurchaseAt === null ? at : Math.min(s.firstPurchaseAt, at)
    nth = next.purchases
  }
  const enriched: EnrichedEvent = {
    event,
    attribution,
    person_key: personKey,
    identity: {
      user_id: event.user_id ?? next.userId,
      linked_at: next.linkedAt === null ? null : new Date(next.linkedAt),
      pre_registration: next.registeredAt === null || at < next.registeredAt,
    },
    acquisition: next.acquisition
      ? { channel: next.acquisition.channel, registered_at: new Date(next.acquisition.registeredAt) }
      : null,
    user: next.user,
    counters: {
      nth_purchase: nth,
      cumulative_amount: fromUnits(BigInt(next.cumulativeUnits)),
      first_purchase_at: next.firstPurchaseAt === null ? null : new Date(next.firstPurchaseAt),
      days_since_registration:
        next.registeredAt === null ? null : Math.floor((at - next.registeredAt) / DAY_MS),
    },
  }
  return { state: next, enriched }
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

/**
 * The identity-stitching protocol between the keys of the enriched topic (see person-funnels.ts
 * for what stitching means for funnels), as pure decisions: given a key's state and what arrived
 * for it — one of its events, or a message of the stitch topic — the new state, the stitch
 * messages to send, the funnel rows that change, and whether the user's funnels must be rebuilt
 * from the whole stitched timeline. The adapter (funnel-deriver.ts) loads and saves the state,
 * sends the messages, writes the rows and does the rebuild.
 *
 * The messages: a user claims a device (keyed by the device, so its owner reads it); the device
 * answers — handed over, or rejected when another user holds it — and from then on forwards its
 * device-keyed events to the user (keyed by the user).
 */
import type { FunnelsFile } from './funnel-config.ts'
import {
  applyInput,
  claim,
  type FunnelInput,
  handOver,
  mergeDevice,
  type PersonFunnels,
  type ProgressRow,
  progressChanges,
  type StitchEntry,
} from './person-funnels.ts'

export type { StitchEntry }

export type StitchMessage =
  | { kind: 'claim'; device: string; user: string }
  | { kind: 'handover'; device: string; user: string; rejected: boolean }
  | { kind: 'forward'; device: string; user: string; entries: StitchEntry[] }

/** One event of the enriched topic, as stitching sees it. */
export interface KeyedEvent {
  /** The key it arrived under (the person key). */
  key: string
  /** The device the event came from (its anonymous id). */
  device: string
  /** Keyed by its device: no user id, and the device is the key. */
  deviceKeyed: boolean
  /** A user's event that links its device to the user (register, login, identify). */
  links: boolean
  offset: number
  input: FunnelInput
}

export type EventDecision =
  /** A linked device's event: forwarded to its user, the device's own state unchanged. */
  | { kind: 'forward'; message: StitchMessage }
  /** Applied to the key's own funnels (after a claim of its device when it links one). */
  | { kind: 'apply'; state: PersonFunnels; messages: StitchMessage[]; late: string[] }

/** What one event of the enriched topic does to its key. */
export function stitchEvent(s: PersonFunnels, e: KeyedEvent, file: FunnelsFile): EventDecision {
  if (e.deviceKeyed && s.linkedTo !== null) {
    return {
      kind: 'forward',
      message: {
        kind: 'forward',
        device: e.key,
        user: s.linkedTo,
        entries: [{ offset: e.offset, input: e.input }],
      },
    }
  }
  const messages: StitchMessage[] = []
  let state = s
  // The claim goes first: the link event itself must not move the user's frontier past the
  // device's earlier events.
  if (!e.deviceKeyed && e.links && e.device !== e.key) {
    const c = claim(state, e.device, e.input.at, file)
    state = c.state
    if (c.claimed) messages.push({ kind: 'claim', device: e.device, user: e.key })
  }
  const applied = applyInput(state, e.input, file)
  return { kind: 'apply', state: applied.state, messages, late: applied.late }
}

export interface StitchDecision {
  state: PersonFunnels
  messages: StitchMessage[]
  /** Funnel rows of the key that change (a handed-over device's withdrawals, a merge's steps). */
  rows: ProgressRow[]
  /** The user's funnels are to be rebuilt from the whole stitched timeline. */
  rebuild: boolean
}

/** What one stitch message does to the key it is addressed to. */
export function applyStitch(
  s: PersonFunnels,
  key: string,
  m: StitchMessage,
  file: FunnelsFile,
): StitchDecision {
  switch (m.kind) {
    case 'claim': {
      // The device: the first claim processed wins it; a later claimant is told it was rejected.
      const rejected = s.linkedTo !== null && s.linkedTo !== m.user
      const messages: StitchMessage[] = [{ kind: 'handover', device: m.device, user: m.user, rejected }]
      if (s.linkedTo !== null) return { state: s, messages, rows: [], rebuild: false }
      const h = handOver(s, m.user, file)
      return { state: h.state, messages, rows: h.rows, rebuild: false }
    }
    case 'handover': {
      // The user: the claim is settled. An accepted device's events (and the user's own) are
      // read back from ClickHouse, which holds every event the state has applied: the rebuild is
      // exact whatever order restarts made the claim, the hand-over and the user's events meet
      // in. A rejected device stays out of `merged`, so no rebuild ever reads its events.
      if (m.rejected)
        return {
          state: { ...s, pending: s.pending.filter((d) => d !== m.device) },
          messages: [],
          rows: [],
          rebuild: false,
        }
      return { state: mergeDevice(s, m.device, [], file, true).state, messages: [], rows: [], rebuild: true }
    }
    case 'forward': {
      // The user: a linked device's later events. Too late for the incremental state (the
      // device's partition was behind): rebuilt.
      const merged = mergeDevice(s, m.device, m.entries, file, false)
      const changes = progressChanges(merged.state, file)
      return { state: changes.state, messages: [], rows: changes.rows, rebuild: merged.late.length > 0 }
    }
    default: {
      const unknown: never = m
      throw new Error(`unknown stitch message for ${key}: ${JSON.stringify(unknown)}`)
    }
  }
}

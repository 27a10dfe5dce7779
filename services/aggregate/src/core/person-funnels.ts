/**
 * A person's funnels with identity stitching: the state of one key of the enriched topic — a
 * user, or a device not (yet) linked to one.
 *
 * A device's events before its user is known are keyed by the device. When a register / login
 * links the device to a user, the user claims it; the device hands its events over (they join
 * the user's timeline, as ClickHouse sees it through `identities`), withdraws its own funnel
 * rows, and from then on forwards its device-keyed events to the user. Handed-over and
 * forwarded events carry their source offsets, and a user merges each device's events only
 * above the highest offset already merged: a repeated or reordered hand-over never counts an
 * event twice. While a claim is open the user folds nothing (see funnel-state.ts), so the
 * device's older events still meet the user's full recent timeline: the merge is exact.
 */
import type { FunnelsFile } from './funnel-config.ts'
import {
  addToFunnel,
  emptyFunnelState,
  type FunnelState,
  funnelFromPairs,
  funnelProgress,
} from './funnel-state.ts'
import { emptyTriggerState, type TriggerState } from './stall-triggers.ts'

/** What funnel rows are broken down by: the person's channel, campaign and platform. */
export interface Dims {
  channel: string
  campaign: string
  platform: string
}

/**
 * Where a person's dims come from: the registration (the acquisition channel, frozen there),
 * else the person's earliest event (its channel).
 */
export interface Anchor extends Dims {
  at: number
  registered: boolean
}

export interface Reach {
  at: number
  entryAt: number
}

export interface PersonFunnels {
  funnels: Record<string, FunnelState>
  anchor: Anchor | null
  /** Per funnel, the steps now in funnel_progress, as written. */
  written: Record<string, Array<Reach & Dims>>
  /** A device: the user it was handed over to. */
  linkedTo: string | null
  /** A user: devices claimed whose hand-over has not arrived yet. */
  pending: string[]
  /**
   * A user: event time until which folding waits after the latest claim, so that the claimed
   * device's events that reach the aggregate after its hand-over (its partition was behind)
   * still merge exactly.
   */
  holdUntil: number
  /** A user: per device merged in, the highest of its event offsets merged. */
  merged: Record<string, number>
  /** Highest offset of the stitch topic applied to this key; -1 when none. */
  stitchOffset: number
  /** Stall-trigger timers of this person. */
  triggers: TriggerState
  /** Only on the partition's watermark record: its event-time watermark. */
  watermark?: number
}

/** One event as funnels see it: when, the steps it matches per funnel, its anchor candidate. */
export interface FunnelInput {
  at: number
  steps: Record<string, number[]>
  anchor: Anchor
}

/** A device event as it reaches its user: its offset in the enriched topic and its input. */
export interface StitchEntry {
  /** The device event's offset in the enriched topic (its partition is the device's). */
  offset: number
  input: FunnelInput
}

/** A funnel_progress row to write: a step reached (or no longer reached: `deleted`). */
export interface ProgressRow extends Reach, Dims {
  funnel: string
  step: number
  deleted: boolean
}

export function emptyPersonFunnels(): PersonFunnels {
  return {
    funnels: {},
    anchor: null,
    written: {},
    linkedTo: null,
    pending: [],
    holdUntil: 0,
    merged: {},
    stitchOffset: -1,
    triggers: emptyTriggerState(),
  }
}

/** Registration beats any other event; otherwise the earlier one; a tie keeps the first seen. */
export function betterAnchor(a: Anchor | null, b: Anchor): Anchor {
  if (!a) return b
  if (a.registered !== b.registered) return a.registered ? a : b
  return b.at < a.at ? b : a
}

/**
 * The lateness an event at `at` folds the person's funnels with: none while a claim is open or
 * the event lies within the stitch grace of the latest claim (the claimed device's older events
 * are still to come, and must merge exactly), else the allowed lateness. Events applied one by
 * one and a rebuild from the whole timeline ask the same question, so a rebuild never folds away
 * what the incremental state would still take.
 */
function latenessAt(s: PersonFunnels, at: number, file: FunnelsFile): number {
  return s.pending.length > 0 || at < s.holdUntil ? Number.POSITIVE_INFINITY : file.allowedLateness
}

/** Applies one event; returns the funnels for which it came too late to count. */
export function applyInput(
  s: PersonFunnels,
  input: FunnelInput,
  file: FunnelsFile,
): { state: PersonFunnels; late: string[] } {
  const late: string[] = []
  const lateness = latenessAt(s, input.at, file)
  const funnels = { ...s.funnels }
  for (const f of file.funnels) {
    const steps = input.steps[f.name]
    if (!steps || steps.length === 0) continue
    const added = addToFunnel(
      funnels[f.name] ?? emptyFunnelState(f.steps.length),
      f,
      input.at,
      steps,
      lateness,
    )
    if (added.late) late.push(f.name)
    else funnels[f.name] = added.state
  }
  return { state: { ...s, funnels, anchor: betterAnchor(s.anchor, input.anchor) }, late }
}

/**
 * The rows that bring funnel_progress from what was written to the person's present progress:
 * steps newly reached or reached at another time or under other dims, and steps no longer
 * reached (never, for one person's own events; a device withdrawing after hand-over).
 */
export function progressChanges(
  s: PersonFunnels,
  file: FunnelsFile,
): { state: PersonFunnels; rows: ProgressRow[] } {
  const rows: ProgressRow[] = []
  const written: PersonFunnels['written'] = {}
  for (const f of file.funnels) {
    const state = s.funnels[f.name]
    const reached = state && s.anchor ? funnelProgress(state, f).reached : []
    const before = s.written[f.name] ?? []
    const now = reached.map((r) => ({ at: r.at, entryAt: r.entryAt, ...dimsOf(s.anchor as Anchor) }))
    now.forEach((r, k) => {
      const w = before[k]
      if (!w || w.at !== r.at || w.entryAt !== r.entryAt || !sameDims(w, r))
        rows.push({ funnel: f.name, step: k, deleted: false, ...r })
    })
    for (let k = now.length; k < before.length; k++)
      rows.push({ funnel: f.name, step: k, deleted: true, ...(before[k] as Reach & Dims) })
    if (now.length > 0) written[f.name] = now
  }
  return { state: { ...s, written }, rows }
}

/**
 * A device claimed by a user: it keeps only the link, and withdraws a row for every step of
 * every funnel (whatever it believes it wrote: a replay may have written rows its restored
 * state does not know of).
 */
export function handOver(
  s: PersonFunnels,
  user: string,
  file: FunnelsFile,
): { state: PersonFunnels; rows: ProgressRow[] } {
  const rows: ProgressRow[] = []
  for (const f of file.funnels) {
    f.steps.forEach((_, k) => {
      const w = s.written[f.name]?.[k]
      rows.push({
        funnel: f.name,
        step: k,
        deleted: true,
        at: w?.at ?? 0,
        entryAt: w?.entryAt ?? 0,
        ...(w ? dimsOf(w) : { channel: '', campaign: '', platform: '' }),
      })
    })
  }
  return { state: { ...emptyPersonFunnels(), linkedTo: user, stitchOffset: s.stitchOffset }, rows }
}

/**
 * A user claims a device (once), linked by an event at `linkAt`: folding waits until the device
 * has handed over and the user's events have passed `linkAt` by the stitch grace.
 */
export function claim(
  s: PersonFunnels,
  device: string,
  linkAt: number,
  file: FunnelsFile,
): { state: PersonFunnels; claimed: boolean } {
  if (s.pending.includes(device) || device in s.merged) return { state: s, claimed: false }
  const holdUntil = Math.max(s.holdUntil, linkAt + file.stitchGrace)
  return { state: { ...s, pending: [...s.pending, device], holdUntil }, claimed: true }
}

/**
 * Merges a device's events (sorted by offset) into its user: those above the highest offset
 * merged from that device before. `complete` marks the hand-over (the claim is settled).
 */
export function mergeDevice(
  s: PersonFunnels,
  device: string,
  entries: ReadonlyArray<StitchEntry>,
  file: FunnelsFile,
  complete: boolean,
): { state: PersonFunnels; late: string[] } {
  let state = s
  const late: string[] = []
  let high = s.merged[device] ?? -1
  for (const { offset, input } of entries) {
    if (offset <= high) continue
    const applied = applyInput(state, input, file)
    state = applied.state
    late.push(...applied.late)
    high = offset
  }
  state = { ...state, merged: { ...state.merged, [device]: high } }
  if (complete) state = { ...state, pending: state.pending.filter((d) => d !== device) }
  return { state, late }
}

/**
 * A user's funnels rebuilt from the whole stitched timeline — their own events and those of
 * every device merged in, as ClickHouse holds them — when a device's events came too late for
 * the incremental state. Afterwards each device counts as merged up to its highest offset read.
 */
export function rebuildPerson(
  s: PersonFunnels,
  timeline: ReadonlyArray<FunnelInput>,
  devices: ReadonlyMap<string, ReadonlyArray<StitchEntry>>,
  file: FunnelsFile,
): PersonFunnels {
  const all = [...timeline]
  const merged = { ...s.merged }
  for (const [device, entries] of devices) {
    for (const e of entries) all.push(e.input)
    const last = entries[entries.length - 1]
    if (last) merged[device] = Math.max(merged[device] ?? -1, last.offset)
  }
  // Folded as the incremental state would be after its newest event.
  const lateness = latenessAt(
    s,
    all.reduce((n, i) => Math.max(n, i.at), Number.NEGATIVE_INFINITY),
    file,
  )
  const funnels: PersonFunnels['funnels'] = {}
  for (const f of file.funnels) {
    const pairs = all.flatMap((i) => (i.steps[f.name] ?? []).map((k) => [i.at, k] as [number, number]))
    if (pairs.length > 0) funnels[f.name] = funnelFromPairs(pairs, f, lateness)
  }
  const anchor = all.reduce<Anchor | null>((a, i) => betterAnchor(a, i.anchor), null)
  return { ...s, funnels, anchor, merged }
}

const dimsOf = (d: Dims): Dims => ({ channel: d.channel, campaign: d.campaign, platform: d.platform })
const sameDims = (a: Dims, b: Dims) =>
  a.channel === b.channel && a.campaign === b.campaign && a.platform === b.platform

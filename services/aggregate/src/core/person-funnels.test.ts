import { describe, expect, it } from 'vitest'
import type { FunnelsFile } from './funnel-config.ts'
import { funnelInput } from './funnel-input.ts'
import {
  applyInput,
  betterAnchor,
  claim,
  emptyPersonFunnels,
  handOver,
  mergeDevice,
  type PersonFunnels,
  progressChanges,
  rebuildPerson,
} from './person-funnels.ts'

const H = 3_600_000
const file: FunnelsFile = {
  allowedLateness: H,
  stitchGrace: 24 * H,
  triggers: [],
  funnels: [
    {
      name: 'onboarding',
      window: 7 * 24 * H,
      steps: [
        { name: 'visit', event: 'page_view' },
        { name: 'register', event: 'register' },
        { name: 'card', event: 'bind_card' },
      ],
    },
  ],
}

const input = (at: number, event: string, channel = 'Paid Search', platform = 'ios') =>
  funnelInput(
    {
      at,
      event,
      nthPurchase: null,
      platform,
      properties: {},
      anchor: { at, registered: event === 'register', channel, campaign: '', platform },
    },
    file,
  )

const apply = (s: PersonFunnels, at: number, event: string, channel?: string) =>
  applyInput(s, input(at, event, channel), file).state

describe('person funnels with stitching', () => {
  it('a device’s visit, handed over after the user registered and bound a card, completes the funnel', () => {
    // The user registers (claiming device d1) and binds a card 30 h later: beyond the lateness,
    // but folding waits for the hand-over.
    let user = claim(emptyPersonFunnels(), 'd1', 10 * H, file).state
    user = apply(user, 10 * H, 'register', 'Paid Social')
    user = apply(user, 40 * H, 'bind_card')
    let out = progressChanges(user, file)
    expect(out.rows).toEqual([]) // register without a visit before it reaches nothing
    user = out.state
    const merged = mergeDevice(
      user,
      'd1',
      [{ offset: 7, input: input(2 * H, 'page_view', 'Direct') }],
      file,
      true,
    )
    expect(merged.late).toEqual([])
    out = progressChanges(merged.state, file)
    // Steps 1–3, entry at the device's visit; dims from the registration (acquisition).
    expect(out.rows.map((r) => [r.step, r.at, r.entryAt, r.channel, r.deleted])).toEqual([
      [0, 2 * H, 2 * H, 'Paid Social', false],
      [1, 10 * H, 2 * H, 'Paid Social', false],
      [2, 40 * H, 2 * H, 'Paid Social', false],
    ])
    expect(out.state.pending).toEqual([])
  })

  it('takes a device’s events at most once, whatever the order of hand-over and forwards', () => {
    let user = claim(emptyPersonFunnels(), 'd1', 10 * H, file).state
    user = apply(user, 10 * H, 'register')
    const visit = { offset: 5, input: input(9 * H, 'page_view') }
    const later = { offset: 9, input: input(11 * H, 'page_view') }
    // A forward of offset 9, then a hand-over (sent again after a restart) holding 5 and 9.
    const a = mergeDevice(user, 'd1', [later], file, false).state
    const b = mergeDevice(a, 'd1', [visit, later], file, true).state
    expect(b.merged).toEqual({ d1: 9 })
    // Offset 5 came after 9 was merged: it is skipped, as a repeat would be.
    expect(b.funnels.onboarding?.pairs.length).toBe(2)
    const again = mergeDevice(b, 'd1', [visit, later], file, true).state
    expect(again.funnels).toEqual(b.funnels)
  })

  it('counts a device event older than the user’s folded past as late', () => {
    let user = apply(emptyPersonFunnels(), 100 * H, 'page_view')
    user = apply(user, 200 * H, 'page_view') // frontier now 199 h
    user = claim(user, 'd2', 200 * H, file).state
    const m = mergeDevice(user, 'd2', [{ offset: 1, input: input(150 * H, 'register') }], file, true)
    expect(m.late).toEqual(['onboarding'])
  })

  it('holds folding back until the stitch grace has passed, whether or not a rebuild came between', () => {
    // Claimed at 10 h (the hold lasts until 34 h); the card at 30 h; the hand-over settles the claim.
    let user = claim(emptyPersonFunnels(), 'd1', 10 * H, file).state
    user = apply(user, 10 * H, 'register')
    user = apply(user, 30 * H, 'bind_card')
    user = mergeDevice(user, 'd1', [], file, true).state
    // A visit at 8 h reaches the user late (its partition was behind), within the hold.
    const visit = input(8 * H, 'page_view')
    const incremental = applyInput(user, visit, file)
    // The deriver rebuilds the user from ClickHouse at the hand-over: the same events, at once.
    const rebuilt = rebuildPerson(
      user,
      [input(10 * H, 'register'), input(30 * H, 'bind_card')],
      new Map(),
      file,
    )
    const afterRebuild = applyInput(rebuilt, visit, file)
    // windowFunnel over the three events: all three steps, from the visit.
    for (const path of [incremental, afterRebuild]) {
      expect(path.late).toEqual([])
      expect(progressChanges(path.state, file).rows.map((r) => [r.step, r.entryAt])).toEqual([
        [0, 8 * H],
        [1, 8 * H],
        [2, 8 * H],
      ])
    }
    // Past the hold, a rebuild folds as the incremental state does: the lateness applies again.
    const later = rebuildPerson(
      user,
      [input(10 * H, 'register'), input(40 * H, 'bind_card')],
      new Map(),
      file,
    )
    expect(applyInput(later, visit, file).late).toEqual(['onboarding'])
    expect(applyInput(apply(user, 40 * H, 'bind_card'), visit, file).late).toEqual(['onboarding'])
  })

  it('a handed-over device withdraws every step of every funnel and keeps only the link', () => {
    let device = apply(emptyPersonFunnels(), H, 'page_view')
    device = progressChanges(device, file).state
    const h = handOver(device, 'u1', file)
    expect(h.rows.map((r) => [r.step, r.deleted, r.at])).toEqual([
      [0, true, H],
      [1, true, 0],
      [2, true, 0],
    ])
    expect(h.state.linkedTo).toBe('u1')
    expect(h.state.funnels).toEqual({})
  })

  it('rewrites reached steps when the person’s dims change (registration beats the earliest event)', () => {
    let s = apply(emptyPersonFunnels(), H, 'page_view', 'Direct')
    s = progressChanges(s, file).state
    expect(s.written.onboarding?.[0]?.channel).toBe('Direct')
    s = apply(s, 2 * H, 'register', 'Paid Search')
    const out = progressChanges(s, file)
    expect(out.rows.map((r) => [r.step, r.channel])).toEqual([
      [0, 'Paid Search'],
      [1, 'Paid Search'],
    ])
  })

  it('claims a device once; the anchor prefers registration, then the earlier event', () => {
    const first = claim(emptyPersonFunnels(), 'd1', 0, file)
    expect(first.claimed).toBe(true)
    expect(first.state.holdUntil).toBe(24 * H)
    expect(claim(first.state, 'd1', 0, file).claimed).toBe(false)
    const a = { at: 5, registered: false, channel: 'A', campaign: '', platform: 'ios' }
    const b = { ...a, at: 3, channel: 'B' }
    const r = { ...a, at: 9, registered: true, channel: 'R' }
    expect(betterAnchor(betterAnchor(a, b), r).channel).toBe('R')
    expect(betterAnchor(a, b).channel).toBe('B')
    expect(betterAnchor(r, b).channel).toBe('R')
  })
})

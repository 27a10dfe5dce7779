import { describe, expect, it } from 'vitest'
import type { FunnelsFile } from './funnel-config.ts'
import { funnelInput } from './funnel-input.ts'
import { emptyPersonFunnels, type PersonFunnels } from './person-funnels.ts'
import { applyStitch, type KeyedEvent, type StitchMessage, stitchEvent } from './stitching.ts'

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
      ],
    },
  ],
}

const input = (at: number, event: string) =>
  funnelInput(
    {
      at,
      event,
      nthPurchase: null,
      platform: 'ios',
      properties: {},
      anchor: { at, registered: event === 'register', channel: 'Paid Search', campaign: '', platform: 'ios' },
    },
    file,
  )

const event = (key: string, device: string, at: number, name: string, offset: number): KeyedEvent => ({
  key,
  device,
  deviceKeyed: key === device,
  links: key !== device && (name === 'register' || name === 'login'),
  offset,
  input: input(at, name),
})

function applied(d: ReturnType<typeof stitchEvent>): PersonFunnels {
  if (d.kind !== 'apply') throw new Error('expected the event applied')
  return d.state
}

function only(messages: StitchMessage[]): StitchMessage {
  const [m] = messages
  if (m === undefined || messages.length !== 1)
    throw new Error(`expected one message, got ${messages.length}`)
  return m
}

describe('the stitching protocol', () => {
  it('claims, hands over once, then forwards: the first claimant wins the device', () => {
    // The device's visit, then the user's registration from it: a claim.
    let device = applied(stitchEvent(emptyPersonFunnels(), event('d1', 'd1', H, 'page_view', 0), file))
    const reg = stitchEvent(emptyPersonFunnels(), event('u1', 'd1', 2 * H, 'register', 1), file)
    expect(reg.kind === 'apply' && reg.messages).toEqual([{ kind: 'claim', device: 'd1', user: 'u1' }])
    let user = applied(reg)
    expect(user.pending).toEqual(['d1'])

    // The device hands over to u1 and withdraws its rows; a second claimant is rejected.
    const first = applyStitch(device, 'd1', { kind: 'claim', device: 'd1', user: 'u1' }, file)
    expect(first.messages).toEqual([{ kind: 'handover', device: 'd1', user: 'u1', rejected: false }])
    expect(first.rows.every((r) => r.deleted)).toBe(true)
    device = first.state
    const second = applyStitch(device, 'd1', { kind: 'claim', device: 'd1', user: 'u2' }, file)
    expect(second.messages).toEqual([{ kind: 'handover', device: 'd1', user: 'u2', rejected: true }])
    expect(second.rows).toEqual([])

    // u1 takes the hand-over (rebuilt from the stitched timeline); u2 drops its claim.
    const settled = applyStitch(user, 'u1', only(first.messages), file)
    expect(settled.rebuild).toBe(true)
    expect(settled.state.pending).toEqual([])
    user = settled.state
    const refused = applyStitch(
      { ...emptyPersonFunnels(), pending: ['d1'] },
      'u2',
      only(second.messages),
      file,
    )
    expect([refused.rebuild, refused.state.pending, refused.state.merged]).toEqual([false, [], {}])

    // The linked device's next event goes to u1, which merges it without a rebuild.
    const next = stitchEvent(device, event('d1', 'd1', 3 * H, 'page_view', 2), file)
    expect(next).toEqual({
      kind: 'forward',
      message: {
        kind: 'forward',
        device: 'd1',
        user: 'u1',
        entries: [{ offset: 2, input: input(3 * H, 'page_view') }],
      },
    })
    if (next.kind !== 'forward') throw new Error('expected the event forwarded')
    const merged = applyStitch(user, 'u1', next.message, file)
    expect(merged.rebuild).toBe(false)
    expect(merged.state.merged).toEqual({ d1: 2 })
  })

  it('asks for a rebuild when a forwarded event is older than the user’s folded past', () => {
    let user = applied(stitchEvent(emptyPersonFunnels(), event('u1', 'u1', 100 * H, 'page_view', 0), file))
    user = applied(stitchEvent(user, event('u1', 'u1', 200 * H, 'page_view', 1), file))
    const d = applyStitch(
      user,
      'u1',
      {
        kind: 'forward',
        device: 'd9',
        user: 'u1',
        entries: [{ offset: 5, input: input(150 * H, 'register') }],
      },
      file,
    )
    expect(d.rebuild).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import { funnelInput } from '../core/funnel-input.ts'
import { emptyFunnelState } from '../core/funnel-state.ts'
import {
  applyInput,
  claim,
  emptyPersonFunnels,
  type PersonFunnels,
  progressChanges,
} from '../core/person-funnels.ts'
import { loadFunnels } from './funnels-file.ts'
import { personFunnelsStateCodec } from './person-funnels-state-codec.ts'

const H = 3_600_000
const T0 = 1_764_000_000_000
// The shipped funnels (onboarding, repurchase, invest ladder) and stall triggers.
const file = loadFunnels()

const apply = (s: PersonFunnels, at: number, event: string) =>
  applyInput(
    s,
    funnelInput(
      {
        at,
        event,
        nthPurchase: null,
        platform: 'ios',
        properties: {},
        anchor: {
          at,
          registered: event === 'register',
          channel: '百度搜索',
          campaign: 'c-1',
          platform: 'ios',
        },
      },
      file,
    ),
    file,
  ).state

/** A user with every part of the state in use: funnels, progress written, a claim, timers. */
function busyUser(): PersonFunnels {
  let s = claim(emptyPersonFunnels(), 'device-1', T0, file).state
  s = apply(s, T0 - H, 'page_view')
  s = apply(s, T0, 'register')
  s = apply(s, T0 + 2 * H, 'bind_card')
  s = progressChanges(s, file).state
  return {
    ...s,
    merged: { 'device-0': 41 },
    holdUntil: T0 + 24 * H,
    stitchOffset: 17,
    triggers: {
      timers: [
        {
          rule: 'no_card_24h',
          since: T0,
          fireAt: T0 + 24 * H,
          deadline: null,
          fired: true,
          convertedAt: T0 + 30 * H,
          properties: { gift: '新手礼包' },
        },
      ],
      stops: { no_card_24h: [T0 + 30 * H] },
    },
  }
}

describe('person funnels state codec', () => {
  const codec = personFunnelsStateCodec()

  it('round-trips a busy user, an empty person and the watermark record', () => {
    const watermark = { ...emptyPersonFunnels(), watermark: T0 }
    for (const state of [busyUser(), emptyPersonFunnels(), watermark]) {
      const bytes = codec.encode(state)
      expect(bytes[0]).toBe(1)
      expect(codec.decode(bytes)).toEqual(state)
    }
    expect(Object.keys(codec.decode(codec.encode(emptyPersonFunnels())))).not.toContain('watermark')
  })

  it('keeps an empty funnel’s −Infinity frontier, also from JSON, which wrote it as null', () => {
    const state = { ...emptyPersonFunnels(), funnels: { onboarding: emptyFunnelState(5) } }
    expect(codec.decode(codec.encode(state))).toEqual(state)
    const legacy = Buffer.from(JSON.stringify(state))
    expect(legacy.toString()).toContain('"frontier":null')
    expect(codec.decode(legacy)).toEqual(state)
  })

  it('reads records written as JSON by earlier releases', () => {
    const state = busyUser()
    const legacy = Buffer.from(JSON.stringify(apply(state, T0 + 3 * H, 'page_view')))
    const read = codec.decode(legacy)
    expect(read).toEqual(apply(state, T0 + 3 * H, 'page_view'))
    // And writes them back in the binary layout.
    expect(codec.decode(codec.encode(read))).toEqual(read)
  })

  it('is several times smaller than the JSON', () => {
    const state = busyUser()
    expect(codec.encode(state).length).toBeLessThan(Buffer.from(JSON.stringify(state)).length / 2)
  })
})

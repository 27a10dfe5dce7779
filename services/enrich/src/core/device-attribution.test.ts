import { channelInfo } from '@opstream/runtime/testing/channel-info'
import { describe, expect, it } from 'vitest'
import { attributeEvent, type DeviceState } from './device-attribution.ts'

const ch = channelInfo
const PAID = ch('Paid Social', 'toutiao')
const SEARCH = ch('Organic Search', 'Baidu')
const DIRECT = ch('Direct')
const INTERNAL = ch('Internal')
const MIN = 60_000
const DAY = 86_400_000
const T0 = Date.parse('2026-11-01T08:00:00Z')

function run(events: Array<[number, ReturnType<typeof ch>]>) {
  let state: DeviceState | undefined
  return events.map(([at, channel]) => {
    const r = attributeEvent(state, 'dev', at, channel)
    state = r.state
    return r
  })
}

describe('device sessions and touches', () => {
  it('opens session 1 at the first event, whose channel is the first touch', () => {
    const [a] = run([[T0, PAID]])
    expect(a?.attribution.session).toEqual({
      session_id: 'dev:1',
      started_at: new Date(T0),
      index: 1,
      channel: PAID,
    })
    expect(a?.attribution.first_touch).toEqual({ channel: PAID, at: new Date(T0) })
    expect(a?.attribution.last_non_direct_touch).toEqual({ channel: PAID, at: new Date(T0) })
  })

  it('keeps the session’s channel for later direct or internal events within 30 minutes', () => {
    const r = run([
      [T0, PAID],
      [T0 + 10 * MIN, INTERNAL],
      [T0 + 40 * MIN, DIRECT], // 30 min after the previous event: same session (the gap must exceed 30 min)
    ])
    expect(r.map((x) => x.attribution.session.session_id)).toEqual(['dev:1', 'dev:1', 'dev:1'])
    expect(r[2]?.attribution.session.channel).toEqual(PAID)
    expect(r[2]?.attribution.channel).toEqual(DIRECT)
  })

  it('a direct return visit after a paid click: new session, Direct, last non-direct touch is the click', () => {
    const r = run([
      [T0, PAID],
      [T0 + 2 * DAY, DIRECT],
    ])
    expect(r[1]?.attribution.session).toMatchObject({ session_id: 'dev:2', index: 2, channel: DIRECT })
    expect(r[1]?.attribution.first_touch).toEqual({ channel: PAID, at: new Date(T0) })
    expect(r[1]?.attribution.last_non_direct_touch).toEqual({ channel: PAID, at: new Date(T0) })
  })

  it('forgets the last non-direct touch after the 30-day lookback, never the first touch', () => {
    const r = run([
      [T0, PAID],
      [T0 + 30 * DAY, DIRECT],
      [T0 + 30 * DAY + 1 + 31 * MIN, DIRECT],
    ])
    expect(r[1]?.attribution.last_non_direct_touch).toEqual({ channel: PAID, at: new Date(T0) })
    expect(r[2]?.attribution.last_non_direct_touch).toBeNull()
    expect(r[2]?.attribution.first_touch?.channel).toEqual(PAID)
  })

  it('a newer non-direct touch replaces the last one; a direct one does not', () => {
    const r = run([
      [T0, PAID],
      [T0 + DAY, SEARCH],
      [T0 + 2 * DAY, DIRECT],
    ])
    expect(r[2]?.attribution.last_non_direct_touch).toEqual({ channel: SEARCH, at: new Date(T0 + DAY) })
    expect(r[2]?.attribution.session.index).toBe(3)
  })

  it('an event arriving out of order inside a session joins it and changes nothing', () => {
    const r = run([
      [T0, PAID],
      [T0 + 20 * MIN, INTERNAL],
      [T0 + 5 * MIN, INTERNAL],
    ])
    expect(r[2]?.attribution.session).toMatchObject({
      session_id: 'dev:1',
      started_at: new Date(T0),
      channel: PAID,
    })
    expect(r[2]?.state.lastEventAt).toBe(T0 + 20 * MIN)
  })

  it('a late event just before the session start becomes its first event (a touch sets the channel)', () => {
    const r = run([
      [T0, DIRECT],
      [T0 - 10 * MIN, PAID],
    ])
    expect(r[1]?.attribution.session).toEqual({
      session_id: 'dev:1',
      started_at: new Date(T0 - 10 * MIN),
      index: 1,
      channel: PAID,
    })
    expect(r[1]?.attribution.first_touch).toEqual({ channel: PAID, at: new Date(T0 - 10 * MIN) })
  })

  it('a late direct event before the start moves the start but does not overwrite a non-direct channel', () => {
    const r = run([
      [T0, PAID],
      [T0 - 10 * MIN, DIRECT],
    ])
    expect(r[1]?.attribution.session).toMatchObject({ started_at: new Date(T0 - 10 * MIN), channel: PAID })
    expect(r[1]?.attribution.first_touch).toEqual({ channel: DIRECT, at: new Date(T0 - 10 * MIN) })
  })

  it('an event older than the kept session gets a late session of its own', () => {
    const r = run([
      [T0, PAID],
      [T0 - 2 * DAY, SEARCH],
    ])
    expect(r[1]?.late).toBe(true)
    expect(r[1]?.attribution.session).toEqual({
      session_id: `dev:late:${T0 - 2 * DAY}`,
      started_at: new Date(T0 - 2 * DAY),
      index: 0,
      channel: SEARCH,
    })
    expect(r[1]?.state.sessionIndex).toBe(1)
    expect(r[1]?.attribution.first_touch).toEqual({ channel: SEARCH, at: new Date(T0 - 2 * DAY) })
  })
})

import { describe, expect, it } from 'vitest'
import { linkOf, personKeyOf } from './attribute-stage.ts'

const ev = (at: number, user_id: string | null = null) => ({
  user_id,
  anonymous_id: 'd1',
  occurred_at: new Date(at),
})

describe('routing a device’s events to their person', () => {
  it('sends activity from the link on to the user, and activity before it — late or retried — to the device', () => {
    const unlinked = linkOf(undefined, null, 100)
    expect(personKeyOf(unlinked, ev(100))).toBe('d1')
    const linked = linkOf(unlinked, 'u1', 500)
    expect(linked).toEqual({ userId: 'u1', linkedAt: 500 })
    expect(personKeyOf(linked, ev(500, 'u1'))).toBe('u1')
    expect(personKeyOf(linked, ev(600))).toBe('u1')
    // A page view of before the sign-in, arriving late or sent again by the client.
    expect(personKeyOf(linked, ev(100))).toBe('d1')
  })

  it('moves the link back for an earlier event of the same user, and restarts it for another user', () => {
    const linked = linkOf(undefined, 'u1', 500)
    expect(linkOf(linked, 'u1', 300)).toEqual({ userId: 'u1', linkedAt: 300 })
    expect(linkOf(linked, null, 900)).toEqual(linked)
    expect(linkOf(linked, 'u2', 900)).toEqual({ userId: 'u2', linkedAt: 900 })
    // A device of the previous state format: linked from the start.
    expect(personKeyOf({ userId: 'u1', linkedAt: null }, ev(1))).toBe('u1')
    expect(linkOf({ userId: 'u1', linkedAt: null }, 'u1', 5)).toEqual({ userId: 'u1', linkedAt: null })
  })
})

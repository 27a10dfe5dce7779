import { describe, expect, it } from 'vitest'
import type { EventRow } from '../core/event-row.ts'
import { createEventDelay } from './event-delay.ts'

const row = (received_at: string) => ({ received_at }) as EventRow

describe('the event-to-table delay', () => {
  it('is the newest row’s age at the write, the worst write since the last sample', () => {
    let clock = Date.parse('2026-11-24T10:00:10.000Z')
    const delay = createEventDelay(() => clock)
    expect(delay.take()).toBeNull()
    delay.observe([
      row('2026-11-24 10:00:07.500'),
      row('2026-11-24 10:00:08.000'),
      row('2026-11-24 09:59:00.000'),
    ])
    clock += 5_000
    delay.observe([row('2026-11-24 10:00:14.000')])
    expect(delay.take()).toBe(2)
    expect(delay.take()).toBeNull()
    delay.observe([])
    expect(delay.take()).toBeNull()
  })
})

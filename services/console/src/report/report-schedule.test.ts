import { describe, expect, it } from 'vitest'
import { dayIn, runsAt } from './report-schedule.ts'

describe('the report schedule', () => {
  it('sends yesterday (in the zone) every day, and last week too on a Monday', () => {
    // 09:00 in Shanghai on Monday 2026-11-16 is 01:00 UTC.
    const monday = new Date('2026-11-16T01:00:00Z')
    expect(dayIn('Asia/Shanghai', monday)).toBe('2026-11-16')
    expect(runsAt('Asia/Shanghai', monday)).toEqual([
      { period: 'day', date: '2026-11-15' },
      { period: 'week', date: '2026-11-15' },
    ])
    // Tuesday: the daily report only.
    expect(runsAt('Asia/Shanghai', new Date('2026-11-17T01:00:00Z'))).toEqual([
      { period: 'day', date: '2026-11-16' },
    ])
  })

  it('takes the day in the zone, not in UTC', () => {
    // 23:30 UTC on the 15th is already the 16th in Shanghai, still the 15th in New York.
    const at = new Date('2026-11-15T23:30:00Z')
    expect(dayIn('Asia/Shanghai', at)).toBe('2026-11-16')
    expect(dayIn('America/New_York', at)).toBe('2026-11-15')
  })
})

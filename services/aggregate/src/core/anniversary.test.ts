import { describe, expect, it } from 'vitest'
import { followingAnniversary, localDate, monthDay, nextAnniversary, startOfLocalDay } from './anniversary.ts'

const SH = 'Asia/Shanghai'
const at = (iso: string) => Date.parse(iso)

describe('anniversaries', () => {
  it('starts a day at local midnight: 16:00 UTC the day before in Shanghai, with DST in New York', () => {
    expect(startOfLocalDay(2026, 11, 12, SH)).toBe(at('2026-11-11T16:00:00Z'))
    expect(startOfLocalDay(2026, 11, 12, 'UTC')).toBe(at('2026-11-12T00:00:00Z'))
    // EDT (UTC−4) in July, EST (UTC−5) in December.
    expect(startOfLocalDay(2026, 7, 1, 'America/New_York')).toBe(at('2026-07-01T04:00:00Z'))
    expect(startOfLocalDay(2026, 12, 1, 'America/New_York')).toBe(at('2026-12-01T05:00:00Z'))
    expect(localDate(at('2026-11-11T16:00:00Z'), SH)).toEqual({ year: 2026, month: 11, day: 12 })
    expect(localDate(at('2026-11-11T15:59:59.999Z'), SH)).toEqual({ year: 2026, month: 11, day: 11 })
  })

  it('finds the next birthday on or after the local day, today included', () => {
    // 2026-11-12 08:00 in Shanghai: the birthday today is today's midnight, already past.
    expect(nextAnniversary('1990-11-12', at('2026-11-12T00:00:00Z'), SH)).toBe(at('2026-11-11T16:00:00Z'))
    // 2026-11-12 23:59:59.999 Shanghai is still the birthday.
    expect(nextAnniversary('1990-11-12', at('2026-11-12T15:59:59.999Z'), SH)).toBe(at('2026-11-11T16:00:00Z'))
    // One millisecond later it is the 13th: next year.
    expect(nextAnniversary('1990-11-12', at('2026-11-12T16:00:00Z'), SH)).toBe(at('2027-11-11T16:00:00Z'))
    expect(nextAnniversary('1985-03-04', at('2026-11-12T00:00:00Z'), SH)).toBe(at('2027-03-03T16:00:00Z'))
    expect(followingAnniversary('1990-11-12', at('2026-11-11T16:00:00Z'), SH)).toBe(
      at('2027-11-11T16:00:00Z'),
    )
  })

  it('puts 29 February on the 28th in common years, and refuses what is not a date', () => {
    expect(nextAnniversary('2000-02-29', at('2026-01-01T00:00:00Z'), 'UTC')).toBe(at('2026-02-28T00:00:00Z'))
    expect(nextAnniversary('2000-02-29', at('2027-03-01T00:00:00Z'), 'UTC')).toBe(at('2028-02-29T00:00:00Z'))
    expect(followingAnniversary('2000-02-29', at('2027-02-28T00:00:00Z'), 'UTC')).toBe(
      at('2028-02-29T00:00:00Z'),
    )
    expect(monthDay('1990-02-30')).toBeNull()
    expect(monthDay('1990-2-3')).toBeNull()
    expect(nextAnniversary('yesterday', 0, 'UTC')).toBeNull()
  })
})

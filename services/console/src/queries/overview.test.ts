import { describe, expect, it } from 'vitest'
import { ratio, shiftDay } from './overview.ts'

describe('overview arithmetic', () => {
  it('truncates the conversion to 4 places as ClickHouse decimals do, null without registrations', () => {
    expect(ratio(63, 373)).toBe('0.1689') // 0.168900…
    expect(ratio(2, 3)).toBe('0.6666')
    expect(ratio(5, 5)).toBe('1.0000')
    expect(ratio(0, 0)).toBeNull()
  })

  it('shifts days across month and year ends', () => {
    expect(shiftDay('2026-11-09', -7)).toBe('2026-11-02')
    expect(shiftDay('2026-03-01', -1)).toBe('2026-02-28')
    expect(shiftDay('2026-12-31', 1)).toBe('2027-01-01')
  })
})

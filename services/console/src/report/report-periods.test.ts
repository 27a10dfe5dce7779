import { describe, expect, it } from 'vitest'
import { periodRanges } from './report-data.ts'
import { formatChange, formatValue } from './report-format.ts'

describe('report periods', () => {
  it('compare a day with the day before and the same weekday a week earlier', () => {
    expect(periodRanges('day', '2026-11-09')).toEqual({
      range: { from: '2026-11-09', to: '2026-11-09' },
      previous: { from: '2026-11-08', to: '2026-11-08' },
      weekEarlier: { from: '2026-11-02', to: '2026-11-02' },
    })
  })

  it('take the ISO week (Monday to Sunday) holding the date, and the two before it', () => {
    // 2026-11-09 is a Monday, 2026-11-15 the Sunday of its week, 2027-01-01 a Friday.
    const week = { from: '2026-11-09', to: '2026-11-15' }
    expect(periodRanges('week', '2026-11-09').range).toEqual(week)
    expect(periodRanges('week', '2026-11-15')).toEqual({
      range: week,
      previous: { from: '2026-11-02', to: '2026-11-08' },
      weekEarlier: { from: '2026-10-26', to: '2026-11-01' },
    })
    expect(periodRanges('week', '2027-01-01').range).toEqual({ from: '2026-12-28', to: '2027-01-03' })
  })
})

describe('report numbers', () => {
  it('write changes signed to one place, and nothing where there is no base', () => {
    expect(formatChange(373, 327)).toBe('+14.1%')
    expect(formatChange(63, 66)).toBe('−4.5%')
    expect(formatChange(5, 0)).toBe('–')
    expect(formatChange(null, 3)).toBe('–')
  })

  it('write counts grouped, money to 2 places and the conversion in percent', () => {
    expect(formatValue('registrations', 12_345)).toBe('12,345')
    expect(formatValue('gmv', '2072654.5000')).toBe('2,072,654.50')
    expect(formatValue('conversion', '0.1689')).toBe('16.89%')
    expect(formatValue('cac', null)).toBe('–')
  })
})

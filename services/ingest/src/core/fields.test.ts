import { describe, expect, it } from 'vitest'
import { amount, time } from './fields.ts'

describe('amount', () => {
  it.each([
    ['5000.00', '5000.0000'],
    [1000.5, '1000.5000'],
    ['007.1', '7.1000'],
    ['-0.00', '0.0000'],
    ['-12.3456', '-12.3456'],
    [0, '0.0000'],
    ['99999999999999.9999', '99999999999999.9999'],
  ])('%j becomes %s', (input, canonical) => {
    expect(amount.parse(input)).toBe(canonical)
  })

  it.each(['1.23456', '1e3', 1e21, '', '١٢', '100000000000000'])('rejects %j', (input) => {
    expect(amount.safeParse(input).success).toBe(false)
  })
})

describe('time', () => {
  it('accepts ISO strings and epoch milliseconds', () => {
    expect(time.parse('2026-11-24T10:00:00+08:00').toISOString()).toBe('2026-11-24T02:00:00.000Z')
    expect(time.parse(1_764_000_000_000).toISOString()).toBe('2025-11-24T16:00:00.000Z')
  })

  it('rejects what is not a time, or outside years 1-9999', () => {
    expect(time.safeParse('tomorrow').success).toBe(false)
    expect(time.safeParse(8.64e15).success).toBe(false)
  })
})

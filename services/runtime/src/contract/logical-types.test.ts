import { describe, expect, it } from 'vitest'
import { avroType } from './logical-types.ts'

const type = avroType({
  type: 'record',
  name: 'T',
  fields: [
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 6, scale: 2 } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
  ],
})
const base = { amount: '0.00', at: new Date(0), id: '00000000-0000-4000-8000-000000000000' }
const roundTrip = (v: typeof base) => type.fromBuffer(type.toBuffer(v)) as typeof base

describe('decimal', () => {
  it.each([
    ['1', '1.00'],
    ['1.5', '1.50'],
    ['-1.5', '-1.50'],
    ['0.01', '0.01'],
    ['-0.01', '-0.01'],
    ['9999.99', '9999.99'],
    ['-9999.99', '-9999.99'],
    ['007.10', '7.10'],
    ['1.27', '1.27'],
    ['1.28', '1.28'],
    ['-1.28', '-1.28'],
  ])('%s is stored exactly and reads back as %s', (input, canonical) => {
    expect(roundTrip({ ...base, amount: input }).amount).toBe(canonical)
  })

  it('stores the unscaled value as big-endian two’s complement (Avro spec)', () => {
    // 1.28 → unscaled 128 → 0x00 0x80 (two bytes: 0x80 alone would be -128)
    // The record starts with the decimal's bytes: a zigzag length (2 × n for small n), then n bytes.
    const bytes = (v: string) => {
      const encoded = type.toBuffer({ ...base, amount: v })
      return encoded.subarray(1, 1 + (encoded[0] as number) / 2)
    }
    expect([...bytes('1.28')]).toEqual([0x00, 0x80])
    expect([...bytes('-1.28')]).toEqual([0x80])
    expect([...bytes('-0.01')]).toEqual([0xff])
    expect([...bytes('0.00')]).toEqual([0x00])
  })

  it.each(['1.234', '10000.00', '-10000', 'abc', '1e3', '', ' 1', '1.'])(
    'rejects %j (no silent rounding)',
    (input) => {
      expect(type.isValid({ ...base, amount: input })).toBe(false)
    },
  )

  it('rejects numbers: amounts are strings', () => {
    expect(type.isValid({ ...base, amount: 1.5 })).toBe(false)
  })
})

describe('timestamp-millis', () => {
  it('reads back as an equal Date, including before 1970', () => {
    for (const at of [
      new Date('2026-11-24T10:00:00.123Z'),
      new Date(-86_400_000),
      new Date('9999-12-31T23:59:59.999Z'),
    ]) {
      expect(roundTrip({ ...base, at }).at).toEqual(at)
    }
  })

  it('rejects invalid dates, dates outside years 1-9999, and numbers', () => {
    expect(type.isValid({ ...base, at: new Date('nope') })).toBe(false)
    expect(type.isValid({ ...base, at: new Date(-8.64e15) })).toBe(false)
    expect(type.isValid({ ...base, at: new Date('+010000-01-01T00:00:00Z') })).toBe(false)
    expect(type.isValid({ ...base, at: 1_700_000_000_000 })).toBe(false)
  })
})

describe('uuid', () => {
  it('is written lower-case', () => {
    expect(roundTrip({ ...base, id: '3F2B8C1E-7A4D-4E5F-9A0B-1C2D3E4F5A6B' }).id).toBe(
      '3f2b8c1e-7a4d-4e5f-9a0b-1c2d3e4f5a6b',
    )
  })

  it.each(['', 'not-a-uuid', '3f2b8c1e7a4d4e5f9a0b1c2d3e4f5a6b', '3f2b8c1e-7a4d-4e5f-9a0b-1c2d3e4f5a6'])(
    'rejects %j',
    (id) => {
      expect(type.isValid({ ...base, id })).toBe(false)
    },
  )
})

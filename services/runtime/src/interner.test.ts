import { describe, expect, it } from 'vitest'
import { createInterner } from './interner.ts'

describe('createInterner', () => {
  it('gives equal values one index, by the listed fields, up to its limit', () => {
    const interner = createInterner<{ a: string | null; b?: string | null }>({ limit: 2, fields: ['a', 'b'] })
    expect(interner.ref({ a: 'x', b: 'y' })).toBe(0)
    expect(interner.ref({ b: 'y', a: 'x' })).toBe(0)
    expect(interner.ref({ a: 'x' })).toBe(1)
    expect(interner.ref({ a: 'x', b: null })).toBe(1)
    expect(interner.ref({ a: 'z', b: 'y' })).toBe(-1)
    expect(interner.size).toBe(2)
    expect(interner.at(0)).toEqual({ a: 'x', b: 'y' })
    expect(interner.at(1)).toEqual({ a: 'x', b: null })
  })

  it('hands out copies and refuses an index it never gave', () => {
    const interner = createInterner<{ a: string }>({ limit: 10, fields: ['a'] })
    interner.ref({ a: 'x' })
    const got = interner.at(0)
    got.a = 'changed'
    expect(interner.at(0)).toEqual({ a: 'x' })
    expect(() => interner.at(1)).toThrow(/interned value 1 does not exist/)
  })

  it('does not intern a value whose fields hold the separator characters', () => {
    const interner = createInterner<{ a: string | null; b: string | null }>({ limit: 10, fields: ['a', 'b'] })
    expect(interner.ref({ a: 'x\u0000', b: 'y' })).toBe(-1)
    expect(interner.ref({ a: '\u0001', b: null })).toBe(-1)
    expect(interner.ref({ a: '', b: null })).toBe(0)
    expect(interner.ref({ a: null, b: '' })).toBe(1)
    expect(interner.ref({ a: null, b: null })).toBe(2)
    expect(interner.ref({ a: '', b: '' })).toBe(3)
  })
})

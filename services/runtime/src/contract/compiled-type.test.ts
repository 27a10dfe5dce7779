import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { arbitraryFor } from '../../test/support/avro-arbitrary.ts'
import { compileType } from './compiled-type.ts'
import { builtInCatalog } from './contract.ts'
import { avroType } from './logical-types.ts'

const catalog = builtInCatalog()

/** Every construct the compiler unrolls, and some it hands back to avsc (fixed, a three-way union). */
const kitchenSink = avroType({
  type: 'record',
  name: 'Node',
  fields: [
    { name: 'flag', type: 'boolean' },
    { name: 'small', type: 'int' },
    { name: 'big', type: 'long' },
    { name: 'ratio', type: 'float' },
    { name: 'exact', type: 'double' },
    { name: 'blob', type: 'bytes' },
    { name: 'code', type: { type: 'fixed', name: 'Code', size: 3 } },
    { name: 'colour', type: { type: 'enum', name: 'Colour', symbols: ['RED', 'GREEN', 'BLUE'] } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'scores', type: { type: 'map', values: ['null', 'double'] } },
    { name: 'either', type: ['null', 'string', 'long'] },
    { name: 'last_null', type: ['string', 'null'] },
    { name: 'when', type: ['null', { type: 'long', logicalType: 'timestamp-millis' }] },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'children', type: { type: 'array', items: 'Node' } },
    { name: 'defaulted', type: ['null', 'string'], default: null },
    { name: 'count', type: 'int', default: 7 },
  ],
})

const leaf = {
  flag: true,
  small: -5,
  big: 2 ** 40,
  ratio: 0.5,
  exact: Math.PI,
  blob: Buffer.from([1, 2]),
  code: Buffer.from('abc'),
  colour: 'GREEN',
  tags: ['a', '中文'],
  scores: { x: 1.5, y: null },
  either: 42,
  last_null: null,
  when: new Date('2026-11-24T08:00:00Z'),
  amount: '-12.30',
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  children: [],
  defaulted: 'd',
  count: 1,
}

describe('compiled writer and reader', () => {
  it.each(catalog.subjects())('%s: the same bytes as avsc, and the same values read back', (subject) => {
    const type = catalog.get(subject, 'latest')?.type
    if (!type) throw new Error(subject)
    const compiled = compileType(type)
    const buf = Buffer.alloc(64 * 1024)
    fc.assert(
      fc.property(arbitraryFor(type), (value) => {
        const expected = type.toBuffer(value)
        const end = compiled.encode(value, buf, 3)
        expect(buf.subarray(3, end).equals(expected)).toBe(true)
        const read = compiled.decode(expected, 0)
        expect(read.offset).toBe(expected.length)
        expect(read.value).toEqual(type.fromBuffer(expected))
      }),
      { numRuns: 200 },
    )
  })

  it('covers enums, arrays, maps, fixed, wide unions, recursion and defaults like avsc', () => {
    const compiled = compileType(kitchenSink)
    const value = { ...leaf, colour: 'BLUE', children: [leaf, { ...leaf, either: 'x', children: [leaf] }] }
    const buf = Buffer.alloc(4096)
    const end = compiled.encode(value, buf, 0)
    expect(buf.subarray(0, end).equals(kitchenSink.toBuffer(value))).toBe(true)
    expect(compiled.decode(buf, 0)).toEqual({
      value: kitchenSink.fromBuffer(buf.subarray(0, end)),
      offset: end,
    })
    // Fields left undefined are written as their defaults.
    const { defaulted: _d, count: _c, ...withoutDefaults } = leaf
    compiled.encode(withoutDefaults as never, buf, 0)
    expect(compiled.decode(buf, 0).value).toMatchObject({ defaulted: null, count: 7 })
  })

  it('reads a field named __proto__ as a field', () => {
    const odd = avroType({ type: 'record', name: 'Odd', fields: [{ name: '__proto__', type: 'string' }] })
    const compiled = compileType<Record<string, unknown>>(odd)
    const bytes = odd.toBuffer(JSON.parse('{"__proto__":"x"}'))
    const { value } = compiled.decode(bytes, 0)
    expect(Object.hasOwn(value, '__proto__')).toBe(true)
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
  })

  it('writes and reads strings of every length class as avsc does', () => {
    const str = avroType('"string"')
    const compiled = compileType<string>(str)
    const buf = Buffer.alloc(64 * 1024)
    const lengths = [0, 1, 4, 5, 12, 13, 63, 64, 100, 128, 129, 8191, 8192, 20_000]
    const strings = lengths.flatMap((n) => [
      'a'.repeat(n),
      `${'b'.repeat(Math.max(0, n - 1))}é`,
      `中${'c'.repeat(Math.max(0, n - 1))}`,
      `${'d'.repeat(Math.max(0, n - 2))}😀`,
    ])
    for (const s of strings) {
      const expected = str.toBuffer(s)
      const end = compiled.encode(s, buf, 0)
      expect(buf.subarray(0, end).equals(expected), `${s.length} chars`).toBe(true)
      expect(compiled.decode(expected, 0)).toEqual({ value: s, offset: expected.length })
    }
  })

  it('writes longs across every varint width as avsc does', () => {
    const long = avroType('"long"')
    const compiled = compileType<number>(long)
    const buf = Buffer.alloc(16)
    const edges = [
      0,
      1,
      63,
      64,
      2 ** 28,
      2 ** 30 - 1,
      2 ** 30,
      2 ** 31,
      2 ** 35 + 3,
      1_764_000_000_123,
      2 ** 52,
      9007199254740990,
    ]
    for (const n of edges.flatMap((e) => [e, -e, e - 1, 1 - e])) {
      const expected = long.toBuffer(n)
      const end = compiled.encode(n, buf, 0)
      expect(buf.subarray(0, end).equals(expected), String(n)).toBe(true)
      expect(compiled.decode(expected, 0).value).toBe(long.fromBuffer(expected))
    }
  })

  it('refuses what avsc refuses, field by field', () => {
    const compiled = compileType(kitchenSink)
    const buf = Buffer.alloc(4096)
    const bad: Record<string, unknown> = {
      flag: 1,
      small: 2 ** 31,
      big: 2 ** 60,
      ratio: '1',
      blob: 'ab',
      colour: 'PURPLE',
      tags: 'a',
      scores: JSON.parse('{"__proto__": 1}'),
      either: true,
      last_null: undefined,
      when: new Date(Number.NaN),
      amount: '1.234',
      id: 'not-a-uuid',
      children: [{}],
    }
    for (const [field, wrong] of Object.entries(bad)) {
      const value = { ...leaf, [field]: wrong }
      expect(() => kitchenSink.toBuffer(value), field).toThrow()
      expect(() => compiled.encode(value as never, buf, 0), field).toThrow()
    }
  })

  it('reports a value that does not fit and bytes that end early as avsc does', () => {
    const compiled = compileType(kitchenSink)
    const bytes = kitchenSink.toBuffer(leaf)
    const small = Buffer.alloc(10)
    expect(compiled.encode(leaf as never, small, 0)).toBe(kitchenSink.encode(leaf, small, 0))
    expect(compiled.encode(leaf as never, small, 0)).toBeLessThan(0)
    for (const cut of [1, 20, bytes.length - 1]) {
      let offset: number
      try {
        offset = compiled.decode(bytes.subarray(0, cut), 0).offset
      } catch {
        offset = -1
      }
      expect(offset, `cut at ${cut}`).toBe(-1)
    }
  })
})

import { describe, expect, it } from 'vitest'
import { message } from '../test/support/fakes.ts'
import { assignLanes, fnv1a } from './key-lanes.ts'

describe('assignLanes', () => {
  it('puts every message of one key in one lane, in offset order', () => {
    const keys = ['a', 'b', 'c', 'd', 'e']
    const msgs = Array.from({ length: 200 }, (_, i) => message(i, keys[i % keys.length] as string))
    const lanes = assignLanes(msgs, 4)
    expect(lanes.flat()).toHaveLength(200)
    for (const key of keys) {
      const holding = lanes.filter((lane) => lane.some((m) => m.key?.toString() === key))
      expect(holding).toHaveLength(1)
      const offsets = (holding[0] ?? []).filter((m) => m.key?.toString() === key).map((m) => Number(m.offset))
      expect(offsets).toEqual([...offsets].sort((x, y) => x - y))
    }
  })

  it('spreads keyless messages and never returns empty lanes', () => {
    const lanes = assignLanes([message(0, null), message(1, null), message(2, null)], 8)
    expect(lanes.map((l) => l.length)).toEqual([1, 1, 1])
  })

  it('hashes with FNV-1a (reference values)', () => {
    // Published FNV-1a 32-bit test vectors: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    expect(fnv1a(Buffer.from(''))).toBe(0x811c9dc5)
    expect(fnv1a(Buffer.from('a'))).toBe(0xe40c292c)
    expect(fnv1a(Buffer.from('foobar'))).toBe(0xbf9cf968)
  })
})

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  MAX_WINDOW_S,
  newestSecond,
  noSeenIds,
  packSeen,
  pruneSeen,
  rememberId,
  seenWithin,
  unpackSeen,
  windowHash,
} from './dedup-window.ts'
import { idHash } from './id-hash.ts'

const DAY = 86_400
const T = 1_795_000_000

describe('the deduplication window', () => {
  it('recognises a repeat received up to the window’s length after the first, and not a second later', () => {
    const id = windowHash(idHash('3f2b8c1e-7a4d-4e5f-9a0b-1c2d3e4f5a6b'))
    const seen = rememberId(noSeenIds(), id, T, DAY)
    expect(seenWithin(seen, id, T, DAY)).toBe(true)
    expect(seenWithin(seen, id, T + DAY, DAY)).toBe(true)
    expect(seenWithin(seen, id, T + DAY + 1, DAY)).toBe(false)
    expect(seenWithin(seen, windowHash(idHash('another')), T + 1, DAY)).toBe(false)
  })

  it('forgets ids the newest received second has left behind, and keeps the rest', () => {
    let seen = noSeenIds()
    for (const [i, at] of [T, T + 100, T + DAY].entries()) seen = rememberId(seen, i + 1, at, DAY)
    expect(seen.hashes).toEqual([1, 2, 3])
    seen = rememberId(seen, 4, T + DAY + 1, DAY)
    expect(seen.hashes).toEqual([2, 3, 4])
    expect(pruneSeen(seen, T + 2 * DAY + 1, DAY).hashes).toEqual([4])
    expect(pruneSeen(seen, T + 3 * DAY + 2, DAY)).toEqual(noSeenIds())
    expect(newestSecond(noSeenIds())).toBeNull()
  })

  it('packs each id in 8 bytes and reads back every hash and second within the window', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 2 ** 44 - 1 }), fc.integer({ min: 0, max: MAX_WINDOW_S })),
          {
            maxLength: 40,
          },
        ),
        (entries) => {
          const seen = { hashes: entries.map(([h]) => h), seconds: entries.map(([, age]) => T - age) }
          const bytes = packSeen(seen)
          expect(bytes.length).toBe(8 * entries.length)
          expect(unpackSeen(bytes, newestSecond(seen) ?? 0)).toEqual(seen)
        },
      ),
      { numRuns: 500 },
    )
  })
})

import { describe, expect, it } from 'vitest'
import { mad, median, modifiedZ } from './robust-stats.ts'

describe('robust statistics', () => {
  it('median and MAD as computed by hand', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    // |x − 3| = 2, 1, 0, 1, 6 → median 1
    expect(mad([1, 2, 3, 4, 9])).toBe(1)
    expect(Number.isNaN(median([]))).toBe(true)
  })

  it('modified z-score: 0.6745 · (x − median) / MAD', () => {
    // history median 100, MAD 10: x = 40 → 0.6745 · −60 / 10 = −4.047
    expect(modifiedZ(40, [90, 100, 110, 95, 105, 80, 120])).toBeCloseTo(-4.047, 3)
    // a flat history: any change is infinitely surprising, no change is 0
    expect(modifiedZ(7, [5, 5, 5])).toBe(Number.POSITIVE_INFINITY)
    expect(modifiedZ(5, [5, 5, 5])).toBe(0)
    // MAD 0 but not flat: the mean absolute deviation stands in. median 5, deviations 0,0,0,0,10 → mean 2
    expect(modifiedZ(9, [5, 5, 5, 5, 15])).toBeCloseTo(4 / (1.253314 * 2), 6)
  })
})

import { describe, expect, it } from 'vitest'
import { chunkNewest, createReceiptWatermark } from './receipt-watermark.ts'

const chunk = (...seen: Array<[number, number]>) => {
  const c = chunkNewest()
  for (const [source, second] of seen) c.see(source, second)
  return c.newest
}

describe('the receipt watermark', () => {
  it('has no value until every raw partition has been seen', () => {
    const w = createReceiptWatermark(3, 0)
    w.advance(chunk([0, 100], [1, 500]))
    expect(w.value()).toBeNull()
    w.advance(chunk([2, 300]))
    expect(w.value()).toBe(100)
  })

  it('is the slowest partition’s newest receipt, less the grace, and never moves back', () => {
    const w = createReceiptWatermark(2, 10)
    w.advance(chunk([0, 1_000], [1, 5_000], [0, 1_200]))
    // Partition 0 is the slow one: 1,200 − 10.
    expect(w.value()).toBe(1_190)
    // A replayed stretch of partition 0 (older receipts) does not move it back.
    w.advance(chunk([0, 900]))
    expect(w.value()).toBe(1_190)
    // Partition 1 far ahead does not move it either; partition 0 catching up does.
    w.advance(chunk([1, 90_000]))
    expect(w.value()).toBe(1_190)
    w.advance(chunk([0, 6_000]))
    expect(w.value()).toBe(5_990)
  })

  it('ignores partitions it was not told of', () => {
    const w = createReceiptWatermark(1, 0)
    w.advance(chunk([3, 50], [-1, 40]))
    expect(w.value()).toBeNull()
    w.advance(chunk([0, 70]))
    expect(w.value()).toBe(70)
  })

  it('keeps a chunk’s newest second per partition', () => {
    expect([...chunk([1, 5], [0, 9], [1, 3], [1, 8])].sort()).toEqual([
      [0, 9],
      [1, 8],
    ])
  })
})

import { describe, expect, it } from 'vitest'
import { OffsetTracker } from './offset-tracker.ts'

describe('OffsetTracker', () => {
  it('commits nothing until the first message is done', () => {
    const t = new OffsetTracker(['10', '11', '12'])
    t.complete('12')
    t.complete('11')
    expect(t.committable()).toBeUndefined()
    expect(t.nextToCommit()).toBeUndefined()
  })

  it('advances to the end of the complete prefix when the gap closes', () => {
    const t = new OffsetTracker(['10', '11', '12', '13'])
    t.complete('10')
    t.complete('12')
    expect(t.committable()).toBe('10')
    t.complete('11')
    expect(t.committable()).toBe('12')
    expect(t.nextToCommit()).toBe('13')
    expect(t.allDone).toBe(false)
    t.complete('13')
    expect(t.allDone).toBe(true)
    expect(t.nextToCommit()).toBe('14')
  })

  it('handles gaps in offsets (compacted topics) and offsets beyond 2^53', () => {
    const big = 2n ** 60n
    const offsets = [big, big + 5n, big + 9n].map(String)
    const t = new OffsetTracker(offsets)
    for (const o of offsets) t.complete(o)
    expect(t.nextToCommit()).toBe((big + 10n).toString())
  })

  it('rejects offsets outside the batch and batches out of order', () => {
    const t = new OffsetTracker(['1', '2'])
    expect(() => t.complete('3')).toThrow(/not in this batch/)
    expect(() => new OffsetTracker(['2', '1'])).toThrow(/must increase/)
  })
})

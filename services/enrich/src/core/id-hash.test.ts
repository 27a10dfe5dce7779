import { describe, expect, it } from 'vitest'
import { idHash } from './id-hash.ts'

describe('idHash', () => {
  it('is stable, below 2^48, and tells apart 200,000 sequential ids', () => {
    const seen = new Set<number>()
    let outOfRange = 0
    for (let i = 0; i < 200_000; i++) {
      const h = idHash(`00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`)
      if (!(Number.isInteger(h) && h >= 0 && h < 2 ** 48)) outOfRange += 1
      seen.add(h)
    }
    expect(outOfRange).toBe(0)
    expect(seen.size).toBe(200_000)
    expect(idHash('e2c1a0de-5f43-4c3b-9a57-1c1f0e4b2d11')).toBe(
      idHash('e2c1a0de-5f43-4c3b-9a57-1c1f0e4b2d11'),
    )
  })
})

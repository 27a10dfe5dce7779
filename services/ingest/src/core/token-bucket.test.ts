import { describe, expect, it } from 'vitest'
import { createRateLimiter } from './token-bucket.ts'

describe('token bucket', () => {
  it('allows a burst, then refills at the rate, per key', () => {
    let now = 0
    const rl = createRateLimiter({ ratePerSecond: 100, burst: 500, now: () => now })
    expect(rl.take('a', 500)).toEqual({ ok: true })
    // Empty: 250 tokens need 2.5 s at 100/s → Retry-After 3.
    expect(rl.take('a', 250)).toEqual({ ok: false, retryAfterSeconds: 3 })
    expect(rl.take('b', 500)).toEqual({ ok: true })
    now = 2_500
    expect(rl.take('a', 250)).toEqual({ ok: true })
    expect(rl.take('a', 1)).toEqual({ ok: false, retryAfterSeconds: 1 })
  })

  it('never refills beyond the burst', () => {
    let now = 0
    const rl = createRateLimiter({ ratePerSecond: 10, burst: 20, now: () => now })
    now = 3_600_000
    expect(rl.take('a', 20)).toEqual({ ok: true })
    expect(rl.take('a', 1).ok).toBe(false)
  })
})

/**
 * Per-key token buckets: `ratePerSecond` tokens refill continuously up to `burst`. A request
 * takes one token per event; when there are not enough, it is refused with how long to wait.
 */
export interface RateLimiter {
  take(key: string, tokens: number): { ok: true } | { ok: false; retryAfterSeconds: number }
}

export function createRateLimiter(opts: {
  ratePerSecond: number
  burst: number
  now?: () => number
}): RateLimiter {
  const now = opts.now ?? Date.now
  const buckets = new Map<string, { tokens: number; at: number }>()
  return {
    take(key, tokens) {
      const t = now()
      const b = buckets.get(key) ?? { tokens: opts.burst, at: t }
      b.tokens = Math.min(opts.burst, b.tokens + ((t - b.at) / 1000) * opts.ratePerSecond)
      b.at = t
      buckets.set(key, b)
      if (tokens <= b.tokens) {
        b.tokens -= tokens
        return { ok: true }
      }
      const missing = Math.min(tokens, opts.burst) - b.tokens
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / opts.ratePerSecond)) }
    },
  }
}

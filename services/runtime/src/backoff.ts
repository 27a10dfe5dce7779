/**
 * Retrying with backoff: the wait before a retry (exponential, full jitter, capped), a retry
 * count that progress resets (`createRetry`, for loops that make headway between failures, as
 * the consumer runner's lanes do), and `withRetries` for one operation tried a number of times.
 */

/** Exponential backoff with full jitter, capped: attempt 1 waits up to baseMs, attempt n up to baseMs·2^(n-1). */
export function backoffMs(
  attempt: number,
  baseMs = 100,
  maxMs = 30_000,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(t)
      resolve()
    })
  })
}

export interface RetryOptions {
  /** How many times to try again after the first failure. */
  retries: number
  /** The wait after failure n (1 for the first); `backoffMs` by default. */
  backoff?: (attempt: number) => number
}

export interface Retry {
  /**
   * Counts a failure: its number since the start or the last `progressed()` (1 for the first),
   * or undefined when that is more than `retries` — time to give up.
   */
  failed(): number | undefined
  /** Headway was made: the next failure is the first again. */
  progressed(): void
  /** Waits the backoff of the last failure counted. */
  wait(signal?: AbortSignal): Promise<void>
}

export function createRetry(opts: RetryOptions): Retry {
  const backoff = opts.backoff ?? backoffMs
  let failures = 0
  return {
    failed() {
      failures++
      return failures > opts.retries ? undefined : failures
    },
    progressed() {
      failures = 0
    },
    wait: (signal) => sleep(backoff(Math.max(1, failures)), signal),
  }
}

/**
 * Runs `run` until it succeeds, at most `retries` + 1 times, waiting the backoff between tries;
 * rejects with the last error once no retry is left, or at once when `giveUp(err)` says so.
 * `onFailure` sees every failure (to log or count it), and whether another try follows.
 */
export async function withRetries<T>(
  run: (attempt: number) => Promise<T>,
  opts: RetryOptions & {
    onFailure?: (err: unknown, attempt: number, retrying: boolean) => void
    giveUp?: (err: unknown) => boolean
  },
): Promise<T> {
  const retry = createRetry(opts)
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt)
    } catch (err) {
      const retrying = retry.failed() !== undefined && !opts.giveUp?.(err)
      opts.onFailure?.(err, attempt, retrying)
      if (!retrying) throw err
      await retry.wait()
    }
  }
}

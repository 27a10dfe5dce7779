import { describe, expect, it } from 'vitest'
import { backoffMs, createRetry, withRetries } from './backoff.ts'

describe('backoffMs', () => {
  it('waits between half and all of base·2^(n-1), capped', () => {
    expect(backoffMs(1, 100, 30_000, () => 0)).toBe(50)
    expect(backoffMs(1, 100, 30_000, () => 1)).toBe(100)
    expect(backoffMs(4, 100, 30_000, () => 1)).toBe(800)
    expect(backoffMs(20, 100, 30_000, () => 1)).toBe(30_000)
  })
})

describe('createRetry', () => {
  it('numbers failures from 1, gives up after `retries`, and starts again after progress', () => {
    const retry = createRetry({ retries: 2, backoff: () => 0 })
    expect([retry.failed(), retry.failed(), retry.failed()]).toEqual([1, 2, undefined])
    retry.progressed()
    expect(retry.failed()).toBe(1)
  })

  it('waits the backoff of the last failure', async () => {
    const asked: number[] = []
    const retry = createRetry({
      retries: 5,
      backoff: (n) => {
        asked.push(n)
        return 0
      },
    })
    retry.failed()
    retry.failed()
    await retry.wait()
    expect(asked).toEqual([2])
  })
})

describe('withRetries', () => {
  it('tries retries + 1 times, then rejects with the last error; every failure is seen', async () => {
    const seen: Array<[string, number, boolean]> = []
    let calls = 0
    await expect(
      withRetries(
        async (attempt) => {
          calls++
          throw new Error(`no ${attempt}`)
        },
        {
          retries: 2,
          backoff: () => 0,
          onFailure: (err, n, retrying) => seen.push([String(err), n, retrying]),
        },
      ),
    ).rejects.toThrow('no 3')
    expect(calls).toBe(3)
    expect(seen).toEqual([
      ['Error: no 1', 1, true],
      ['Error: no 2', 2, true],
      ['Error: no 3', 3, false],
    ])
  })

  it('resolves with the first success', async () => {
    const result = await withRetries(
      async (attempt) => {
        if (attempt < 3) throw new Error('not yet')
        return attempt * 10
      },
      { retries: 5, backoff: () => 0 },
    )
    expect(result).toBe(30)
  })

  it('stops at once when giveUp says so', async () => {
    let calls = 0
    await expect(
      withRetries(
        async () => {
          calls++
          throw new Error('stale')
        },
        { retries: 5, backoff: () => 0, giveUp: () => true },
      ),
    ).rejects.toThrow('stale')
    expect(calls).toBe(1)
  })
})

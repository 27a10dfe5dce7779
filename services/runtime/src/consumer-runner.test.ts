import { describe, expect, it } from 'vitest'
import { fakeBatch, freshMetrics, message, recordingDlq, silentLogger } from '../test/support/fakes.ts'
import { type BatchHandler, type BatchOptions, handleBatch, OK, type Outcome } from './consumer-runner.ts'
import type { InboundMessage } from './kafka-types.ts'

function options(handler: BatchHandler, over: Partial<BatchOptions> = {}): BatchOptions {
  return {
    service: 'test',
    handler,
    dlq: recordingDlq(),
    log: silentLogger(),
    metrics: freshMetrics(),
    lanes: 4,
    maxRetries: 3,
    heartbeatMs: 5,
    backoff: () => 1,
    ...over,
  }
}

const keyOf = (m: InboundMessage) => m.key?.toString() ?? ''
const deferred = () => {
  let release: () => void = () => {}
  const promise = new Promise<void>((r) => {
    release = r
  })
  return { promise, release }
}

describe('handleBatch', () => {
  it('handles each key in offset order and commits the offset after the batch', async () => {
    const seen = new Map<string, number[]>()
    const msgs = Array.from({ length: 60 }, (_, i) => message(100 + i, `k${i % 7}`))
    const batch = fakeBatch(msgs)
    await handleBatch(
      batch,
      options(async (lane) => {
        for (const m of lane) seen.set(keyOf(m), [...(seen.get(keyOf(m)) ?? []), Number(m.offset)])
        return lane.map(() => OK)
      }),
    )
    for (const offsets of seen.values()) expect(offsets).toEqual([...offsets].sort((a, b) => a - b))
    expect([...seen.values()].flat()).toHaveLength(60)
    expect(batch.commits.at(-1)).toBe('160')
  })

  it('never commits past a message whose lane is still working', async () => {
    // Key "slow" holds offset 0; the other keys finish first. Until "slow" is released,
    // no commit may be made, although offsets 1..9 are done.
    const gate = deferred()
    const msgs = [message(0, 'slow'), ...Array.from({ length: 9 }, (_, i) => message(i + 1, `fast${i}`))]
    const batch = fakeBatch(msgs)
    const opts = options(
      async (lane) => {
        if (lane.some((m) => keyOf(m) === 'slow')) await gate.promise
        return lane.map(() => OK)
      },
      { lanes: 16 },
    )
    const done = handleBatch(batch, opts)
    await new Promise((r) => setTimeout(r, 40))
    expect(batch.commits).toEqual([])
    expect(batch.heartbeats).toBeGreaterThan(0)
    gate.release()
    await done
    expect(batch.commits).toEqual(['10'])
  })

  it('commits an intermediate prefix while a later lane is slow', async () => {
    const gate = deferred()
    const msgs = [message(0, 'a'), message(1, 'a'), message(2, 'slow'), message(3, 'a')]
    const batch = fakeBatch(msgs)
    const done = handleBatch(
      batch,
      options(
        async (lane) => {
          if (lane.some((m) => keyOf(m) === 'slow')) await gate.promise
          return lane.map(() => OK)
        },
        { lanes: 64 },
      ),
    )
    await new Promise((r) => setTimeout(r, 40))
    // Offsets 0 and 1 are done and contiguous; 2 is not, so 3 must not be committed yet.
    expect(batch.commits).toEqual(['2'])
    gate.release()
    await done
    expect(batch.commits).toEqual(['2', '4'])
  })

  it('retries from the failing message onwards, keeping per-key order', async () => {
    const calls: string[][] = []
    let failures = 2
    const msgs = [message(0, 'k'), message(1, 'k'), message(2, 'k'), message(3, 'k')]
    const batch = fakeBatch(msgs)
    const opts = options(async (lane) => {
      calls.push(lane.map((m) => m.offset))
      return lane.map((m): Outcome => {
        if (m.offset === '2' && failures > 0) {
          failures--
          return { kind: 'retry', reason: 'database unavailable' }
        }
        return OK
      })
    })
    await handleBatch(batch, opts)
    expect(calls).toEqual([
      ['0', '1', '2', '3'],
      ['2', '3'],
      ['2', '3'],
    ])
    expect(batch.commits.at(-1)).toBe('4')
    expect(await opts.metrics.retries.get()).toMatchObject({ values: [{ value: 2 }] })
  })

  it('hands long lanes over in chunks, so commits advance during the batch', async () => {
    const calls: number[] = []
    const batch = fakeBatch(Array.from({ length: 10 }, (_, i) => message(i, 'same-key')))
    await handleBatch(
      batch,
      options(
        async (lane) => {
          calls.push(lane.length)
          await new Promise((r) => setTimeout(r, 15))
          return lane.map(() => OK)
        },
        { chunkSize: 4 },
      ),
    )
    expect(calls).toEqual([4, 4, 2])
    // The ticker (every 5 ms) committed after the first and second chunks, before the end.
    expect(batch.commits).toEqual(expect.arrayContaining(['4', '8']))
    expect(batch.commits.at(-1)).toBe('10')
  })

  it('treats a thrown error as retry for the whole lane', async () => {
    let thrown = false
    const batch = fakeBatch([message(0, 'k'), message(1, 'k')])
    const handled: string[] = []
    await handleBatch(
      batch,
      options(async (lane) => {
        if (!thrown) {
          thrown = true
          throw new Error('boom')
        }
        handled.push(...lane.map((m) => m.offset))
        return lane.map(() => OK)
      }),
    )
    expect(handled).toEqual(['0', '1'])
    expect(batch.commits.at(-1)).toBe('2')
  })

  it('gives up after maxRetries, commits only the complete prefix and throws', async () => {
    const msgs = [message(0, 'a'), message(1, 'b'), message(2, 'a')]
    const batch = fakeBatch(msgs)
    const opts = options(
      async (lane) => lane.map((m): Outcome => (m.offset === '1' ? { kind: 'retry', reason: 'down' } : OK)),
      { maxRetries: 2, lanes: 64 },
    )
    await expect(handleBatch(batch, opts)).rejects.toThrow(/gave up on t\/0@1 after 2 retries: down/)
    expect(batch.commits).toEqual(['1'])
  })

  it('sends dlq outcomes with the original bytes before committing past them', async () => {
    const dlq = recordingDlq()
    dlq.failuresLeft = 1
    const msgs = [message(0, 'a', 'good'), message(1, 'b', '\u0000bad bytes'), message(2, 'c', 'good')]
    const batch = fakeBatch(msgs)
    const opts = options(
      async (lane) =>
        lane.map((m): Outcome => (m.offset === '1' ? { kind: 'dlq', reason: 'unknown schema id 7' } : OK)),
      { dlq },
    )
    await handleBatch(batch, opts)
    expect(dlq.entries).toHaveLength(1)
    expect(dlq.entries[0]?.message.value?.toString()).toBe('\u0000bad bytes')
    expect(dlq.entries[0]?.reason).toBe('unknown schema id 7')
    expect(batch.commits.at(-1)).toBe('3')
    const byOutcome = (await opts.metrics.messages.get()).values.map((v) => [v.labels.outcome, v.value])
    expect(byOutcome).toEqual(
      expect.arrayContaining([
        ['ok', 2],
        ['dlq', 1],
      ]),
    )
  })

  it('commits past trailing transaction markers once every message is done', async () => {
    const batch = fakeBatch([message(5, 'a'), message(6, 'b')], { lastOffset: '7' })
    await handleBatch(
      batch,
      options(async (lane) => lane.map(() => OK)),
    )
    expect(batch.commits.at(-1)).toBe('8')
  })

  it('stops and commits nothing for a partition that was revoked mid-batch', async () => {
    const batch = fakeBatch([message(0, 'a'), message(1, 'a')])
    await handleBatch(
      batch,
      options(async (lane) => {
        batch.stale = true
        return lane.map(() => OK)
      }),
    )
    expect(batch.commits).toEqual([])
  })

  it('rejects a handler that returns the wrong number of outcomes by retrying, then failing', async () => {
    const batch = fakeBatch([message(0, 'a'), message(1, 'a')])
    await expect(
      handleBatch(
        batch,
        options(async () => [OK], { maxRetries: 1 }),
      ),
    ).rejects.toThrow(/returned 1 outcomes for 2 messages/)
    expect(batch.commits).toEqual([])
  })
})

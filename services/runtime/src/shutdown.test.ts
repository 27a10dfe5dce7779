import { describe, expect, it } from 'vitest'
import { silentLogger } from '../test/support/fakes.ts'
import { createShutdown } from './shutdown.ts'

describe('createShutdown', () => {
  it('runs steps once, in order, then exits 0', async () => {
    const order: string[] = []
    const codes: number[] = []
    const s = createShutdown({ log: silentLogger(), deadlineMs: 1_000, exit: (c) => codes.push(c) })
    s.add({ name: 'a', run: () => void order.push('a') })
    s.add({ name: 'b', run: async () => void order.push('b') })
    await Promise.all([s.run('SIGTERM'), s.run('SIGINT')])
    expect(order).toEqual(['a', 'b'])
    expect(codes).toEqual([0])
    expect(s.started).toBe(true)
  })

  it('carries on past a failing step and exits 1', async () => {
    const order: string[] = []
    const codes: number[] = []
    const s = createShutdown({ log: silentLogger(), deadlineMs: 1_000, exit: (c) => codes.push(c) })
    s.add({
      name: 'broken',
      run: () => {
        throw new Error('close failed')
      },
    })
    s.add({ name: 'after', run: () => void order.push('after') })
    await s.run('SIGTERM')
    expect(order).toEqual(['after'])
    expect(codes).toEqual([1])
  })

  it('exits 1 when shutting down because of a failure, after running every step', async () => {
    const order: string[] = []
    const codes: number[] = []
    const s = createShutdown({ log: silentLogger(), deadlineMs: 1_000, exit: (c) => codes.push(c) })
    s.add({ name: 'a', run: () => void order.push('a') })
    await s.run('consumer failed', { failure: true })
    expect(order).toEqual(['a'])
    expect(codes).toEqual([1])
  })

  it('exits 1 at the deadline when a step hangs', async () => {
    const codes: number[] = []
    const s = createShutdown({ log: silentLogger(), deadlineMs: 30, exit: (c) => codes.push(c) })
    s.add({ name: 'hangs', run: () => new Promise(() => {}) })
    void s.run('SIGTERM')
    await new Promise((r) => setTimeout(r, 80))
    expect(codes).toEqual([1])
  })
})

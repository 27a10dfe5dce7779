import type { PartitionState } from '@opstream/runtime/state-store'
import { describe, expect, it } from 'vitest'
import { noSeenIds } from '../core/dedup-window.ts'
import { emptyPerson, type PersonState } from '../core/person-profile.ts'
import { createWindowSweeper } from './window-sweep.ts'

/** The part of a partition's state the sweep uses, in a Map kept least recently written first. */
function memoryState(): PartitionState<PersonState> & { writes: string[]; reads: number } {
  const data = new Map<string, PersonState>()
  const writes: string[] = []
  let reads = 0
  const put = (key: string, value: PersonState) => {
    data.delete(key)
    data.set(key, value)
  }
  return {
    writes,
    get reads() {
      return reads
    },
    partition: 0,
    get: (key: string) => {
      reads++
      return data.get(key)
    },
    set: (key, value) => put(key, value),
    update: (key, value) => {
      writes.push(key)
      put(key, value)
    },
    delete: (key) => data.delete(key),
    get size() {
      return data.size
    },
    keys: () => data.keys(),
    appliedOffset: -1n,
    isApplied: () => false,
    flush: async () => {},
    rollback: () => {},
  } as PartitionState<PersonState> & { writes: string[]; reads: number }
}

const DAY = 86_400
const T = 1_795_000_000
const withIds = (...seconds: number[]): PersonState => ({
  ...emptyPerson(),
  seen: { hashes: seconds.map((_, i) => i + 1), seconds },
})

describe('sweeping the deduplication windows', () => {
  it('empties aged windows from the least recently written person on, up to the first fresh one', () => {
    const state = memoryState()
    const sweeper = createWindowSweeper()
    state.set('a', withIds(T - 2 * DAY), 0n)
    state.set('b', { ...emptyPerson(), seen: noSeenIds() }, 1n)
    state.set('c', withIds(T - DAY - 5, T - 10), 2n)
    state.set('d', withIds(T - 3 * DAY), 3n)
    expect(sweeper.sweep(state, T, DAY, 10)).toBe(1)
    // a aged (written, to the back); b empty (passed, unwritten); c still has an id in the
    // window: the walk ends there, d waits for a later sweep.
    expect(state.writes).toEqual(['a'])
    expect(state.get('a')?.seen).toEqual(noSeenIds())
    expect(state.get('c')?.seen.hashes).toEqual([1, 2])
    expect([...state.keys()]).toEqual(['b', 'c', 'd', 'a'])
    // A day later c has aged too, and then d; a, met again at the back, is empty.
    expect(sweeper.sweep(state, T + DAY, DAY, 10)).toBe(2)
    expect(state.writes).toEqual(['a', 'c', 'd'])
    expect(state.get('d')?.seen).toEqual(noSeenIds())
    expect(state.get('c')?.seen).toEqual(noSeenIds())
  })

  it('keeps an id received exactly the window before the watermark, and drops one a second older', () => {
    const state = memoryState()
    const sweeper = createWindowSweeper()
    state.set('edge', withIds(T - DAY), 0n)
    expect(sweeper.sweep(state, T, DAY, 10)).toBe(0)
    expect(state.get('edge')?.seen.seconds).toEqual([T - DAY])
    expect(sweeper.sweep(state, T + 1, DAY, 10)).toBe(1)
    expect(state.get('edge')?.seen).toEqual(noSeenIds())
  })

  it('walks no more persons than its budget', () => {
    const state = memoryState()
    const sweeper = createWindowSweeper()
    for (let i = 0; i < 5; i++) state.set(`p${i}`, withIds(T - 2 * DAY), BigInt(i))
    expect(sweeper.sweep(state, T, DAY, 3)).toBe(3)
    expect(sweeper.sweep(state, T, DAY, 0)).toBe(0)
    expect(sweeper.sweep(state, T, DAY, 10)).toBe(2)
  })

  it('goes on from where it stopped: emptied persons are not walked again', () => {
    const state = memoryState()
    const sweeper = createWindowSweeper()
    for (let i = 0; i < 1_000; i++) state.set(`idle${i}`, withIds(T - 2 * DAY), BigInt(i))
    state.set('fresh', withIds(T - 60), 1_000n)
    expect(sweeper.sweep(state, T, DAY, 5_000)).toBe(1_000)
    // The next sweeps meet the fresh person first and stop: one read each, not a thousand.
    const before = state.reads
    expect(sweeper.sweep(state, T + 10, DAY, 5_000)).toBe(0)
    expect(sweeper.sweep(state, T + 20, DAY, 5_000)).toBe(0)
    expect(state.reads - before).toBe(2)
    // Once it has aged, the walk passes it and the thousand emptied ones once more, to the end.
    expect(sweeper.sweep(state, T + 2 * DAY, DAY, 5_000)).toBe(1)
    expect(state.get('fresh')?.seen).toEqual(noSeenIds())
  })

  it('does not wait on a person it stopped at who has received an id since', () => {
    const state = memoryState()
    const sweeper = createWindowSweeper()
    state.set('busy', withIds(T - 60), 0n)
    state.set('idle', withIds(T - 2 * DAY), 1n)
    expect(sweeper.sweep(state, T, DAY, 10)).toBe(0)
    // busy's next event writes it (to the back): the walk goes on to idle behind its old place.
    state.update('busy', withIds(T - 60, T - 1))
    expect(sweeper.sweep(state, T, DAY, 10)).toBe(1)
    expect(state.get('idle')?.seen).toEqual(noSeenIds())
    expect(state.get('busy')?.seen.seconds).toEqual([T - 60, T - 1])
  })

  it('starts a new walk over a partition state restored anew', () => {
    const sweeper = createWindowSweeper()
    const first = memoryState()
    first.set('fresh', withIds(T - 60), 0n)
    expect(sweeper.sweep(first, T, DAY, 10)).toBe(0)
    const restored = memoryState()
    restored.set('old', withIds(T - 2 * DAY), 0n)
    expect(sweeper.sweep(restored, T, DAY, 10)).toBe(1)
  })
})

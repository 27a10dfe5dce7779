import type { PartitionState } from '@opstream/runtime/state-store'
import { describe, expect, it } from 'vitest'
import { noSeenIds } from '../core/dedup-window.ts'
import { emptyPerson, type PersonState } from '../core/person-profile.ts'
import { sweepWindows } from './profile-stage.ts'

/** The part of a partition's state the sweep uses, in a Map kept least recently written first. */
function memoryState(): PartitionState<PersonState> & { writes: string[] } {
  const data = new Map<string, PersonState>()
  const writes: string[] = []
  const put = (key: string, value: PersonState) => {
    data.delete(key)
    data.set(key, value)
  }
  return {
    writes,
    partition: 0,
    get: (key) => data.get(key),
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
    touch: (key) => {
      const v = data.get(key)
      if (v) put(key, v)
    },
    trim: (key, value) => {
      writes.push(key)
      put(key, value)
    },
    appliedOffset: -1n,
    isApplied: () => false,
    flush: async () => {},
    rollback: () => {},
  } as PartitionState<PersonState> & { writes: string[] }
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
    state.set('a', withIds(T - 2 * DAY), 0n)
    state.set('b', { ...emptyPerson(), seen: noSeenIds() }, 1n)
    state.set('c', withIds(T - DAY - 5, T - 10), 2n)
    state.set('d', withIds(T - 3 * DAY), 3n)
    expect(sweepWindows(state, T, DAY, 10)).toBe(1)
    // a aged (written, to the back); b empty (moved back unwritten); c still has an id in the
    // window: the walk ends there, d waits for a later sweep.
    expect(state.writes).toEqual(['a'])
    expect(state.get('a')?.seen).toEqual(noSeenIds())
    expect(state.get('c')?.seen.hashes).toEqual([1, 2])
    expect([...state.keys()]).toEqual(['c', 'd', 'a', 'b'])
    // A day later c has aged too, and then d.
    expect(sweepWindows(state, T + DAY, DAY, 10)).toBe(2)
    expect(state.get('d')?.seen).toEqual(noSeenIds())
  })

  it('walks no more persons than its budget', () => {
    const state = memoryState()
    for (let i = 0; i < 5; i++) state.set(`p${i}`, withIds(T - 2 * DAY), BigInt(i))
    expect(sweepWindows(state, T, DAY, 3)).toBe(3)
    expect(sweepWindows(state, T, DAY, 0)).toBe(0)
  })
})

/**
 * The map layer of a partition's state store (state-store.ts): the keys in their stored form
 * (stored-forms.ts), least recently written first, and the keys deleted since their last write
 * to the changelog, each with the offset of the input that deleted it — so that a deleted key's
 * last input is still known until its tombstone is on the changelog.
 */
import type { Stored } from './stored-forms.ts'

/** A key as the map has it: its value, or the offset of its deletion, or neither (never held). */
export interface Entry {
  stored: Stored | undefined
  deletedAt: bigint | undefined
}

export interface StateMap {
  get(key: string): Stored | undefined
  entry(key: string): Entry
  put(key: string, stored: Stored): void
  remove(key: string, offset: bigint): void
  /** Puts a key back as `entry` had it. */
  reset(key: string, entry: Entry): void
  /** The deletion at `offset` is on the changelog: forgotten, unless the key was deleted again since. */
  tombstoneWritten(key: string, offset: bigint): void
  readonly size: number
  /** Live, as a Map's iterator is: a key put while it is walked moves to the back. */
  keys(): IterableIterator<string>
}

export function createStateMap(data: Map<string, Stored> = new Map()): StateMap {
  const deletedAt = new Map<string, bigint>()
  return {
    get: (key) => data.get(key),
    entry: (key) => ({ stored: data.get(key), deletedAt: deletedAt.get(key) }),
    put(key, stored) {
      // Deleted first, so that the map (and the flush, and so a restore) holds keys least
      // recently written first.
      data.delete(key)
      data.set(key, stored)
      deletedAt.delete(key)
    },
    remove(key, offset) {
      data.delete(key)
      deletedAt.set(key, offset)
    },
    reset(key, entry) {
      if (entry.stored === undefined) data.delete(key)
      else data.set(key, entry.stored)
      if (entry.deletedAt === undefined) deletedAt.delete(key)
      else deletedAt.set(key, entry.deletedAt)
    },
    tombstoneWritten(key, offset) {
      if (deletedAt.get(key) === offset) deletedAt.delete(key)
    },
    get size() {
      return data.size
    },
    keys: () => data.keys(),
  }
}

/**
 * The rollback layer of a partition's state store (state-store.ts): a change-logging map
 * (change-logging.ts) that remembers each key changed since its last write as the changelog
 * has it, and puts every such key back on `rollback()`. A handler whose output failed rolls
 * back before its chunk is retried in the same process, so the retry meets the state the
 * first attempt met.
 */
import type { ChangeLoggingMap } from './change-logging.ts'
import type { Entry, StateMap } from './state-map.ts'

export interface RollbackMap extends StateMap {
  flush(marker?: string): Promise<void>
  rollback(): void
}

export function withRollback(inner: ChangeLoggingMap): RollbackMap {
  // Each changed key as the changelog last has it.
  const journal = new Map<string, Entry>()
  const remember = (key: string) => {
    if (!journal.has(key)) journal.set(key, inner.entry(key))
  }
  return {
    get: (key) => inner.get(key),
    entry: (key) => inner.entry(key),
    put(key, stored) {
      remember(key)
      inner.put(key, stored)
    },
    remove(key, offset) {
      remember(key)
      inner.remove(key, offset)
    },
    reset: (key, entry) => inner.reset(key, entry),
    tombstoneWritten: (key, offset) => inner.tombstoneWritten(key, offset),
    get size() {
      return inner.size
    },
    keys: () => inner.keys(),
    async flush(marker) {
      const written = await inner.flush(marker)
      for (const [key, entry] of written) {
        // Changed again while the write was in flight: the changelog now holds this write.
        if (inner.isDirty(key)) journal.set(key, entry)
        else journal.delete(key)
      }
    },
    rollback() {
      for (const [key, was] of journal) inner.reset(key, was)
      journal.clear()
    },
  }
}

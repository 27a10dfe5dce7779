/**
 * The change-logging layer of a partition's state store (state-store.ts): a state map
 * (state-map.ts) that records which keys changed since their last write, and writes them to
 * the store's partition of its compacted changelog topic — each key under `k:`, a deletion as
 * a tombstone — with the applied-input marker last, so that a restore that reads the marker
 * has read every record of its flush.
 */
import type { OutboundMessage, ProducerHandle } from './kafka-types.ts'
import type { Entry, StateMap } from './state-map.ts'
import type { StoredForms } from './stored-forms.ts'

/** The changelog key of the applied-input marker; keys of state are `KEY_PREFIX + key`. */
export const APPLIED_KEY = '\u0000applied'
export const KEY_PREFIX = 'k:'

export interface ChangeLoggingMap extends StateMap {
  /** Changed since its last write (or since a write now in flight was taken). */
  isDirty(key: string): boolean
  /**
   * Writes the changed keys, then `marker` as the applied-input marker when given; resolves
   * with the entries written, once acknowledged. A key changed while the write is in flight
   * stays changed; when the write fails, every key it held is changed again.
   */
  flush(marker?: string): Promise<Map<string, Entry>>
}

export function withChangeLogging(
  inner: StateMap,
  opts: { producer: ProducerHandle; topic: string; partition: number; forms: StoredForms },
): ChangeLoggingMap {
  const dirty = new Set<string>()
  const { partition } = opts
  return {
    get: (key) => inner.get(key),
    entry: (key) => inner.entry(key),
    put(key, stored) {
      inner.put(key, stored)
      // Moved to the back: the flush writes keys least recently written first.
      dirty.delete(key)
      dirty.add(key)
    },
    remove(key, offset) {
      inner.remove(key, offset)
      dirty.add(key)
    },
    reset(key, entry) {
      inner.reset(key, entry)
      dirty.delete(key)
    },
    tombstoneWritten: (key, offset) => inner.tombstoneWritten(key, offset),
    get size() {
      return inner.size
    },
    keys: () => inner.keys(),
    isDirty: (key) => dirty.has(key),
    async flush(marker) {
      // Taken before the write: a side-input update made while it is in flight stays dirty.
      const written = new Map([...dirty].map((key) => [key, inner.entry(key)]))
      dirty.clear()
      const records: OutboundMessage[] = [...written].map(([key, { stored }]) => ({
        key: KEY_PREFIX + key,
        value: stored === undefined ? null : opts.forms.toChangelog(stored),
        partition,
      }))
      if (marker !== undefined) records.push({ key: APPLIED_KEY, value: marker, partition })
      try {
        if (records.length > 0) await opts.producer.send(opts.topic, records)
      } catch (err) {
        for (const key of written.keys()) dirty.add(key)
        throw err
      }
      for (const [key, { deletedAt }] of written)
        if (deletedAt !== undefined) inner.tombstoneWritten(key, deletedAt)
      return written
    },
  }
}

/**
 * Values that repeat across many keys of a state store (a channel, a city and member tier), kept
 * once and referred to by index in the store's in-memory form. The table only grows, and stops
 * at `limit` entries: values are partly user-controlled (campaign codes, search keywords), so
 * past the limit they are kept inline instead of growing the table without end.
 */
export interface Interner<T> {
  /** The value's index, or -1 when the table is full and the value not in it. */
  ref(value: T): number
  /** A copy of the value at an index: callers may change what they get. */
  at(index: number): T
  readonly size: number
}

export function createInterner<T extends object>(opts: {
  limit: number
  /** The fields that make two values the same, in a fixed order. */
  fields: ReadonlyArray<keyof T>
}): Interner<T> {
  const index = new Map<string, number>()
  const values: T[] = []
  // Fields joined by NUL, null as SOH alone: a value with either character in a field is not
  // interned (such keys could collide), so the join stays unambiguous without escaping.
  const keyOf = (value: T): string | null => {
    let key = ''
    for (const f of opts.fields) {
      const v = value[f]
      if (v === null || v === undefined) key += '\u0001\u0000'
      else {
        const s = String(v)
        if (s.includes('\u0000') || s.includes('\u0001')) return null
        key += `${s}\u0000`
      }
    }
    return key
  }
  return {
    ref(value) {
      const key = keyOf(value)
      if (key === null) return -1
      const known = index.get(key)
      if (known !== undefined) return known
      if (values.length >= opts.limit) return -1
      const copy = {} as T
      for (const f of opts.fields) copy[f] = value[f] ?? (null as T[keyof T])
      index.set(key, values.length)
      values.push(copy)
      return values.length - 1
    },
    at(i) {
      const value = values[i]
      if (value === undefined)
        throw new Error(`interned value ${i} does not exist (table of ${values.length})`)
      return { ...value }
    },
    get size() {
      return values.length
    },
  }
}

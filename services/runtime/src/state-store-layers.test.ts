import { describe, expect, it } from 'vitest'
import { APPLIED_KEY, KEY_PREFIX, withChangeLogging } from './change-logging.ts'
import type { OutboundMessage, ProducerHandle, WrittenAt } from './kafka-types.ts'
import { withRollback } from './rollback-journal.ts'
import { createStateMap } from './state-map.ts'
import { storedForms, toStored } from './stored-forms.ts'

const forms = storedForms({ encode: (v: string) => Buffer.from(v), decode: (b: Buffer) => b.toString() })
const stored = (offset: number, body: string) => toStored(BigInt(offset), Buffer.from(body))

/** A producer that records what it is sent; `hold()` keeps the next send in flight, `failNext()` fails it. */
function recordingProducer() {
  const sent: Array<{ topic: string; messages: OutboundMessage[] }> = []
  let fail = false
  let hold: (() => void) | undefined
  let held: Promise<void> | undefined
  const producer: ProducerHandle = {
    async send(topic, messages) {
      if (fail) {
        fail = false
        throw new Error('broker refused')
      }
      if (held) {
        const wait = held
        held = undefined
        await wait
      }
      sent.push({ topic, messages: [...messages] })
      return messages.map((_, i): WrittenAt => ({ topic, partition: 0, offset: BigInt(i) }))
    },
    sendBatch: async () => [],
    disconnect: async () => {},
  }
  return {
    producer,
    sent,
    failNext: () => {
      fail = true
    },
    hold: () => {
      held = new Promise<void>((resolve) => {
        hold = resolve
      })
      return () => hold?.()
    },
  }
}

function layers() {
  const p = recordingProducer()
  const logged = withChangeLogging(createStateMap(), {
    producer: p.producer,
    topic: 'cl',
    partition: 3,
    forms,
  })
  return { ...p, logged, map: withRollback(logged) }
}

/** The changelog's view of each record: key → body (null for a tombstone). */
const records = (messages: OutboundMessage[]) =>
  messages.map((m) => [
    String(m.key),
    m.value === null
      ? null
      : m.key === APPLIED_KEY
        ? String(m.value)
        : (m.value as Buffer).subarray(8).toString(),
  ])

describe('the state store layers', () => {
  it('rolls a put and a remove back to what the changelog holds', async () => {
    const { map } = layers()
    map.put('a', stored(1, 'a1'))
    map.put('b', stored(2, 'b1'))
    await map.flush('2')
    map.put('a', stored(3, 'a2'))
    map.remove('b', 4n)
    map.put('c', stored(5, 'c1'))
    map.rollback()
    expect(map.get('a')).toBe(stored(1, 'a1'))
    expect(map.get('b')).toBe(stored(2, 'b1'))
    expect(map.get('c')).toBeUndefined()
    expect(map.entry('b').deletedAt).toBeUndefined()
    expect(map.size).toBe(2)
  })

  it('writes the keys put least recently first, tombstones for deletions, the marker last, on its partition', async () => {
    const { map, sent } = layers()
    map.put('a', stored(1, 'a1'))
    map.put('b', stored(2, 'b1'))
    map.put('c', stored(3, 'c1'))
    map.put('a', stored(4, 'a2'))
    map.remove('b', 5n)
    await map.flush('5')
    expect(sent).toHaveLength(1)
    expect(sent[0]?.topic).toBe('cl')
    expect(records(sent[0]?.messages ?? [])).toEqual([
      // A deletion keeps its key's place: the order matters for the keys a restore holds.
      [`${KEY_PREFIX}b`, null],
      [`${KEY_PREFIX}c`, 'c1'],
      [`${KEY_PREFIX}a`, 'a2'],
      [APPLIED_KEY, '5'],
    ])
    expect(sent[0]?.messages.every((m) => m.partition === 3)).toBe(true)
    expect([...map.keys()]).toEqual(['c', 'a'])
  })

  it('forgets a deletion once its tombstone is written, unless the key was deleted again meanwhile', async () => {
    const { map, hold } = layers()
    map.put('a', stored(1, 'a1'))
    map.remove('a', 2n)
    expect(map.entry('a')).toEqual({ stored: undefined, deletedAt: 2n })
    await map.flush()
    expect(map.entry('a')).toEqual({ stored: undefined, deletedAt: undefined })

    map.put('b', stored(3, 'b1'))
    map.remove('b', 4n)
    const release = hold()
    const flight = map.flush()
    map.put('b', stored(5, 'b2'))
    map.remove('b', 6n)
    release()
    await flight
    expect(map.entry('b').deletedAt).toBe(6n)
  })

  it('keeps every key of a failed write changed, and its rollback', async () => {
    const { map, logged, sent, failNext } = layers()
    map.put('a', stored(1, 'a1'))
    await map.flush('1')
    map.put('a', stored(2, 'a2'))
    map.put('b', stored(3, 'b1'))
    failNext()
    await expect(map.flush('3')).rejects.toThrow('broker refused')
    expect(logged.isDirty('a')).toBe(true)
    expect(logged.isDirty('b')).toBe(true)
    // Tried again, the write holds both keys.
    await map.flush('3')
    expect(records(sent[1]?.messages ?? [])).toEqual([
      [`${KEY_PREFIX}a`, 'a2'],
      [`${KEY_PREFIX}b`, 'b1'],
      [APPLIED_KEY, '3'],
    ])
    // And a failed write's journal survives it: rolled back, the keys are as first written.
    map.put('a', stored(4, 'a3'))
    failNext()
    await expect(map.flush('4')).rejects.toThrow()
    map.rollback()
    expect(map.get('a')).toBe(stored(2, 'a2'))
    expect(logged.isDirty('a')).toBe(false)
  })

  it('keeps a key changed while a write is in flight changed, and rolls it back to what that write sent', async () => {
    const { map, logged, sent, hold } = layers()
    map.put('a', stored(1, 'a1'))
    map.put('b', stored(2, 'b1'))
    const release = hold()
    const flight = map.flush('2')
    map.put('a', stored(3, 'a2'))
    release()
    await flight
    expect(records(sent[0]?.messages ?? [])).toContainEqual([`${KEY_PREFIX}a`, 'a1'])
    expect(logged.isDirty('a')).toBe(true)
    expect(logged.isDirty('b')).toBe(false)
    map.rollback()
    expect(map.get('a')).toBe(stored(1, 'a1'))
    expect(map.get('b')).toBe(stored(2, 'b1'))
    expect(logged.isDirty('a')).toBe(false)
    // Nothing is left to write: the changelog holds a1 already.
    await map.flush()
    expect(sent).toHaveLength(1)
  })

  it('sends nothing when nothing changed and no marker is given', async () => {
    const { map, sent } = layers()
    await map.flush()
    expect(sent).toHaveLength(0)
    await map.flush('7')
    expect(records(sent[0]?.messages ?? [])).toEqual([[APPLIED_KEY, '7']])
  })
})

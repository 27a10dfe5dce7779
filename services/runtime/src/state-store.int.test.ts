import { afterAll, describe, expect, it } from 'vitest'
import { testKafka, testLogger, uniqueName } from '../test/support/stack.ts'
import { readPartitionsToEnd } from './changelog-reader.ts'
import type { StateCodec } from './state-codec.ts'
import { createStateStores } from './state-store.ts'

const json: StateCodec<{ n: number; tags: string[] }> = {
  encode: (v) => Buffer.from(JSON.stringify(v)),
  decode: (b) => JSON.parse(b.toString()) as { n: number; tags: string[] },
}

describe('state stores backed by a compacted changelog', () => {
  const kafka = testKafka()
  const stops: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const s of stops.reverse()) await s()
  })
  /** A compacted changelog topic of its own, and a producer to write it. */
  const changelog = async (name: string, partitions: number) => {
    const topic = uniqueName(name)
    const admin = await kafka.admin()
    stops.push(() => admin.disconnect())
    await admin.createTopics([{ topic, partitions, compacted: true }])
    const producer = await kafka.producer()
    stops.push(() => producer.disconnect())
    return { topic, producer, log: testLogger() }
  }

  it('restores each partition’s keys and applied offset; deletes stay deleted; revoked partitions are dropped', async () => {
    const { topic, producer, log } = await changelog('changelog', 3)

    const first = createStateStores({ kafka, producer, changelogTopic: topic, codec: json, log })
    const p0 = await first.partition(0)
    expect(p0.appliedOffset).toBe(-1n)
    p0.set('user-a', { n: 1, tags: ['x'] }, 3n)
    p0.set('user-b', { n: 2, tags: [] }, 10n)
    await p0.flush(10n)
    const p1 = await first.partition(1)
    p1.set('user-c', { n: 3, tags: ['理财'] }, 5n)
    await p1.flush(5n)
    p0.delete('user-a', 11n)
    p0.set('user-b', { n: 4, tags: ['y'] }, 12n)
    await p0.flush(12n)
    expect(p0.appliedOffset).toBe(12n)

    // Another instance takes the partitions over.
    const second = createStateStores({ kafka, producer, changelogTopic: topic, codec: json, log })
    const r0 = await second.partition(0)
    expect(r0.appliedOffset).toBe(12n)
    expect(r0.size).toBe(1)
    expect(r0.get('user-a')).toBeUndefined()
    expect(r0.get('user-b')).toEqual({ n: 4, tags: ['y'] })
    expect([r0.isApplied('user-b', 12n), r0.isApplied('user-b', 13n), r0.isApplied('user-z', 12n)]).toEqual([
      true,
      false,
      true,
    ])
    const r1 = await second.partition(1)
    expect([r1.appliedOffset, r1.get('user-c')]).toEqual([5n, { n: 3, tags: ['理财'] }])
    const r2 = await second.partition(2)
    expect([r2.appliedOffset, r2.size]).toEqual([-1n, 0])
    expect(second.loadedPartitions()).toEqual([0, 1, 2])

    // A flush that was cut short (the crash came before its marker): the keys it did write
    // carry their own offsets, so their input is known to be applied; the marker is unchanged.
    await producer.send(topic, [
      {
        key: 'k:user-c',
        value: Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0, 9]), json.encode({ n: 30, tags: [] })]),
        partition: 1,
      },
    ])
    const third = createStateStores({ kafka, producer, changelogTopic: topic, codec: json, log })
    const t1 = await third.partition(1)
    expect(t1.appliedOffset).toBe(5n)
    expect(t1.get('user-c')).toEqual({ n: 30, tags: [] })
    expect([t1.isApplied('user-c', 9n), t1.isApplied('user-c', 10n), t1.isApplied('user-d', 6n)]).toEqual([
      true,
      false,
      false,
    ])
    second.assign([1])
    expect(second.loadedPartitions()).toEqual([1])
  })

  it('walks keys least recently written first, live while it walks, and in that order again after a restore', async () => {
    const { topic, producer, log } = await changelog('changelog_order', 1)
    const stores = createStateStores({ kafka, producer, changelogTopic: topic, codec: json, log })
    const p = await stores.partition(0)
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) p.set(key, { n: i, tags: [] }, BigInt(i))
    p.update('b', { n: 10, tags: [] })
    p.delete('c', 4n)
    p.set('a', { n: 11, tags: [] }, 5n)
    expect([...p.keys()]).toEqual(['d', 'b', 'a'])
    // Live: a key written while the walk is under way is met again at the back.
    const walk = p.keys()
    expect(walk.next().value).toBe('d')
    p.update('d', { n: 12, tags: [] })
    expect([...walk]).toEqual(['b', 'a', 'd'])
    await p.flush(5n)
    const restored = await createStateStores({
      kafka,
      producer,
      changelogTopic: topic,
      codec: json,
      log,
    }).partition(0)
    expect([...restored.keys()]).toEqual(['b', 'a', 'd'])
  })

  it('rolls back to what the changelog holds: changes since the last write, deletes included, and nothing more', async () => {
    const { topic, producer, log } = await changelog('changelog', 1)
    const stores = createStateStores({ kafka, producer, changelogTopic: topic, codec: json, log })
    const p = await stores.partition(0)
    p.set('kept', { n: 1, tags: [] }, 1n)
    p.set('deleted', { n: 2, tags: [] }, 2n)
    await p.flush(2n)
    // A chunk that fails: it changes, adds and deletes keys, then its output is refused.
    p.set('kept', { n: 10, tags: ['changed'] }, 3n)
    p.set('kept', { n: 11, tags: ['changed twice'] }, 4n)
    p.set('added', { n: 5, tags: [] }, 5n)
    p.delete('deleted', 6n)
    expect(p.isApplied('kept', 4n)).toBe(true)
    p.rollback()
    expect(p.get('kept')).toEqual({ n: 1, tags: [] })
    expect(p.get('added')).toBeUndefined()
    expect(p.get('deleted')).toEqual({ n: 2, tags: [] })
    // The retry applies the same input again and is not skipped.
    expect([p.isApplied('kept', 3n), p.isApplied('added', 5n), p.isApplied('deleted', 6n)]).toEqual([
      false,
      false,
      false,
    ])
    expect(p.size).toBe(2)
    // Nothing of the failed chunk reaches the changelog; the retry's changes do, and a rollback
    // after a successful flush has nothing left to undo.
    await p.flush()
    p.set('added', { n: 6, tags: ['retry'] }, 5n)
    await p.flush(6n)
    p.rollback()
    expect(p.get('added')).toEqual({ n: 6, tags: ['retry'] })
    const restored = await createStateStores({
      kafka,
      producer,
      changelogTopic: topic,
      codec: json,
      log,
    }).partition(0)
    expect([restored.get('kept'), restored.get('added'), restored.get('deleted')]).toEqual([
      { n: 1, tags: [] },
      { n: 6, tags: ['retry'] },
      { n: 2, tags: [] },
    ])
    expect(restored.appliedOffset).toBe(6n)
  })

  it('holds values in the codec’s memory form, writes and restores the changelog form, and fails a restore it cannot read', async () => {
    const { topic, producer, log } = await changelog('changelog_memory', 1)
    // The memory form: the tags joined by '|' after the count, a form the changelog never sees.
    const memoryForm: StateCodec<{ n: number; tags: string[] }> = {
      ...json,
      memory: {
        encode: (v) => Buffer.from(`${v.n}|${v.tags.join('|')}`),
        decode: (b) => {
          const [n, ...tags] = b.toString().split('|')
          return { n: Number(n), tags: tags.filter((t) => t !== '') }
        },
      },
    }
    const first = createStateStores({ kafka, producer, changelogTopic: topic, codec: memoryForm, log })
    const p0 = await first.partition(0)
    p0.set('user-a', { n: 1, tags: ['x', '理财'] }, 3n)
    p0.set('user-b', { n: 2, tags: [] }, 4n)
    expect(p0.get('user-a')).toEqual({ n: 1, tags: ['x', '理财'] })
    await p0.flush(4n)

    const records: Array<{ key: string; value: string }> = []
    await readPartitionsToEnd({
      kafka,
      topic,
      partitions: [0],
      onMessages: (ms) => {
        for (const m of ms)
          if (m.key?.toString().startsWith('k:'))
            records.push({ key: m.key.toString(), value: (m.value as Buffer).subarray(8).toString() })
      },
    })
    expect(records).toEqual([
      { key: 'k:user-a', value: '{"n":1,"tags":["x","理财"]}' },
      { key: 'k:user-b', value: '{"n":2,"tags":[]}' },
    ])

    const second = createStateStores({ kafka, producer, changelogTopic: topic, codec: memoryForm, log })
    const r0 = await second.partition(0)
    expect([r0.get('user-a'), r0.get('user-b'), r0.isApplied('user-a', 3n)]).toEqual([
      { n: 1, tags: ['x', '理财'] },
      { n: 2, tags: [] },
      true,
    ])

    await producer.send(topic, [
      { key: 'k:user-c', value: Buffer.from('\0\0\0\0\0\0\0\x05not json'), partition: 0 },
    ])
    const third = createStateStores({ kafka, producer, changelogTopic: topic, codec: memoryForm, log })
    await expect(third.partition(0)).rejects.toThrow(/JSON/)
  })
})

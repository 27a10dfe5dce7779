import { afterAll, describe, expect, it } from 'vitest'
import { createStateStores, type StateCodec } from './state-store.ts'
import { testKafka, testLogger, uniqueName } from './testing/stack.ts'

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

  it('restores each partition’s keys and applied offset; deletes stay deleted; revoked partitions are dropped', async () => {
    const topic = uniqueName('changelog')
    const admin = await kafka.admin()
    stops.push(() => admin.disconnect())
    await admin.createTopics([{ topic, partitions: 3, compacted: true }])
    const producer = await kafka.producer()
    stops.push(() => producer.disconnect())
    const log = testLogger()

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
})

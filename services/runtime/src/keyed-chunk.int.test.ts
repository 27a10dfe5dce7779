import { afterAll, describe, expect, it } from 'vitest'
import { testKafka, testLogger, uniqueName } from '../test/support/stack.ts'
import { readPartitionsToEnd } from './changelog-reader.ts'
import type { InboundMessage, ProducerHandle } from './kafka-types.ts'
import { applyKeyedChunk } from './keyed-chunk.ts'
import { INPUT_POSITION_HEADER } from './output-tail.ts'
import type { StateCodec } from './state-codec.ts'
import { createStateStores } from './state-store.ts'

const count: StateCodec<number> = {
  encode: (v) => Buffer.from(String(v)),
  decode: (b) => Number(b.toString()),
}

/** Input messages of partition 1: keys a, b, a, b, … at the given offsets. */
const input = (offsets: number[]): InboundMessage[] =>
  offsets.map((o) => ({
    topic: 'in',
    partition: 1,
    offset: String(o),
    key: Buffer.from(o % 2 === 0 ? 'a' : 'b'),
    value: Buffer.from('x'),
    headers: {},
    timestamp: '0',
  }))

describe('a keyed chunk that tracks its output', () => {
  const kafka = testKafka()
  const stops: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const s of stops.reverse()) await s()
  })

  it('after a crash between the output and the state write, produces each input’s output once', async () => {
    const [changelog, output] = [uniqueName('chunk_changelog'), uniqueName('chunk_output')]
    const admin = await kafka.admin()
    stops.push(() => admin.disconnect())
    await admin.createTopics([
      { topic: changelog, partitions: 2, compacted: true },
      { topic: output, partitions: 2 },
    ])
    const producer = await kafka.producer()
    stops.push(() => producer.disconnect())
    let crashed = false
    // The state's writes fail while `crashed`: the process died after its output was acknowledged.
    const stateProducer: ProducerHandle = {
      ...producer,
      send: async (topic, messages) => {
        if (crashed) throw new Error('killed before the state write')
        return producer.send(topic, messages)
      },
    }
    const stores = () =>
      createStateStores({
        kafka,
        producer: stateProducer,
        changelogTopic: changelog,
        codec: count,
        log: testLogger(),
        output,
      })
    const chunk = async (s: ReturnType<typeof stores>, offsets: number[]) => {
      const state = await s.partition(1)
      const messages = input(offsets)
      return applyKeyedChunk({
        state,
        messages,
        decoded: messages.map(() => ({ ok: true as const, value: null })),
        keyOf: (_, m) => m.key?.toString() ?? '',
        apply: (_, key, __, offset) => {
          const n = (state.get(key) ?? 0) + 1
          state.set(key, n, offset)
          return { output: { key, value: `${key}${n}` } }
        },
        producer,
        outputTopic: output,
      })
    }

    const first = stores()
    await chunk(first, [0, 1, 2, 3])
    crashed = true
    await expect(chunk(first, [4, 5, 6])).rejects.toThrow('killed before the state write')
    crashed = false
    // A new process: its state lacks offsets 4–6, whose output is on the topic already.
    const second = stores()
    const restored = await second.partition(1)
    expect([restored.appliedOffset, restored.get('a'), restored.get('b')]).toEqual([3n, 2, 2])
    expect([4n, 5n, 6n, 7n].map((o) => restored.output?.produced(o))).toEqual([true, true, true, false])
    await chunk(second, [4, 5, 6, 7, 8])
    // A third process finds nothing to hold back: the marker carries where the output stood.
    const third = await stores().partition(1)
    expect([third.appliedOffset, third.get('a'), third.get('b')]).toEqual([8n, 5, 4])
    expect(third.output?.produced(9n)).toBe(false)

    const got: string[] = []
    await readPartitionsToEnd({
      kafka,
      topic: output,
      partitions: [0, 1],
      onMessages: (ms) => {
        for (const m of ms) got.push(`${m.partition} ${m.headers[INPUT_POSITION_HEADER]} ${m.value}`)
      },
    })
    // By hand: a counts 1, 2, … at even offsets, b at odd ones; all on the input's partition.
    expect(got).toEqual([
      '1 1:0 a1',
      '1 1:1 b1',
      '1 1:2 a2',
      '1 1:3 b2',
      '1 1:4 a3',
      '1 1:5 b3',
      '1 1:6 a4',
      '1 1:7 b4',
      '1 1:8 a5',
    ])
  })
})

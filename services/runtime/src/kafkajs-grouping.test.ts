import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import './kafka-adapter.ts'
import { groupingReplaced } from './kafkajs-grouping.ts'

describe('kafkajs per-partition grouping', () => {
  it('is the linear one wherever kafkajs requires it, with the same result', () => {
    expect(groupingReplaced()).toBe(true)
    // The module kafkajs's producer (producer/sendMessages.js) requires, resolved from there.
    const fromKafkajs = createRequire(
      createRequire(import.meta.url).resolve('kafkajs/src/producer/sendMessages.js'),
    )
    const group = fromKafkajs('./groupMessagesPerPartition') as (args: object) => Record<number, string[]>
    const partitions: Record<string, number> = { a: 0, b: 1, c: 0, d: 2, e: 1 }
    const partitioner = ({ message }: { message: string }) => partitions[message] as number
    const messages = ['a', 'b', 'c', 'd', 'e']
    expect(group({ topic: 't', partitionMetadata: [{}, {}, {}], messages, partitioner })).toEqual({
      0: ['a', 'c'],
      1: ['b', 'e'],
      2: ['d'],
    })
    expect(group({ topic: 't', partitionMetadata: [], messages, partitioner })).toEqual({})
  })
})
